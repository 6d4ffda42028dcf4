"""Help that reads: each command's one-line summary (short enough for ``gutcheck --help`` at 80
columns, never cut with "...") and the examples its own ``--help`` ends with."""

from __future__ import annotations

from typing import Any

SHORT: dict[str, str] = {
    "quiz": "Take the self-check in the terminal (same as plain gutcheck).",
    "score": "Score one person's answers and print the assessment.",
    "batch": "Score many clients from one CSV, TSV, JSON or JSONL export.",
    "template": "Print a fill-in answers template with every question.",
    "report": "Render a saved assessment as text, Markdown, HTML or JSON.",
    "schema": "Print a JSON Schema: the assessment or the rule-base format.",
    "history": "Show a profile's saved assessments with a trend per factor.",
    "compare": "Compare two assessments: scores that moved, answers changed.",
    "export": "Export saved assessments as JSON, JSON Lines or CSV.",
    "forget": "Delete a profile's saved data (or everything) for good.",
    "profiles": "List the profiles, with counts and first and last dates.",
    "completion": "Print the shell completion script for bash, zsh or fish.",
    "learn": "Read short, sourced explainers, such as how it is measured.",
    "rules validate": "Check a rule base; list every problem with file:line:column.",
    "rules lint": "Check sources, identifiers, links, hype and reachability.",
    "rules show": "Show factors, questions, points and bands as tables.",
    "rules schema": "Print the JSON Schema of the rule-base format.",
    "rules scorer": "Print the Python scorer generated from the rule base.",
    "rules export": "Export the rule base as a FHIR Questionnaire for web forms.",
}

EXAMPLES: dict[str, tuple[str, ...]] = {
    "quiz": ("gutcheck", "gutcheck --profile anna", "gutcheck --answers mine.yaml --no-save",
             "gutcheck --format html > me.html"),
    "score": ("gutcheck score answers.yaml", "gutcheck score answers.yaml --profile anna",
              "gutcheck score answers.json -f html > report.html", "cat answers.yaml | gutcheck score -"),
    "batch": ("gutcheck batch clients.csv", "gutcheck batch export.csv --check",
              "gutcheck batch export.csv -f csv > summary.csv",
              "gutcheck batch march.csv --save --time-column Timestamp",
              "gutcheck batch april.csv --reports out/ --report-style short --clean-reports",
              "gutcheck batch export.csv -f csv --excel > summary.csv",
              "gutcheck batch clients.csv --reports out/ --report-format html"),
    "template": ("gutcheck template > clients.csv", "gutcheck template -f yaml > anna.yaml",
                 "gutcheck template -f json > anna.json"),
    "report": ("gutcheck report last", "gutcheck report last -o report.html",
               "gutcheck report last~1 -p anna -f md", "gutcheck report saved.json -o report.md",
               "gutcheck report last -o client.html --style short"),
    "schema": ("gutcheck schema assessment", "gutcheck schema rules > rules.schema.json"),
    "history": ("gutcheck history", "gutcheck history -p anna", "gutcheck history -p anna -f json"),
    "compare": ("gutcheck compare", "gutcheck compare -p anna", "gutcheck compare 3 7",
                "gutcheck compare last~2 last"),
    "export": ("gutcheck export -f csv > history.csv", "gutcheck export -f csv --excel > history.csv",
               "gutcheck export -p anna -f jsonl"),
    "forget": ("gutcheck forget -p anna", "gutcheck forget --all --yes"),
    "profiles": ("gutcheck profiles", "gutcheck profiles -f json"),
    "completion": ("gutcheck completion bash >> ~/.bashrc",
                   "gutcheck completion zsh > ~/.zfunc/_gutcheck",
                   "gutcheck completion fish > ~/.config/fish/completions/gutcheck.fish"),
    "learn": ("gutcheck learn", "gutcheck learn measurement"),
    "rules validate": ("gutcheck rules validate", "gutcheck rules validate my-rules.yaml"),
    "rules lint": ("gutcheck rules lint my-rules.yaml",),
    "rules show": ("gutcheck rules show", "gutcheck rules show my-rules.yaml"),
    "rules schema": ("gutcheck rules schema > rules.schema.json",),
    "rules scorer": ("gutcheck rules scorer > scorer.py", "gutcheck rules scorer my-rules.yaml > my-scorer.py"),
    "rules export": ("gutcheck rules export -o questionnaire.json",
                     "gutcheck rules export my-rules.yaml --format fhir > questionnaire.json"),
}


def epilog(name: str) -> str:
    """'Examples:' and one command a line, kept as written (click's \\b: no re-wrapping)."""
    lines = "\n".join(f"  {example}" for example in EXAMPLES[name])
    return f"\b\nExamples:\n{lines}"


def command_help(name: str) -> dict[str, Any]:
    """The keyword arguments of ``app.command`` that give ``name`` its summary and examples."""
    return {"short_help": SHORT[name], "epilog": epilog(name)}
