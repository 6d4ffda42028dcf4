"""docs/architecture.md stays true: every module, file and name it mentions exists, it names
every stage package, and README links to it."""

from __future__ import annotations

import importlib
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOC = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
PATHS = sorted(set(re.findall(r"(?<![\w/.])((?:gutcheck|tests|docs|bench)/[\w./<>*-]*)", DOC)))
NAMES = sorted(set(re.findall(r"(?<![\w/.])(gutcheck(?:\.\w+)+)", DOC)))


def resolve(dotted: str) -> object:
    """The object a dotted name points at: the longest importable module, then attributes."""
    parts = dotted.split(".")
    for end in range(len(parts), 0, -1):
        try:
            found: object = importlib.import_module(".".join(parts[:end]))
        except ModuleNotFoundError:
            continue
        for attribute in parts[end:]:
            found = getattr(found, attribute)
        return found
    raise ModuleNotFoundError(dotted)


def test_the_page_names_enough_to_check() -> None:
    assert len(PATHS) >= 40 and len(NAMES) >= 30


@pytest.mark.parametrize("path", PATHS)
def test_every_path_it_names_exists(path: str) -> None:
    path = path.rstrip(".")
    if "<" in path or "*" in path:  # a pattern such as gutcheck/commands/<name>_cmd.py: its folder
        path = path.split("<")[0].split("*")[0].rsplit("/", 1)[0]
    assert (ROOT / path).exists(), path


@pytest.mark.parametrize("dotted", NAMES)
def test_every_dotted_name_it_names_exists(dotted: str) -> None:
    dotted = dotted.rstrip(".")
    try:
        resolve(dotted)
    except (ModuleNotFoundError, AttributeError) as exc:
        pytest.fail(f"docs/architecture.md names {dotted}, which does not exist ({exc})")


def test_it_names_every_stage_package() -> None:
    packages = {p.name for p in (ROOT / "gutcheck").iterdir() if (p / "__init__.py").exists()}
    assert {name for name in packages if f"`gutcheck/{name}/`" not in DOC} == set()


def test_readme_links_to_it() -> None:
    assert "(docs/architecture.md)" in (ROOT / "README.md").read_text(encoding="utf-8")
