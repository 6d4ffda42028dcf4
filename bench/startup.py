"""Start-up cost of gutcheck against a bare typer app, run side by side in this process.

Prints the median wall time of ``gutcheck --help`` (and ``--version`` and ``rules validate``)
and their ratios to a minimal typer app with one command, using the same interpreter and the
same typer. Target: ``--help`` ratio <= 1.2. Usage: python bench/startup.py [--runs N]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BARE_APP = '''
import typer

app = typer.Typer(add_completion=False)


@app.command()
def hello(name: str = "world") -> None:
    """Say hello."""
    typer.echo(f"hello {name}")


@app.command()
def bye() -> None:
    """Say bye."""


app()
'''
GUTCHECK = "from gutcheck.cli import main; main()"


def timed(argv: list[str]) -> float:
    """Wall time of one run of ``argv``, output discarded."""
    start = time.perf_counter()
    subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - start


def compare(label: str, subject: list[str], baseline: list[str], runs: int) -> float:
    """Run subject and baseline alternately; print medians and the ratio; return the ratio."""
    ours, theirs = [], []
    for _ in range(runs):
        ours.append(timed(subject))
        theirs.append(timed(baseline))
    ratio = statistics.median(ours) / statistics.median(theirs)
    print(f"{label:<38} {statistics.median(ours) * 1000:7.1f} ms  vs bare typer "
          f"{statistics.median(theirs) * 1000:7.1f} ms  ratio {ratio:.2f}")
    return ratio


def main() -> None:
    """Measure and print the start-up ratios."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=21)
    runs = parser.parse_args().runs
    rules = Path(__file__).resolve().parent.parent / "tests" / "data" / "mini.yaml"
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["GUTCHECK_HOME"] = tmp  # the rules cache goes here, not into the user's home
        bare = Path(tmp) / "bare.py"
        bare.write_text(BARE_APP)
        base_help = [sys.executable, str(bare), "--help"]
        for argv in (base_help, [sys.executable, "-c", GUTCHECK, "--help"]):
            timed(argv)  # warm the file cache
        help_ratio = compare("gutcheck --help", [sys.executable, "-c", GUTCHECK, "--help"], base_help, runs)
        plain = Path(tmp) / "plain.py"
        plain.write_text(BARE_APP.replace("typer.Typer(add_completion=False)",
                                          "typer.Typer(add_completion=False, rich_markup_mode=None)"))
        compare("gutcheck --help (vs plain-help typer)", [sys.executable, "-c", GUTCHECK, "--help"],
                [sys.executable, str(plain), "--help"], runs)
        compare("gutcheck --version", [sys.executable, "-c", GUTCHECK, "--version"], base_help, runs)
        validate = [sys.executable, "-c", GUTCHECK, "rules", "validate", str(rules)]
        compare("gutcheck rules validate (mini)", validate, base_help, runs)
    print(f"target for --help: <= 1.20  ->  {'met' if help_ratio <= 1.2 else 'NOT met'}")


if __name__ == "__main__":
    main()
