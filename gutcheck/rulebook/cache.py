"""A small cache of checked rule bases: normalised data by hash of the rule-base text.

Entries live in ``<data dir>/cache/`` and are written atomically. The cache is an optimisation
only: a missing, unreadable or unwritable cache means the text is checked in full again.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any

from gutcheck._version import __version__
from gutcheck.files.paths import data_dir, is_read_only

NO_CACHE_ENV = "GUTCHECK_NO_CACHE"


def _entry(text: str, kind: str) -> Path | None:
    if os.environ.get(NO_CACHE_ENV):
        return None
    digest = hashlib.sha256(f"{__version__}\0{kind}\0{text}".encode()).hexdigest()
    return data_dir() / "cache" / f"{kind}-{digest[:32]}.json"


def lookup(text: str, kind: str = "rules") -> dict[str, Any] | None:
    """The normalised data of ``text`` if it passed its checks before, else None.

    ``kind`` keeps rule bases and learn files apart ('rules' or 'learn').
    """
    entry = _entry(text, kind)
    if entry is None:
        return None
    try:
        data = json.loads(entry.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) and data.get("format") == 1 else None


def store(text: str, normal: dict[str, Any], kind: str = "rules") -> None:
    """Remember that ``text`` passed its checks, with its normalised data (best effort)."""
    entry = _entry(text, kind)
    if entry is None or is_read_only(entry.parent.parent):
        return  # a data folder made read-only is left as it is
    try:
        entry.parent.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        entry.parent.mkdir(exist_ok=True, mode=0o700)
        handle, temp = tempfile.mkstemp(dir=entry.parent, prefix=".rules-", suffix=".tmp")
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            json.dump(normal, file, ensure_ascii=False)
        os.replace(temp, entry)
    except OSError:
        return
