"""Safe, distinct file names for per-client reports, made from client ids.

A client id comes from a spreadsheet cell and may hold anything: path separators, ``..``,
control characters, a Windows device name such as ``CON``, hundreds of characters, or nothing
at all. :class:`ReportNames` turns each id into a plain file name that stays inside the reports
folder, works on Windows, macOS and Linux, and never collides with another name of the same
run, even on case-insensitive file systems.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

FALLBACK_NAME = "client"
MAX_STEM_CHARS = 80
MAX_STEM_BYTES = 180  # leaves room for a counter and an extension under the usual 255 bytes
_KEPT_PUNCTUATION = frozenset("._-@+")
_DASH_RUN = re.compile(r"-{2,}")
_EDGE_JUNK = ".-_ "
_WINDOWS_DEVICES = frozenset(
    {"con", "prn", "aux", "nul", "conin$", "conout$", "clock$"}
    | {f"{stem}{n}" for stem in ("com", "lpt") for n in (*"123456789", "¹", "²", "³")}
)


def safe_stem(client_id: str) -> str:
    """A file-name stem for ``client_id``: letters, digits and ``. _ - @ +`` only, never empty.

    Distinct ids may give the same stem (``a/b`` and ``a?b``); :class:`ReportNames` keeps the
    final names apart.
    """
    text = unicodedata.normalize("NFC", client_id)
    kept = "".join(char if _is_kept(char) else "-" for char in text)
    stem = _DASH_RUN.sub("-", kept).strip(_EDGE_JUNK)
    if not stem:
        return FALLBACK_NAME
    if _is_windows_device(stem):
        stem = f"{FALLBACK_NAME}-{stem}"
    if len(stem) > MAX_STEM_CHARS or len(stem.encode("utf-8")) > MAX_STEM_BYTES:
        stem = _shortened(stem, client_id)
    return stem


def _is_kept(char: str) -> bool:
    """Letters and digits of any script (with their combining marks) and a little punctuation."""
    return char.isalnum() or char in _KEPT_PUNCTUATION or unicodedata.category(char)[0] == "M"


def _is_windows_device(stem: str) -> bool:
    # Windows also refuses "CON.txt" and "con .md": the part before the first dot counts.
    return stem.split(".", 1)[0].rstrip(" ").casefold() in _WINDOWS_DEVICES


def _shortened(stem: str, client_id: str) -> str:
    """Cut a long stem and add a hash of the whole id, so long ids sharing a start stay apart."""
    digest = hashlib.sha256(client_id.encode("utf-8", "surrogatepass")).hexdigest()[:10]
    cut = stem[: MAX_STEM_CHARS - len(digest) - 1]
    while len(cut.encode("utf-8")) > MAX_STEM_BYTES - len(digest) - 1:
        cut = cut[:-1]
    return f"{cut.rstrip(_EDGE_JUNK)}-{digest}"


def _collision_key(name: str) -> str:
    """Names that one of the common file systems would treat as the same file map to one key."""
    return unicodedata.normalize("NFKC", name).casefold()


class ReportNames:
    """Hands out one distinct, safe file name per client for a run of ``gutcheck batch``.

    The same ids in the same order always get the same names, so re-running a batch replaces
    the reports of the earlier run instead of adding copies beside them.
    """

    def __init__(self, extension: str) -> None:
        self.extension = extension.lstrip(".")
        self._taken: set[str] = set()

    def name_for(self, client_id: str) -> str:
        """The next free file name (with extension) for ``client_id``."""
        stem = safe_stem(client_id)
        candidate = f"{stem}.{self.extension}"
        counter = 1
        while _collision_key(candidate) in self._taken:
            counter += 1
            candidate = f"{stem}-{counter}.{self.extension}"
        self._taken.add(_collision_key(candidate))
        return candidate
