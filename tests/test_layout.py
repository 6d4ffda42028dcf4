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
        "commands", "files", "schema",
    }


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
