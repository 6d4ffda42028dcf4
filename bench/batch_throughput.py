"""Throughput and memory of ``gutcheck batch --format jsonl`` against a bare ``csv.reader`` pass.

Generates synthetic clients for the bundled rule base (every question answered as a coach's form
export would: labels as cells, multi-select joined with ", ", a few red flags, and a follow-up
question left blank when an earlier answer hides it, as forms leave it) into a temporary folder,
then prints:

- rows/second of a bare ``csv.reader`` pass over the file (the baseline, in this process);
- rows/second of the batch pipeline run in this process (``gutcheck batch`` via its entry point,
  stdout to a file), and its time as a multiple of the baseline (target: at most 4x);
- the same command in a subprocess, with its peak resident memory (``ru_maxrss``).

Both in-process figures are the best of several passes, taken in turns (a shared machine is
noisy, and the best pass is the one least disturbed). The batch's first pass is printed on its
own: it also pays the command's one-off start-up (importing typer's parameter handling,
generating the scorer), which ``bench/startup.py`` measures; the ratio is per-row throughput.

``--million`` also measures peak memory of a subprocess over 1,000,000 rows (target: < 60 MB).
``--every-question`` answers hidden follow-up questions too, which no form does: every row then
holds answers that do not apply, which batch names in each record (``ignored_answers``), so
this measures that path on every row.
Run: ``python bench/batch_throughput.py [--rows N] [--million] [--every-question] [--rules PATH]``.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path
from unittest import mock

from gutcheck.rulebook.loading import load_rules
from gutcheck.rulebook.model import Question, RuleBase

TARGET_RATIO = 4.0
PASSES = 7
TARGET_RSS_MB = 60.0


def answer_cell(question: Question, rnd: random.Random) -> str:
    """A plausible form-export cell for ``question``: labels, yes/no, numbers, multi joined by ', '."""
    if question.kind == "yesno":
        return "Yes" if rnd.random() < (0.02 if question.factor is None else 0.3) else "No"
    if question.kind == "number":
        low, high = int(question.minimum), int(min(question.maximum, question.minimum + 12))
        return str(rnd.randint(low, high))
    if question.kind == "multi":
        plain = [o for o in question.options if not o.exclusive]
        picks = rnd.randint(max(1, question.min_picks), min(question.max_picks or 3, len(plain), 3))
        return ", ".join(o.label for o in rnd.sample(plain, picks))
    return rnd.choice(question.options).label


def write_rows(rules: RuleBase, path: Path, rows: int, seed: int = 7, *, every_question: bool = False) -> None:
    """Write ``rows`` synthetic clients (header: id, then question texts) to ``path``; a
    question an earlier answer hides is left blank, unless ``every_question``."""
    rnd = random.Random(seed)
    questions = rules.questions
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(["id", *(q.ask for q in questions)])
        for number in range(rows):
            writer.writerow([f"client-{number:07d}", *client_cells(rules, rnd, every_question)])


def client_cells(rules: RuleBase, rnd: random.Random, every_question: bool) -> list[str]:
    """One client's cells, in question order."""
    cells: list[str] = []
    answers: dict[str, object] = {}
    for question in rules.questions:
        cell = answer_cell(question, rnd)
        if not every_question and not rules.is_shown(question, answers):
            cell = ""  # a form does not show it, so its export has no answer
        elif cell:
            answers[question.id] = question.parse(cell)
        cells.append(cell)
    return cells


def bare_csv_pass(path: Path) -> float:
    """Seconds for csv.reader to read every row of ``path``."""
    start = time.perf_counter()
    with path.open(encoding="utf-8-sig", newline="") as stream:
        count = sum(1 for _ in csv.reader(stream))
    elapsed = time.perf_counter() - start
    assert count > 1
    return elapsed


def in_process_batch(path: Path, rules_path: str | None, out: Path) -> float:
    """Seconds for ``gutcheck batch PATH --format jsonl`` run through its entry point here."""
    from gutcheck.cli import main

    argv = ["gutcheck", "batch", str(path), "--format", "jsonl"]
    if rules_path:
        argv += ["--rules", rules_path]
    with out.open("w", encoding="utf-8") as stdout, mock.patch.object(sys, "argv", argv):
        start = time.perf_counter()
        try:
            with redirect_stdout(stdout), redirect_stderr(io.StringIO()):
                main()
        except SystemExit as exc:
            if exc.code not in (0, None):
                raise RuntimeError(f"batch exited with {exc.code}") from None
        return time.perf_counter() - start


# The measured command is started by a small, fresh launcher process: a child's ru_maxrss also
# counts the memory of the process it was forked (or vforked) from, which here would be this
# benchmark, bloated by the in-process run.
LAUNCHER = """
import json, os, subprocess, sys, time
with open(sys.argv[1], "w", encoding="utf-8") as out:
    start = time.perf_counter()
    pid = subprocess.Popen(sys.argv[2:], stdout=out, stderr=subprocess.DEVNULL).pid
    _, status, usage = os.wait4(pid, 0)
print(json.dumps([time.perf_counter() - start, usage.ru_maxrss, os.waitstatus_to_exitcode(status)]))
"""


def subprocess_batch(path: Path, rules_path: str | None, out: Path) -> tuple[float, float]:
    """(seconds, peak RSS in MB) of the batch command in a child process."""
    command = [sys.executable, "-m", "gutcheck", "batch", str(path), "--format", "jsonl"]
    if rules_path:
        command += ["--rules", rules_path]
    launched = subprocess.run([sys.executable, "-c", LAUNCHER, str(out), *command],
                              capture_output=True, text=True, check=True)
    elapsed, max_rss_kib, code = json.loads(launched.stdout)
    if code != 0:
        raise RuntimeError(f"batch exited with {code}")
    return elapsed, max_rss_kib / 1024  # ru_maxrss is in KiB on Linux


def _best_in_turns(path: Path, rules_path: str | None, out: Path, passes: int) -> tuple[float, float]:
    """The best of ``passes`` bare csv.reader passes and of as many batch runs, taken in turns."""
    baseline, batch = bare_csv_pass(path), in_process_batch(path, rules_path, out)
    for _ in range(passes - 1):
        baseline = min(baseline, bare_csv_pass(path))
        batch = min(batch, in_process_batch(path, rules_path, out))
    return baseline, batch


def report(rows: int, baseline: float, batch: float, label: str) -> None:
    """Print rows/s of a run and its ratio to the baseline."""
    ratio = batch / baseline
    verdict = "meets" if ratio <= TARGET_RATIO else "misses"
    print(f"{label:<28} {rows / batch:>10,.0f} rows/s  {ratio:5.1f}x csv.reader "
          f"({verdict} the {TARGET_RATIO:g}x target)")


def main() -> None:
    """Generate the rows, run every measurement and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--million", action="store_true", help="also measure peak RSS at 1,000,000 rows")
    parser.add_argument("--rules", default=None, help="rule base (default: the bundled one)")
    parser.add_argument("--every-question", action="store_true",
                        help="answer hidden follow-up questions too (no form does)")
    args = parser.parse_args()
    os.environ.setdefault("NO_COLOR", "1")
    with tempfile.TemporaryDirectory(prefix="gutcheck-bench-") as folder:
        os.environ["GUTCHECK_HOME"] = folder  # the rules cache and history stay out of the home
        rules = load_rules(Path(args.rules) if args.rules else None)
        data, out = Path(folder) / "clients.csv", Path(folder) / "out.jsonl"
        write_rows(rules, data, args.rows, every_question=args.every_question)
        size_mb = data.stat().st_size / 1e6
        print(f"{args.rows:,} rows x {len(rules.questions)} questions of {rules.id} {rules.version} "
              f"({size_mb:.1f} MB)")
        first = in_process_batch(data, args.rules, out)
        baseline, batch = _best_in_turns(data, args.rules, out, PASSES)
        print(f"{'bare csv.reader pass':<28} {args.rows / baseline:>10,.0f} rows/s")
        print(f"{'batch, first pass':<28} {args.rows / first:>10,.0f} rows/s  {first / baseline:5.1f}x csv.reader "
              "(with the command's start-up)")
        report(args.rows, baseline, batch, "batch (in process)")
        elapsed, rss = subprocess_batch(data, args.rules, out)
        print(f"{'batch (subprocess)':<28} {args.rows / elapsed:>10,.0f} rows/s  {elapsed / baseline:5.1f}x csv.reader "
              "(a whole command: Python's start-up included)")
        print(f"{'peak RSS (subprocess)':<28} {rss:>10.1f} MB")
        if args.million:
            write_rows(rules, data, 1_000_000, every_question=args.every_question)
            elapsed, rss = subprocess_batch(data, args.rules, out)
            verdict = "meets" if rss < TARGET_RSS_MB else "misses"
            print(f"{'1M rows (subprocess)':<28} {1_000_000 / elapsed:>10,.0f} rows/s, peak RSS "
                  f"{rss:.1f} MB ({verdict} the {TARGET_RSS_MB:g} MB target)")


if __name__ == "__main__":
    main()
