"""The JSON Schemas gutcheck ships, and a small checker for the documents it reads back.

``assessment-1.json`` describes the ``gutcheck.assessment/1`` document; ``rules-1.json`` the
rule-base format (generated from :mod:`gutcheck.rulebook.spec`; a test keeps the two in step).
:func:`problems` checks a document against a schema using the subset of JSON Schema these
files use, so ``gutcheck report`` can name the exact field of a damaged file without a
third-party validator at run time.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

SCHEMA_DIR = Path(__file__).parent
SCHEMA_FILES: dict[str, str] = {"assessment": "assessment-1.json", "rules": "rules-1.json"}
# JSON Schema's names of the kinds of JSON value, in one text, and the values json.loads makes of each.
_TYPE_NAMES = "object array string number integer boolean null"
_TYPES: dict[str, tuple[type, ...]] = dict(zip(
    _TYPE_NAMES.split(), ((dict,), (list,), (str,), (int, float), (int,), (bool,), (type(None),)), strict=True
))


def schema_path(name: str) -> Path:
    """The shipped file of schema ``name`` ('assessment' or 'rules')."""
    return SCHEMA_DIR / SCHEMA_FILES[name]


def schema_text(name: str) -> str:
    """The shipped schema ``name`` as text, exactly as in the package."""
    return schema_path(name).read_text(encoding="utf-8")


@cache
def load_schema(name: str) -> dict[str, Any]:
    """The shipped schema ``name`` as a mapping."""
    schema: dict[str, Any] = json.loads(schema_text(name))
    return schema


def problems(document: object, schema: dict[str, Any], limit: int = 5) -> list[str]:
    """Up to ``limit`` places where ``document`` breaks ``schema``, as 'path: what is wrong'."""
    found: list[str] = []
    for problem in _check(document, schema, schema, ""):
        found.append(problem)
        if len(found) >= limit:
            break
    return found


def _check(value: object, node: dict[str, Any], root: dict[str, Any], path: str) -> Iterator[str]:
    if "$ref" in node:
        yield from _check(value, _resolve(node["$ref"], root), root, path)
        return
    if "anyOf" in node:
        if not any(not list(_check(value, option, root, path)) for option in node["anyOf"]):
            yield f"{_place(path)}{_describe(value)} is not an allowed kind of value"
        return
    kind_problem = _kind_problem(value, node, path)
    if kind_problem:
        yield kind_problem
        return
    yield from _value_problems(value, node, path)
    if isinstance(value, dict):
        yield from _object_problems(value, node, root, path)
    elif isinstance(value, list) and "items" in node:
        for index, item in enumerate(value):
            yield from _check(item, node["items"], root, f"{path or 'document'}[{index}]")


def _resolve(ref: str, root: dict[str, Any]) -> dict[str, Any]:
    target: Any = root
    for part in ref.removeprefix("#/").split("/"):
        target = target[part]
    resolved: dict[str, Any] = target
    return resolved


def _kind_problem(value: object, node: dict[str, Any], path: str) -> str | None:
    if "const" in node and value != node["const"]:
        return f"{_place(path)}must be {json.dumps(node['const'])}, not {_describe(value)}"
    if "enum" in node and value not in node["enum"]:
        return f"{_place(path)}{_describe(value)} is not one of {', '.join(map(json.dumps, node['enum']))}"
    if "type" not in node:
        return None
    kinds = node["type"] if isinstance(node["type"], list) else [node["type"]]
    if any(_is_kind(value, kind) for kind in kinds):
        return None
    return f"{_place(path)}expected {' or '.join(kinds)}, found {_describe(value)}"


def json_type(value: object) -> str:
    """The JSON Schema name of the kind of a value that ``json.loads`` made (any number is a number)."""
    if isinstance(value, bool):
        return "boolean"
    return next((name for name, types in _TYPES.items() if name != "integer" and isinstance(value, types)),
                type(value).__name__)


def _is_kind(value: object, kind: str) -> bool:
    if isinstance(value, bool) and kind not in ("boolean",):
        return False
    if kind == "integer" and isinstance(value, float):
        return value.is_integer()
    return isinstance(value, _TYPES[kind])


def _value_problems(value: object, node: dict[str, Any], path: str) -> Iterator[str]:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if "minimum" in node and value < node["minimum"]:
            yield f"{_place(path)}{value} is below {node['minimum']}"
        if "maximum" in node and value > node["maximum"]:
            yield f"{_place(path)}{value} is above {node['maximum']}"
        if "exclusiveMinimum" in node and value <= node["exclusiveMinimum"]:
            yield f"{_place(path)}{value} must be above {node['exclusiveMinimum']}"
    if isinstance(value, str) and "pattern" in node and not re.search(node["pattern"], value):
        yield f"{_place(path)}{_describe(value)} does not match {node['pattern']}"


def _object_problems(
    value: dict[str, Any], node: dict[str, Any], root: dict[str, Any], path: str
) -> Iterator[str]:
    for key in node.get("required", ()):
        if key not in value:
            yield f"{_place(path)}missing field {key!r}"
    properties: dict[str, Any] = node.get("properties", {})
    extra = node.get("additionalProperties", True)
    for key, item in value.items():
        if key in properties:
            yield from _check(item, properties[key], root, _join(path, key))
        elif extra is False:
            yield f"{_place(path)}unexpected field {key!r}"
        elif isinstance(extra, dict):
            yield from _check(item, extra, root, _join(path, key))


def _place(path: str) -> str:
    return f"{path}: " if path else ""


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _describe(value: object) -> str:
    text = json.dumps(value, ensure_ascii=False) if _jsonable(value) else repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _jsonable(value: object) -> bool:
    try:
        json.dumps(value)
    except (TypeError, ValueError):
        return False
    return True
