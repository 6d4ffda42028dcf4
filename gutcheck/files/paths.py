"""Where gutcheck finds its bundled rule base and keeps its data."""

from __future__ import annotations

import os
from pathlib import Path

BUNDLED_RULES_NAME = "gut-barrier.yaml"
HOME_ENV = "GUTCHECK_HOME"
HISTORY_FILENAME = "history.sqlite3"


def bundled_rules_dir() -> Path:
    """The folder of bundled rules: inside the installed package, or ``rules/`` of a checkout."""
    package = Path(__file__).resolve().parent.parent
    installed = package / "rules"
    return installed if installed.is_dir() else package.parent / "rules"


def bundled_rules_path() -> Path:
    """The bundled gut-barrier rule base file."""
    return bundled_rules_dir() / BUNDLED_RULES_NAME


def data_dir() -> Path:
    """The user's gutcheck data folder: ``$GUTCHECK_HOME`` or the platform's data directory."""
    override = os.environ.get(HOME_ENV)
    if override:
        return Path(override).expanduser()
    from platformdirs import user_data_dir

    return Path(user_data_dir("gutcheck", appauthor=False))


def is_read_only(path: Path) -> bool:
    """True when ``path`` (the data folder or a file in it) is marked read-only for this user: we
    own it and its mode denies its owner writing (decided from the mode, so that it holds for
    root too, whom the system lets write anyway), or the system denies us writing."""
    import stat

    try:
        info = path.stat()
    except OSError:
        return False
    if info.st_uid == os.geteuid():
        return not info.st_mode & stat.S_IWUSR
    return not os.access(path, os.W_OK)


def history_database_path() -> Path:
    """Where the history database is (or would be), without opening it or importing sqlite3."""
    return data_dir() / HISTORY_FILENAME
