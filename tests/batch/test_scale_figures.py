"""README's Scale section states the same targets the throughput bench checks."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _bench_targets() -> tuple[float, float]:
    spec = importlib.util.spec_from_file_location("batch_throughput", ROOT / "bench" / "batch_throughput.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.TARGET_RATIO, module.TARGET_RSS_MB


def _scale_section() -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    start = text.index("**Scale.**")
    return text[start:text.index("\n\n", start)]


def test_readme_states_the_bench_target_ratio() -> None:
    ratio, _ = _bench_targets()
    stated = re.search(r"at most (\d+(?:\.\d+)?)x the time of a bare `csv.reader`", " ".join(_scale_section().split()))
    assert stated is not None, "README's Scale section must state the target ratio"
    assert float(stated.group(1)) == ratio


def test_readme_memory_figure_is_within_the_bench_memory_target() -> None:
    _, rss = _bench_targets()
    stated = re.search(r"Peak memory at one million rows: (\d+(?:\.\d+)?) MB", " ".join(_scale_section().split()))
    assert stated is not None and float(stated.group(1)) < rss
