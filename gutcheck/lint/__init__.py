"""Lint: content checks of a rule base (content) and what answers can reach (reachability)."""
