"""docs/architecture.md stays true: every module, file and name it mentions exists, it names
every stage package, and README links to it."""

from __future__ import annotations

import ast
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


def kind_name_modules() -> set[str]:
    """The modules of gutcheck/ that write a question kind's name as a string literal."""
    from gutcheck.rulebook.kinds import KINDS

    found = set()
    for path in sorted((ROOT / "gutcheck").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        if any(isinstance(node, ast.Constant) and node.value in KINDS for node in ast.walk(tree)):
            found.add(path.relative_to(ROOT).as_posix())
    return found


def recipe_for_a_new_kind() -> str:
    """The paragraph of the page that says how to add a question kind."""
    return DOC.split("**A new question type.**", 1)[1].split("\n\n", 1)[0]


def test_the_kinds_of_question_are_the_five_of_the_format() -> None:
    from gutcheck.rulebook.kinds import KINDS

    assert set(KINDS) == {"choice", "multi", "yesno", "number", "scale"}


def test_question_kinds_are_named_in_at_most_five_modules() -> None:
    assert 1 <= len(kind_name_modules()) <= 5, kind_name_modules()


def test_the_recipe_for_a_new_kind_lists_exactly_the_modules_that_name_kinds() -> None:
    recipe = recipe_for_a_new_kind()
    named = set(re.findall(r"(?<![\w/.])(gutcheck/[\w/]+\.py)", recipe))
    assert named == kind_name_modules()
    assert "gutcheck/schema/rules-1.json" in recipe  # the schema, regenerated from the format spec


def documented_layers() -> dict[str, int]:
    """Each package's layer in the page's bottom-up list (packages named together share one)."""
    line = DOC.split("**Layers, from the bottom up**:", 1)[1].split("\n", 1)[0]
    layers: dict[str, int] = {}
    for number, group in enumerate(line.rstrip(".").split(", ")):
        for name in re.findall(r"`(\w+)`", group):
            layers[f"gutcheck.{name}"] = number
    return layers


def test_every_package_imports_only_the_layers_below_it() -> None:
    from test_layout import import_graph, package_of

    layers = documented_layers()
    packages = {package_of(module) for module in import_graph()}
    assert packages - {"gutcheck", "gutcheck._version", "gutcheck.__main__"} == set(layers)
    upward = sorted(
        (package_of(module), package_of(target))
        for module, targets in import_graph().items() for target in targets
        if package_of(module) in layers and package_of(target) in layers
        and layers[package_of(target)] > layers[package_of(module)]
    )
    assert upward == []
