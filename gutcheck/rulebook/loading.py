"""Loading rule bases: the public entry points, with a cache of checked rule bases.

Checking a rule base needs pydantic models whose set-up costs more than everything else at
start-up, so the normalised data of every rule-base text that passed its checks is kept in the
data directory, keyed by the text's hash and the gutcheck version. The same text is then
compiled straight from that data; any other text is checked in full.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from gutcheck.errors import RulesError
from gutcheck.files.access import read_user_text
from gutcheck.files.paths import bundled_rules_path
from gutcheck.rulebook import cache as rules_cache
from gutcheck.rulebook.compiler import FileLocator, compile_rules, content_hash
from gutcheck.rulebook.model import RuleBase

if TYPE_CHECKING:
    from gutcheck.files.yaml_located import SourceMap
    from gutcheck.rulebook.spec import RuleBaseSpec


@dataclass(frozen=True)
class LoadedRules:
    """A compiled rule base with the model and source map it came from (for lint and tools)."""

    rules: RuleBase
    model: RuleBaseSpec
    source: SourceMap


def load_rules(path: str | Path | None = None) -> RuleBase:
    """Load, check and compile a rule base (the bundled one when ``path`` is None)."""
    text, display = _read(path)
    directory = _directory(path)
    cached = rules_cache.lookup(text)
    if cached is not None:
        rules, _ = compile_rules(cached, FileLocator(display), content_hash(cached), directory)
        return rules
    return _check(text, display, directory).rules


def load_rules_detailed(path: str | Path | None = None) -> LoadedRules:
    """Check a rule base in full, returning the validated model and the source map too."""
    text, display = _read(path)
    return _check(text, display, _directory(path))


def load_rules_text(text: str, display: str = "<rules>", directory: str | None = None) -> RuleBase:
    """Check and compile a rule base from YAML text; ``display`` names it in messages.

    Its ``learn`` file, if it names one, is found in ``directory`` (without it, none is loaded).
    """
    return _check(text, display, directory).rules


def _check(text: str, display: str, directory: str | None) -> LoadedRules:
    from gutcheck.rulebook.validation import validate_text

    normal, model, source, rules = validate_text(text, display, directory)
    rules_cache.store(text, normal)
    return LoadedRules(rules, model, source)


def _directory(path: str | Path | None) -> str:
    """The folder a rule file's ``learn`` path is relative to."""
    file = Path(path) if path is not None else bundled_rules_path()
    return str(file.parent)


def _read(path: str | Path | None) -> tuple[str, str]:
    file = Path(path) if path is not None else bundled_rules_path()
    display = str(path) if path is not None else file.name
    hint = "give the path of a rule base .yaml file (or leave it out for the bundled rules)"
    return read_user_text(file, display, error=RulesError, hint=hint), display
