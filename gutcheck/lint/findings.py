"""A lint finding: a message at a place in the rule-base data."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

PathKey = tuple[str | int, ...]
ValueTest = Callable[[Any], bool]

@dataclass(frozen=True)
class Finding:
    """A lint finding at a place in the rule-base data (``key`` points at the key itself)."""

    path: PathKey
    message: str
    key: bool = False
