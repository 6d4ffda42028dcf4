"""Fitness checks of the layout: small modules and functions, data flowing one way."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "gutcheck"
MAX_MODULE_LINES = 420
MAX_FUNCTION_LINES = 40


def modules() -> Iterator[Path]:
    """Every Python module of the package."""
    yield from sorted(PACKAGE.rglob("*.py"))


def imported_modules(path: Path) -> set[str]:
    """The gutcheck modules ``path`` imports, wherever the import statement stands."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("gutcheck"):
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names if alias.name.startswith("gutcheck"))
    return found


def module_names() -> dict[str, Path]:
    """Every module of the package by its dotted name."""
    return {name_of(path): path for path in modules()}


def import_graph() -> dict[str, set[str]]:
    """Which gutcheck modules each module imports: top-level, function-level and
    ``TYPE_CHECKING`` imports alike (``from gutcheck.x import y`` counts as importing the module
    ``gutcheck.x.y`` when there is one, else ``gutcheck.x``)."""
    known = module_names()
    graph: dict[str, set[str]] = {}
    for name, path in known.items():
        found = (_closest_module(target, known) for target in _import_targets(path))
        graph[name] = {target for target in found if target is not None and target != name}
    return graph


def _import_targets(path: Path) -> Iterator[str]:
    """The dotted names an import statement of ``path`` loads (relative imports are not used)."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            assert node.level == 0, f"{path}: a relative import"
            yield from (f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)


def _closest_module(dotted: str, known: dict[str, Path]) -> str | None:
    """The module ``dotted`` names, or the module holding the name it imports."""
    while dotted and dotted not in known:
        dotted = dotted.rpartition(".")[0]
    return dotted or None


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The groups of nodes that reach each other (strongly connected, more than one node)."""
    order: list[str] = []
    seen: set[str] = set()
    for start in graph:
        _finish_order(start, graph, seen, order)
    reverse: dict[str, set[str]] = {node: set() for node in graph}
    for node, targets in graph.items():
        for target in targets:
            reverse.setdefault(target, set()).add(node)
    groups, assigned = [], set[str]()
    for node in reversed(order):
        group: list[str] = []
        _finish_order(node, reverse, assigned, group)
        if len(group) > 1:
            groups.append(sorted(group))
    return groups


def _finish_order(start: str, graph: dict[str, set[str]], seen: set[str], order: list[str]) -> None:
    """Depth-first from ``start`` without recursion; nodes appended as they finish."""
    if start in seen:
        return
    seen.add(start)
    stack = [(start, iter(sorted(graph.get(start, ()))))]
    while stack:
        node, targets = stack[-1]
        target = next((t for t in targets if t not in seen), None)
        if target is None:
            stack.pop()
            order.append(node)
        else:
            seen.add(target)
            stack.append((target, iter(sorted(graph.get(target, ())))))


def package_of(module: str) -> str:
    """The stage a module belongs to: ``gutcheck.<package>``, or the top-level module itself."""
    return ".".join(module.split(".")[:2])


def name_of(path: Path) -> str:
    """The dotted module name of a file of the package."""
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def test_no_module_is_over_the_size_limit() -> None:
    sizes = {name_of(p): len(p.read_text(encoding="utf-8").splitlines()) for p in modules()}
    assert {name: size for name, size in sizes.items() if size > MAX_MODULE_LINES} == {}


def test_no_function_is_over_the_size_limit() -> None:
    long = [
        f"{name_of(path)}:{node.lineno} {node.name}"
        for path in modules()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
        and node.end_lineno is not None
        and node.end_lineno - node.lineno + 1 > MAX_FUNCTION_LINES
    ]
    assert long == []


def test_the_top_of_the_package_reads_like_the_pipeline() -> None:
    top = {p.name for p in PACKAGE.iterdir() if p.suffix == ".py" or (p / "__init__.py").exists()}
    assert top == {
        "__init__.py", "__main__.py", "_version.py", "cli.py", "errors.py",
        "rulebook", "answers", "engine", "batch", "quiz", "history", "lint", "render",
        "commands", "files", "schema", "interop",
    }


def test_no_module_imports_itself_back_through_others() -> None:
    assert cycles(import_graph()) == []


def test_no_package_imports_itself_back_through_others() -> None:
    """The stages point one way: no package reaches one that (through any module) reaches it."""
    packages: dict[str, set[str]] = {}
    for module, targets in import_graph().items():
        if module == "gutcheck":  # the package's own __init__ names its public parts
            continue
        outside = {package_of(t) for t in targets} - {package_of(module), "gutcheck"}
        packages.setdefault(package_of(module), set()).update(outside)
    assert cycles(packages) == []


def test_the_cycle_finder_finds_a_loop_through_three_modules() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a", "d"}, "d": set(), "e": {"e"}}
    assert cycles(graph) == [["a", "b", "c"]]


def test_only_commands_write_the_history() -> None:
    """The quiz, batch, rendering and the core read what they are handed; the commands open the
    history and save (the quiz keeps drafts through a store the command hands in)."""
    writers = ("gutcheck.history.store", "gutcheck.history.sqlite_file")
    reaching = {
        module: sorted(t for t in targets if t.startswith(writers))
        for module, targets in import_graph().items()
        if not module.startswith(("gutcheck.commands", "gutcheck.history", "gutcheck.cli"))
    }
    assert {module: found for module, found in reaching.items() if found} == {}


def test_no_command_module_imports_another() -> None:
    """Commands share only the output and options modules (and their own helpers), never each other."""
    command_files = sorted((PACKAGE / "commands").glob("*_cmd.py"))
    commands = {name_of(p) for p in command_files}
    assert len(commands) >= 6
    crossing = {
        name_of(path): sorted(imported_modules(path) & (commands - {name_of(path)}))
        for path in (PACKAGE / "commands").glob("*.py")
    }
    assert {name: found for name, found in crossing.items() if found} == {}


def test_renderers_never_reach_back_into_batch_running_or_storage() -> None:
    forbidden = ("gutcheck.commands", "gutcheck.history.store", "gutcheck.batch.sources", "gutcheck.quiz")
    crossing = {
        name_of(path): sorted(m for m in imported_modules(path) if m.startswith(forbidden))
        for path in (PACKAGE / "render").glob("*.py")
    }
    assert {name: found for name, found in crossing.items() if found} == {}


def test_the_core_never_imports_an_edge() -> None:
    core = ("rulebook", "answers", "engine")
    edges = ("gutcheck.commands", "gutcheck.render", "gutcheck.quiz", "gutcheck.history", "gutcheck.cli")
    crossing = {
        name_of(path): sorted(m for m in imported_modules(path) if m.startswith(edges))
        for package in core
        for path in (PACKAGE / package).glob("*.py")
    }
    assert {name: found for name, found in crossing.items() if found} == {}


def test_tests_mirror_the_package() -> None:
    stages = {p.name for p in PACKAGE.iterdir() if (p / "__init__.py").exists() and p.name != "schema"}
    mirrored = {p.name for p in (ROOT / "tests").iterdir() if p.is_dir() and any(p.glob("test_*.py"))}
    assert stages <= mirrored


def test_interop_is_plain_dicts_and_the_stdlib() -> None:
    """The FHIR code needs no FHIR library and never reaches into commands, rendering or storage."""
    forbidden = ("gutcheck.commands", "gutcheck.render", "gutcheck.quiz", "gutcheck.history", "gutcheck.batch")
    crossing = {}
    for path in (PACKAGE / "interop").glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        outside = {alias.name.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.Import)
                   for alias in node.names} | {node.module.split(".")[0] for node in ast.walk(tree)
                                                 if isinstance(node, ast.ImportFrom) and node.module}
        found = sorted(m for m in imported_modules(path) if m.startswith(forbidden))
        found += sorted(outside & {"fhir", "fhirclient", "pydantic", "typer", "rich", "yaml"})
        if found:
            crossing[name_of(path)] = found
    assert crossing == {}


def test_help_and_version_load_no_stage_of_the_pipeline() -> None:
    """Start-up stays lean: the command line's modules only; every stage loads when a command runs."""
    import os
    import subprocess
    import sys

    probe = (
        "import sys\nfrom gutcheck.cli import main\n"
        "for argv in (['gutcheck', '--version'], ['gutcheck', '--help']):\n"
        "    sys.argv = argv\n"
        "    try:\n        main()\n    except SystemExit:\n        pass\n"
        "print('\\n'.join(sorted(m for m in sys.modules if m.startswith('gutcheck'))), file=sys.stderr)\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60,
                          env=dict(os.environ), check=False)
    loaded = set(done.stderr.split())
    assert "gutcheck.cli" in loaded, done.stderr  # the probe really ran the command line
    allowed = {"gutcheck", "gutcheck._version", "gutcheck.cli", "gutcheck.errors", "gutcheck.render",
               "gutcheck.history"}
    assert {m for m in loaded - allowed if not m.startswith("gutcheck.commands")} == set()
    assert {"gutcheck.commands.batch_run", "gutcheck.commands.batch_sinks"} & loaded == set()
