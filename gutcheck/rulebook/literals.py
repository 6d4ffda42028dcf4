"""The one way a rule-file value is written into generated source: a checked literal.

Every value the generated scorer holds (an id, an option value, a level, a number) is written
with :func:`literal`: :func:`ascii` of a checked ``str``, ``bool``, ``int``, finite ``float`` or
``None``, so the source stays plain ASCII and no quote, newline, backslash or look-alike
character can end a literal (or a comment holding one) early. Anything else is refused.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping


class CodegenError(ValueError):
    """A rule base the generator cannot write as source (the message says what limit was hit)."""


def literal(value: object) -> str:
    """The source literal of a checked str, bool, int, finite float or None; anything else is refused."""
    if value is None or value.__class__ in (bool, int, str):
        return ascii(value)
    if isinstance(value, float) and value.__class__ is float and math.isfinite(value):
        return ascii(value)
    raise CodegenError(f"a value of type {type(value).__name__} cannot be written into source")


def literals(values: Iterable[object]) -> str:
    """A tuple literal of checked values."""
    items = [literal(v) for v in values]
    return f"({items[0]},)" if len(items) == 1 else f"({', '.join(items)})"


def mapping(pairs: Mapping[object, object]) -> str:
    """A dictionary literal of checked keys and values, in order."""
    return "{" + ", ".join(f"{literal(key)}: {literal(value)}" for key, value in pairs.items()) + "}"
