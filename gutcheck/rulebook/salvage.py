"""Repairing a copy of a rule base that failed the format model, so the cross checks can run.

Authors want every mistake at once. When the model rejects some values, a copy of the data
is patched (unknown keys dropped, bad numbers replaced by neutral ones, broken list items left
out) and checked again; the ids of left-out items are returned so that cross-check messages
caused only by the patching can be dropped.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

PathKey = tuple[str | int, ...]
_ITEM_LISTS = frozenset({
    "questions", "options", "bands", "suggestions", "red_flags", "ranges", "factors", "about", "urgency_if", "cutoffs",
})
_NEUTRAL = {"weight": 1, "points": 0, "yes_points": 1, "no_points": 0, "min_picks": 0}


@dataclass(frozen=True)
class Salvaged:
    """A patched copy of the data, the ids of items left out, and where they were."""

    data: dict[str, Any]
    dropped: frozenset[str]
    removed: tuple[PathKey, ...]

    def original_path(self, path: PathKey) -> PathKey:
        """Where a path of the patched copy points in the original data."""
        result = list(path)
        for removed in sorted(self.removed, key=lambda p: (len(p), p[-1] if isinstance(p[-1], int) else 0)):
            prefix, index = removed[:-1], removed[-1]
            if tuple(result[: len(prefix)]) == prefix and len(result) > len(prefix):
                position = result[len(prefix)]
                if isinstance(position, int) and isinstance(index, int) and position >= index:
                    result[len(prefix)] = position + 1
        return tuple(result)


def salvage(data: dict[str, Any], failures: Iterable[tuple[PathKey, str]]) -> Salvaged | None:
    """A patched copy of ``data``, or None when nothing sensible remains.

    ``failures`` are (data path, pydantic error type) pairs.
    """
    patched = copy.deepcopy(data)
    removals: list[PathKey] = []
    for path, kind in failures:
        target = _target(path, kind)
        if target is None:
            return None
        if target == path and (kind == "extra_forbidden" or path[-1] in _NEUTRAL):
            _patch(patched, path, kind)
        else:
            removals.append(target)
    unique = sorted(set(removals), key=lambda p: tuple(str(x).zfill(6) for x in p))
    unique = [p for p in unique if not any(p[: len(q)] == q and p != q for q in unique)]
    dropped = {_item_id(patched, path) for path in unique}
    for path in reversed(unique):
        _remove(patched, path)
    still_there = set(_ids(patched))
    gone = frozenset(item for item in dropped if item and item not in still_there)
    return Salvaged(patched, gone, tuple(unique))


def _ids(data: Any) -> Iterable[str]:
    if isinstance(data, dict):
        for key in ("id", "value"):
            if isinstance(data.get(key), str):
                yield data[key]
        for value in data.values():
            yield from _ids(value)
    elif isinstance(data, list):
        for item in data:
            yield from _ids(item)


def _target(path: PathKey, kind: str) -> PathKey | None:
    if path and (kind == "extra_forbidden" or (kind != "missing" and path[-1] in _NEUTRAL)):
        return path
    for end in range(len(path), 1, -1):
        if isinstance(path[end - 1], int) and path[end - 2] in _ITEM_LISTS:
            return path[:end]
    return None


def _parent(data: Any, path: PathKey) -> Any:
    current = data
    for part in path[:-1]:
        current = current[part]
    return current


def _patch(data: dict[str, Any], path: PathKey, kind: str) -> None:
    try:
        parent = _parent(data, path)
        if kind == "extra_forbidden":
            parent.pop(path[-1], None)
        else:
            parent[path[-1]] = _NEUTRAL[str(path[-1])]
    except (KeyError, IndexError, TypeError):
        pass


def _item_id(data: Any, path: PathKey) -> str | None:
    try:
        item = _parent(data, path)[path[-1]]
    except (KeyError, IndexError, TypeError):
        return None
    return str(item.get("id") or item.get("value") or "") if isinstance(item, dict) else None


def _remove(data: dict[str, Any], path: PathKey) -> None:
    try:
        parent = _parent(data, path)
        index = path[-1]
        if isinstance(parent, list) and isinstance(index, int) and index < len(parent):
            del parent[index]
    except (KeyError, IndexError, TypeError):
        pass
