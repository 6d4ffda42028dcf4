"""Lint of a rule base's learn file and of the learn topics its rules point to.

Every paragraph must cite at least one source with a checked identifier (a DOI, PMID, PMCID
or https link), and no text may use hype. Topic ids named by factors and suggestions (``learn:``)
must be topics of the learn file. Findings are located in the file they are about.
"""

from __future__ import annotations

from collections.abc import Iterator

from gutcheck.errors import Problem
from gutcheck.lint.findings import Finding, PathKey, hype_in
from gutcheck.rulebook.learn import LoadedLearn, load_learn_detailed
from gutcheck.rulebook.loading import LoadedRules


def lint_learn(loaded: LoadedRules) -> list[Problem]:
    """Findings of the learn file (located in it) and of learn pointers (located in the rules)."""
    learn = load_learn_detailed(loaded.rules)
    problems: list[Problem] = []
    topics = set(learn.book.ids) if learn is not None else set()
    for finding in _pointer_findings(loaded, topics, learn is not None):
        problems.append(Problem(str(loaded.source.locate(finding.path)), finding.message))
    if learn is not None:
        for finding in _learn_findings(learn, loaded):
            problems.append(Problem(str(learn.source.locate(finding.path)), finding.message))
    return problems


def _pointer_findings(loaded: LoadedRules, topics: set[str], has_file: bool) -> Iterator[Finding]:
    model = loaded.model
    for f, factor in enumerate(model.factors):
        pointers: list[tuple[PathKey, list[str]]] = [(("factors", f, "learn"), factor.learn)]
        pointers += [(("factors", f, "suggestions", s, "learn"), sug.learn) for s, sug in enumerate(factor.suggestions)]
        for path, ids in pointers:
            for i, topic in enumerate(ids):
                if not has_file:
                    yield Finding((*path, i), f"learn topic {topic!r} named, but the rule base has no 'learn' file")
                elif topic not in topics:
                    known = ", ".join(sorted(topics))
                    yield Finding((*path, i), f"{topic!r} is not a topic of the learn file ({known})")


def _learn_findings(learn: LoadedLearn, loaded: LoadedRules) -> Iterator[Finding]:
    references = loaded.rules.references
    for t, topic in enumerate(learn.model.topics):
        path: PathKey = ("topics", t)
        texts = [((*path, "title"), topic.title), ((*path, "summary"), topic.summary)]
        for p, paragraph in enumerate(topic.paragraphs):
            texts.append(((*path, "paragraphs", p, "text"), paragraph.text))
            checked = [r for r in paragraph.references if r in references and references[r].links]
            if not checked:
                message = "this paragraph cites no source with a checked DOI, PMID, PMCID or https link; cite one"
                yield Finding((*path, "paragraphs", p, "references"), message)
        for where, text in texts:
            hype = hype_in(text)
            if hype:
                yield Finding(where, f"hype ({hype}); say plainly what the evidence shows")
