"""gutcheck: a gut-barrier self-assessment, sourced and evidence-graded, never a diagnosis.

The library API is pure: ``load_rules`` reads and checks a rule base, ``score`` turns answers
into an :class:`Assessment`. Names are imported lazily so that ``gutcheck --version`` stays fast.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from gutcheck._version import __version__

if TYPE_CHECKING:
    from gutcheck.engine.assessment import Assessment
    from gutcheck.engine.scoring import score
    from gutcheck.errors import GutcheckError, InputError, RulesError
    from gutcheck.rulebook.loading import load_rules, load_rules_text
    from gutcheck.rulebook.model import RuleBase

__all__ = [
    "Assessment",
    "GutcheckError",
    "InputError",
    "RuleBase",
    "RulesError",
    "__version__",
    "load_rules",
    "load_rules_text",
    "score",
]

_HOMES = {
    "Assessment": "gutcheck.engine.assessment",
    "score": "gutcheck.engine.scoring",
    "GutcheckError": "gutcheck.errors",
    "InputError": "gutcheck.errors",
    "RulesError": "gutcheck.errors",
    "load_rules": "gutcheck.rulebook.loading",
    "load_rules_text": "gutcheck.rulebook.loading",
    "RuleBase": "gutcheck.rulebook.model",
}


def __getattr__(name: str) -> Any:
    """Import public names on first use."""
    if name not in _HOMES:
        raise AttributeError(f"module 'gutcheck' has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(_HOMES[name]), name)
