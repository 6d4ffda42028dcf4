"""Outputs that would overwrite a file the run reads: refused before anything is read or written.

Two names are the same file when they lead to the same inode (a symbolic or hard link, ``..``
in the path, another spelling of the name); names that do not exist yet are compared by their
resolved path. Only regular files can be overwritten this way: a device or pipe named as an
output (``/dev/stdout``) is a stream, not a copy of the input.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from gutcheck.errors import UsageError

Named = tuple[str, Path]  # what the file is to the person ("the input file", "--errors") and its path


def same_file(first: Path, second: Path) -> bool:
    """True when ``first`` and ``second`` name the same regular file (or would, once created)."""
    try:
        one, two = first.stat(), second.stat()
    except OSError:
        return os.path.realpath(first) == os.path.realpath(second)
    if not (Path(first).is_file() and Path(second).is_file()):
        return False
    return (one.st_dev, one.st_ino) == (two.st_dev, two.st_ino)


def holds(folder: Path, file: Path, suffix: str) -> bool:
    """True when ``file`` lies directly in ``folder`` and ends with ``suffix`` (any case), so a
    file written into the folder under that suffix could replace it."""
    if not file.name.casefold().endswith(suffix.casefold()):
        return False
    try:
        return os.path.samefile(folder, os.path.dirname(os.path.realpath(file)) or ".")
    except OSError:
        return os.path.realpath(folder) == os.path.dirname(os.path.realpath(file))


def refuse_overlaps(outputs: Sequence[Named], inputs: Sequence[Named]) -> None:
    """Raise UsageError (one sentence) when an output is one of the inputs."""
    for output_name, output in outputs:
        for input_name, source in inputs:
            if same_file(output, source):
                raise UsageError(
                    f"{output}: {output_name} would overwrite {input_name} {source}; "
                    f"give {output_name} another file name."
                )
