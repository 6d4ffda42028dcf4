"""Safe YAML reading that remembers where every value came from.

The document is composed into nodes with the safe (libyaml where present) loader, then built
into plain Python data by walking the nodes, so that each value's line and column are known,
duplicate keys are caught, and object-building tags and alias bombs are refused.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from gutcheck.errors import Location, Problem

try:
    from yaml import CSafeLoader as _SafeLoader
except ImportError:  # pragma: no cover - pure-Python PyYAML
    from yaml import SafeLoader as _SafeLoader  # type: ignore[assignment]

MAX_FILE_BYTES = 2_000_000
MAX_NODES = 200_000
MAX_DEPTH = 100
_PLAIN_TAGS = frozenset(
    f"tag:yaml.org,2002:{name}"
    for name in ("str", "int", "float", "bool", "null", "map", "seq", "timestamp")
)

PathKey = tuple[str | int, ...]


@dataclass
class SourceMap:
    """Line/column of each value (by path) and of each mapping key (by path of its value)."""

    file: str
    values: dict[PathKey, tuple[int, int]] = field(default_factory=dict)
    keys: dict[PathKey, tuple[int, int]] = field(default_factory=dict)
    duplicates: list[Problem] = field(default_factory=list)

    def locate(self, path: PathKey, *, key: bool = False) -> Location:
        """The location of the value at ``path`` (or of its key), falling back to parents."""
        table = self.keys if key and path in self.keys else self.values
        probe = path
        while probe and probe not in table:
            probe = probe[:-1]
        line, column = table.get(probe, (0, 0))
        return Location(self.file, line + 1, column + 1)


class YamlProblems(Exception):
    """Raised with every problem found while reading a YAML document."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(str(p) for p in problems))
        self.problems = problems


def read_text_limited(path: Path, display: str) -> str:
    """Read a UTF-8 text file, refusing files over the size limit with a located message."""
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise YamlProblems([Problem(display, _too_big(f"{size} bytes"))])
    with path.open("rb") as handle:  # a pipe has no size: read no more than the limit
        data = handle.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        raise YamlProblems([Problem(display, _too_big(f"more than {MAX_FILE_BYTES} bytes"))])
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        message = f"not UTF-8 text (bad byte at offset {exc.start}); save the file as UTF-8"
        raise YamlProblems([Problem(display, message)]) from exc


def _too_big(size: str) -> str:
    return f"file is {size}; the limit is {MAX_FILE_BYTES}: split it or trim it"


def load_yaml(text: str, display: str, *, keep_duplicates: bool = False) -> tuple[Any, SourceMap]:
    """Parse one YAML document into plain data and a source map, or raise YamlProblems.

    A duplicate key is a problem too; with ``keep_duplicates`` the first value is kept and the
    problem is left in ``source.duplicates``, so a caller can report it with the others.
    """
    try:
        node = yaml.compose(text, Loader=_SafeLoader)
    except yaml.MarkedYAMLError as exc:
        raise YamlProblems([_syntax_problem(exc, display)]) from exc
    except yaml.YAMLError as exc:
        raise YamlProblems([Problem(display, f"not valid YAML: {exc}")]) from exc
    source = SourceMap(display)
    if node is None:
        return None, source
    builder = _Builder(source)
    data = builder.build(node, ())
    if builder.problems or (source.duplicates and not keep_duplicates):
        raise YamlProblems(sorted_problems([*builder.problems, *source.duplicates]))
    return data, source


def sorted_problems(problems: list[Problem]) -> list[Problem]:
    """Problems in the order of their place in the file (line, then column)."""

    def key(problem: Problem) -> tuple[int, int]:
        """Sort key: line and column of a problem."""
        parts = problem.where.rsplit(":", 2)
        try:
            return int(parts[-2]), int(parts[-1])
        except (ValueError, IndexError):
            return 0, 0

    return sorted(problems, key=key)


def _syntax_problem(exc: yaml.MarkedYAMLError, display: str) -> Problem:
    mark = exc.problem_mark or exc.context_mark
    where = str(Location(display, mark.line + 1, mark.column + 1)) if mark else display
    what = exc.problem or exc.context or "syntax error"
    return Problem(where, f"YAML syntax error: {what}; check the indentation and quoting there")


class _Builder:
    """Turns composed YAML nodes into plain data, recording marks and problems."""

    def __init__(self, source: SourceMap) -> None:
        self.source = source
        self.problems: list[Problem] = []
        self.count = 0
        self.constructor = yaml.SafeLoader("")
        self.open_nodes: set[int] = set()

    def where(self, node: yaml.Node) -> str:
        """The file:line:column of a node."""
        mark = node.start_mark
        return str(Location(self.source.file, mark.line + 1, mark.column + 1))

    def build(self, node: yaml.Node, path: PathKey) -> Any:
        """Build plain data from a node, recording its place and any problem."""
        self.count += 1
        if self.count > MAX_NODES:
            if self.count == MAX_NODES + 1:
                self.problems.append(
                    Problem(self.where(node), "document expands to too many values (alias bomb?)")
                )
            return None
        self.source.values.setdefault(path, (node.start_mark.line, node.start_mark.column))
        if node.tag not in _PLAIN_TAGS:
            self.problems.append(
                Problem(self.where(node), f"tag {node.tag!r} is not allowed; use plain YAML values")
            )
            return None
        if isinstance(node, yaml.CollectionNode):
            return self.build_collection(node, path)
        return self.constructor.construct_object(node)

    def build_collection(self, node: yaml.CollectionNode, path: PathKey) -> Any:
        """Build a mapping or list, refusing self-referring aliases and runaway nesting."""
        if id(node) in self.open_nodes:
            self.problems.append(Problem(self.where(node), "an alias refers to itself; remove it"))
            return None
        if len(path) > MAX_DEPTH:
            message = f"nested more than {MAX_DEPTH} levels deep; flatten it"
            self.problems.append(Problem(self.where(node), message))
            return None
        self.open_nodes.add(id(node))
        try:
            if isinstance(node, yaml.MappingNode):
                return self.build_mapping(node, path)
            return [self.build(item, (*path, i)) for i, item in enumerate(node.value)]
        finally:
            self.open_nodes.discard(id(node))

    def build_mapping(self, node: yaml.MappingNode, path: PathKey) -> dict[str, Any]:
        """Build a mapping, refusing non-text keys, merge keys and duplicates."""
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key = self.constructor.construct_object(key_node) if key_node.tag in _PLAIN_TAGS else None
            if not isinstance(key, (str, int)) or isinstance(key, bool):
                self.problems.append(Problem(self.where(key_node), "keys must be plain text"))
                continue
            key = str(key)
            if key == "<<":
                self.problems.append(Problem(self.where(key_node), "merge keys (<<) are not supported"))
                continue
            if key in result:
                self.source.duplicates.append(Problem(self.where(key_node), f"duplicate key {key!r}"))
                continue
            key_path = (*path, key)
            self.source.keys[key_path] = (key_node.start_mark.line, key_node.start_mark.column)
            result[key] = self.build(value_node, key_path)
        return result
