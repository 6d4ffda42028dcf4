"""JSON read as carefully as YAML: every value's line and column known, duplicate keys refused.

``json.loads`` keeps the last of two equal keys and forgets where each value was. This small
reader walks the text itself (strings and numbers are decoded by the ``json`` module's own
scanners), so an answers file or a saved assessment in JSON gets the same located messages
(``file:line:column``) and the same refusal of duplicate keys as a YAML file.
"""

from __future__ import annotations

import bisect
import json
import re
from json.decoder import scanstring  # type: ignore[attr-defined]  # the decoder's own, in C
from json.scanner import NUMBER_RE
from typing import Any

from gutcheck.errors import Location, Problem
from gutcheck.files.yaml_located import MAX_DEPTH, PathKey, SourceMap, YamlProblems

_SPACE = re.compile(r"[ \t\n\r]*")
_LITERALS = (("true", True), ("false", False), ("null", None))


class JsonProblems(YamlProblems):
    """Every problem found while reading a JSON document, each located by line and column."""


class _Syntax(Exception):
    """The text stops being JSON at ``pos``."""

    def __init__(self, pos: int, message: str) -> None:
        super().__init__(message)
        self.pos = pos
        self.message = message


def load_json(text: str, display: str) -> tuple[Any, SourceMap]:
    """Parse one JSON document into plain data and a source map, or raise JsonProblems: the
    first syntax error, or every duplicate key, each with its ``file:line:column``."""
    reader = _Reader(text, display)
    try:
        data, end = reader.value(0, (), 0)
        end = reader.space(end)
        if end < len(text):
            raise _Syntax(end, "unexpected text after the end of the data")
    except _Syntax as exc:
        problem = Problem(reader.where(exc.pos), f"not valid JSON ({exc.message})")
        raise JsonProblems([problem]) from None
    if reader.source.duplicates:
        raise JsonProblems(reader.source.duplicates)
    return data, reader.source


class _Reader:
    """Walks the text, building data and recording where each key and value starts."""

    def __init__(self, text: str, display: str) -> None:
        self.text = text
        self.source = SourceMap(display)
        self.line_starts = [0] + [match.end() for match in re.finditer("\n", text)]

    def place(self, pos: int) -> tuple[int, int]:
        """0-based line and column of ``pos``."""
        line = bisect.bisect_right(self.line_starts, pos) - 1
        return line, pos - self.line_starts[line]

    def where(self, pos: int) -> str:
        """``file:line:column`` of ``pos``."""
        line, column = self.place(pos)
        return str(Location(self.source.file, line + 1, column + 1))

    def space(self, pos: int) -> int:
        """The position after any whitespace at ``pos``."""
        match = _SPACE.match(self.text, pos)
        return match.end() if match else pos

    def value(self, pos: int, path: PathKey, depth: int) -> tuple[Any, int]:
        """The value starting at (or after whitespace at) ``pos``, and where it ends."""
        pos = self.space(pos)
        self.source.values.setdefault(path, self.place(pos))
        char = self.text[pos:pos + 1]
        if char in ("{", "["):
            if depth >= MAX_DEPTH:
                raise _Syntax(pos, f"nested more than {MAX_DEPTH} levels deep; flatten it")
            if char == "{":
                return self.mapping(pos + 1, path, depth + 1)
            return self.sequence(pos + 1, path, depth + 1)
        if char == '"':
            return self.string(pos)
        return self.scalar(pos)

    def string(self, pos: int) -> tuple[str, int]:
        """The string whose opening quote is at ``pos``."""
        try:
            text, end = scanstring(self.text, pos + 1, True)
        except json.JSONDecodeError as exc:
            raise _Syntax(exc.pos, exc.msg.removesuffix(" at")) from None
        return str(text), int(end)

    def scalar(self, pos: int) -> tuple[Any, int]:
        """A number, true, false or null at ``pos``."""
        for word, meaning in _LITERALS:
            if self.text.startswith(word, pos):
                return meaning, pos + len(word)
        match = NUMBER_RE.match(self.text, pos)
        if match is None:
            found = "the end of the file" if pos >= len(self.text) else repr(self.text[pos])
            raise _Syntax(pos, f"expected a value, found {found}")
        whole, fraction, exponent = match.groups()
        try:
            number: Any = float(match.group()) if fraction or exponent else int(whole)
        except ValueError:
            raise _Syntax(pos, "a number with too many digits") from None
        return number, match.end()

    def mapping(self, pos: int, path: PathKey, depth: int) -> tuple[dict[str, Any], int]:
        """The object whose ``{`` ends just before ``pos``."""
        result: dict[str, Any] = {}
        pos = self.space(pos)
        if self.text.startswith("}", pos):
            return result, pos + 1
        while True:
            if not self.text.startswith('"', pos):
                raise _Syntax(pos, "expected a key in double quotes")
            key_pos = pos
            key, pos = self.string(pos)
            pos = self.space(pos)
            if not self.text.startswith(":", pos):
                raise _Syntax(pos, "expected ':' after the key")
            key_path = (*path, key)
            value, pos = self.value(pos + 1, key_path, depth)
            if key in result:
                self.source.duplicates.append(Problem(self.where(key_pos), f"duplicate key {key!r}"))
            else:
                self.source.keys[key_path] = self.place(key_pos)
                result[key] = value
            pos = self.after_item(pos, "}")
            if pos < 0:
                return result, -pos

    def sequence(self, pos: int, path: PathKey, depth: int) -> tuple[list[Any], int]:
        """The array whose ``[`` ends just before ``pos``."""
        result: list[Any] = []
        pos = self.space(pos)
        if self.text.startswith("]", pos):
            return result, pos + 1
        while True:
            value, pos = self.value(pos, (*path, len(result)), depth)
            result.append(value)
            pos = self.after_item(pos, "]")
            if pos < 0:
                return result, -pos

    def after_item(self, pos: int, closing: str) -> int:
        """After an item: the start of the next one, or minus the end of the collection."""
        pos = self.space(pos)
        if self.text.startswith(closing, pos):
            return -(pos + 1)
        if not self.text.startswith(",", pos):
            raise _Syntax(pos, f"expected ',' or {closing!r}")
        return self.space(pos + 1)
