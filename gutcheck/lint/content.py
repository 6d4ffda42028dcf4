"""Content lint of a rule base: what ``validate`` cannot see but an author should fix.

``gutcheck rules validate`` says a rule base can be used; lint says whether it is fit to
publish: every factor, suggestion and red flag cites a source and every source is cited;
identifiers have the right shape and links use https; suggestions are graded like their
sources; texts are free of hype; and every band, suggestion and question can actually be
reached by some set of answers. Every finding is located ``file:line:column``.

Reachability is decided by walking every answer combination of one factor at a time, with
the questions its conditions mention from elsewhere. Answers that score the same and that
no condition can tell apart are walked once, which keeps the walk small.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from typing import Any
from urllib.parse import urlsplit

from gutcheck.engine.ranking import EVIDENCE_ORDER
from gutcheck.errors import Problem
from gutcheck.lint.findings import HYPE, Finding, PathKey
from gutcheck.lint.learn import lint_learn
from gutcheck.lint.reachability import reach_findings
from gutcheck.lint.safety import safety_findings
from gutcheck.rulebook import spec
from gutcheck.rulebook.loading import LoadedRules

ValueTest = Callable[[Any], bool]




_SHAPES: dict[str, tuple[re.Pattern[str], str]] = {
    "doi": (re.compile(r"^10\.\d{4,9}/\S+$"), "a DOI looks like 10.1136/gut.27.11.1292, without a link in front"),
    "pmid": (re.compile(r"^[1-9]\d{0,8}$"), 'a PMID is digits only, such as "24153250"'),
    "pmcid": (re.compile(r"^PMC\d+$"), "a PMCID is PMC followed by digits, such as PMC4253991"),
}


_SAFETY_EVIDENCE = frozenset({"guideline", "rct", "human"})
_MULTI_SPLIT = re.compile(r"[;\n]")  # ", " is not here: a label holding it is read whole





def lint_rules(loaded: LoadedRules) -> list[Problem]:
    """Every lint finding of a checked rule base, located and in file order."""
    model, rules = loaded.model, loaded.rules
    findings = [
        *_citation_findings(model),
        *_identifier_findings(model),
        *_evidence_findings(model),
        *_text_findings(model),
        *safety_findings(model),
        *reach_findings(model, rules),
    ]
    located = [(loaded.source.locate(f.path, key=f.key), f.message) for f in findings]
    located.sort(key=lambda item: (item[0].line or 0, item[0].column or 0))
    return [Problem(str(where), message) for where, message in located] + lint_learn(loaded)


# --- sources ---------------------------------------------------------------------------------


def _citation_findings(model: spec.RuleBaseSpec) -> Iterator[Finding]:
    cited: set[str] = set()
    for f, factor in enumerate(model.factors):
        if not factor.references:
            message = f"factor {factor.id!r} cites no source; list its sources under 'references'"
            yield Finding(("factors", f, "id"), message)
        cited.update(factor.references)
        for suggestion in factor.suggestions:
            cited.update(suggestion.references)
    for i, flag in enumerate(model.red_flags):
        if not flag.references:
            message = f"red flag {flag.id!r} cites no source; name the guideline its advice follows"
            yield Finding(("red_flags", i, "id"), message)
        cited.update(flag.references)
    for ref_id in model.references:
        if ref_id not in cited:
            message = f"reference {ref_id!r} is never cited; cite it from a factor, suggestion or red flag, or drop it"
            yield Finding(("references", ref_id), message, key=True)


def _identifier_findings(model: spec.RuleBaseSpec) -> Iterator[Finding]:
    for ref_id, ref in model.references.items():
        for name, (pattern, shape) in _SHAPES.items():
            value = getattr(ref, name)
            if value is not None and not pattern.match(value):
                yield Finding(("references", ref_id, name), f"{ref_id}: {name} {value!r} has the wrong shape; {shape}")
        if ref.url is not None and not _is_https(ref.url):
            message = f"{ref_id}: link {ref.url!r} is not an https address; use https://"
            yield Finding(("references", ref_id, "url"), message)


def _is_https(url: str) -> bool:
    parts = urlsplit(url.strip())
    return parts.scheme == "https" and bool(parts.netloc) and not any(c.isspace() for c in url.strip())


def _evidence_findings(model: spec.RuleBaseSpec) -> Iterator[Finding]:
    for f, factor in enumerate(model.factors):
        for s, suggestion in enumerate(factor.suggestions):
            kinds = {model.references[r].kind for r in suggestion.references if r in model.references}
            if kinds and _strength(suggestion.evidence) < min(_strength(kind) for kind in kinds):
                message = (
                    f"suggestion {suggestion.id!r} is graded {suggestion.evidence!r}, stronger than its sources "
                    f"({', '.join(sorted(kinds))}); grade it by what its sources show"
                )
                yield Finding(("factors", f, "suggestions", s, "evidence"), message)
            if suggestion.priority == "safety" and suggestion.evidence not in _SAFETY_EVIDENCE:
                message = (
                    f"suggestion {suggestion.id!r} has priority 'safety' but is graded {suggestion.evidence!r}; "
                    "a safety step ranks first, so it needs a guideline, a trial or studies in people"
                )
                yield Finding(("factors", f, "suggestions", s, "priority"), message)


def _strength(kind: str) -> int:
    """How strong an evidence kind is (a higher number is weaker): guideline 0 ... lab 4."""
    return EVIDENCE_ORDER.get(kind, len(EVIDENCE_ORDER))


# --- texts -----------------------------------------------------------------------------------


def _text_findings(model: spec.RuleBaseSpec) -> Iterator[Finding]:
    for path, text in _texts(model):
        if not text.strip():
            yield Finding(path, "this text is blank; write what a person should read here")
        hype = list(dict.fromkeys(m.group(0) for m in HYPE.finditer(text)))
        if hype:
            words = ", ".join(repr(word) for word in hype)
            yield Finding(path, f"hype ({words}); say plainly what the evidence shows")
    for path, label in _multi_labels(model):
        if _MULTI_SPLIT.search(label):
            message = f"option label {label!r} has ';' or a line break, which separate picks typed as text; reword it"
            yield Finding(path, message)


def _texts(model: spec.RuleBaseSpec) -> Iterator[tuple[PathKey, str]]:
    yield ("title",), model.title
    yield ("disclaimer",), model.disclaimer
    for i, flag in enumerate(model.red_flags):
        yield ("red_flags", i, "ask"), flag.ask
        yield ("red_flags", i, "advice"), flag.advice
        for name in ("title", "help", "action"):
            if getattr(flag, name) is not None:
                yield ("red_flags", i, name), getattr(flag, name)
        yield from _fields(flag.urgency_if, ("red_flags", i, "urgency_if"), ("advice", "action"))
    yield from _fields(model.about, ("about",), ("ask", "help"))
    for f, factor in enumerate(model.factors):
        path: PathKey = ("factors", f)
        yield (*path, "title"), factor.title
        yield (*path, "explanation"), factor.explanation
        yield from _question_texts(factor, path)
        yield from _fields(factor.bands, (*path, "bands"), ("summary",))
        yield from _fields(factor.suggestions, (*path, "suggestions"), ("text", "why", "caution", "short"))
        if factor.instrument is not None:
            yield (*path, "instrument", "positive"), factor.instrument.positive
            yield (*path, "instrument", "negative"), factor.instrument.negative
            yield from _fields(factor.instrument.cutoffs, (*path, "instrument", "cutoffs"), ("label",))
    yield from _fields(model.overall.bands, ("overall", "bands"), ("summary",))


def _question_texts(factor: spec.FactorSpec, path: PathKey) -> Iterator[tuple[PathKey, str]]:
    yield from _fields(factor.questions, (*path, "questions"), ("ask", "help"))
    for q, question in enumerate(factor.questions):
        options = getattr(question, "options", [])
        yield from _fields(options, (*path, "questions", q, "options"), ("label",))


def _fields(items: Sequence[Any], path: PathKey, names: tuple[str, ...]) -> Iterator[tuple[PathKey, str]]:
    for i, item in enumerate(items):
        for name in names:
            value = getattr(item, name)
            if isinstance(value, str):
                yield (*path, i, name), value


def _multi_labels(model: spec.RuleBaseSpec) -> Iterator[tuple[PathKey, str]]:
    for f, factor in enumerate(model.factors):
        for q, question in enumerate(factor.questions):
            if isinstance(question, spec.MultiQuestion):
                for o, option in enumerate(question.options):
                    yield ("factors", f, "questions", q, "options", o, "label"), option.label
