"""Answers: the one path from a raw answer to a parsed answer (parse), and answers files (files)."""
