"""Shared fixtures: a temporary data directory for every test, and the test rule base."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from gutcheck.rulebook.loading import load_rules
from gutcheck.rulebook.model import RuleBase

DATA = Path(__file__).parent / "data"
MINI_RULES = DATA / "mini.yaml"


def pytest_configure(config: pytest.Config) -> None:
    """Before any test module is imported (some load rules at import), keep gutcheck's data
    directory, rules cache included, out of the user's home."""
    folder = tempfile.mkdtemp(prefix="gutcheck-tests-")
    os.environ["GUTCHECK_HOME"] = folder
    config.add_cleanup(lambda: shutil.rmtree(folder, ignore_errors=True))


@pytest.fixture(autouse=True)
def gutcheck_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Point the data directory at a fresh temp dir so no test touches the user's home."""
    home = tmp_path_factory.mktemp("gutcheck-home")
    monkeypatch.setenv("GUTCHECK_HOME", str(home))
    monkeypatch.setenv("GUTCHECK_NOW", "2026-01-31T09:00:00+00:00")
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("TZ", "UTC")  # times on screens are local: fix the zone
    monkeypatch.setenv("COLUMNS", "100")
    yield home


@pytest.fixture(scope="session")
def mini_rules() -> RuleBase:
    """The small rule base under tests/data that exercises every feature of the format."""
    return load_rules(MINI_RULES)
