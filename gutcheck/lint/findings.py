"""A lint finding: a message at a place in the rule-base data."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

PathKey = tuple[str | int, ...]
ValueTest = Callable[[Any], bool]
HYPE = re.compile(r"\b(cures?|cured|detox\w*|miracles?|miraculous|heal (?:your|the) gut|guaranteed?)\b", re.I)


def hype_in(text: str) -> str | None:
    """The hype words of ``text`` quoted and joined, or None when there are none."""
    hype = list(dict.fromkeys(m.group(0) for m in HYPE.finditer(text)))
    return ", ".join(repr(word) for word in hype) if hype else None

@dataclass(frozen=True)
class Finding:
    """A lint finding at a place in the rule-base data (``key`` points at the key itself)."""

    path: PathKey
    message: str
    key: bool = False
