"""Loading the learn file of a rule base: sourced explainers for ``gutcheck learn`` and reports.

The rule base names its learn file (``learn:``, a path relative to the rule file). The file is
checked like a rule base: safe YAML, the format model, then cross checks (it belongs to this
rule base, topic ids are unique, every cited reference exists), every problem located
``file:line:column``. Checked files are remembered in the rules cache under the hash of their
text together with the rule base's hash, so a change to either is checked again.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gutcheck.errors import Problem, RulesError
from gutcheck.files.access import read_user_text
from gutcheck.rulebook import cache as rules_cache
from gutcheck.rulebook.content import LearnParagraph, LearnTopic

if TYPE_CHECKING:
    from gutcheck.files.yaml_located import SourceMap
    from gutcheck.rulebook.learnspec import LearnSpec
    from gutcheck.rulebook.model import RuleBase

PathKey = tuple[str | int, ...]


@dataclass(frozen=True)
class LearnBook:
    """The topics of a learn file, in file order."""

    file: str
    topics: tuple[LearnTopic, ...]

    def topic(self, topic_id: str) -> LearnTopic | None:
        """The topic with this id, if there is one."""
        return next((t for t in self.topics if t.id == topic_id), None)

    @property
    def ids(self) -> tuple[str, ...]:
        """Every topic id, in file order."""
        return tuple(t.id for t in self.topics)


@dataclass(frozen=True)
class LoadedLearn:
    """A checked learn file with its model and source map (for lint)."""

    book: LearnBook
    model: LearnSpec
    source: SourceMap


_LOADED: dict[tuple[str, str, int, int], LearnBook] = {}


def load_learn(rules: RuleBase) -> LearnBook | None:
    """The learn file of ``rules`` (None when it names none); RulesError on any problem.

    A file loaded before in this process, unchanged since (same size and time), is reused.
    """
    if rules.learn_file is None:
        return None
    try:
        stat = Path(rules.learn_file).stat()
        memo_key = (rules.learn_file, rules.content_hash, stat.st_mtime_ns, stat.st_size)
    except OSError:
        memo_key = None
    if memo_key is not None and memo_key in _LOADED:
        return _LOADED[memo_key]
    text, display = _read(rules)
    cached = rules_cache.lookup(f"{rules.content_hash}\0{text}", kind="learn")
    book = book_from(cached, display) if cached is not None else _check(rules, text, display).book
    if memo_key is not None and len(_LOADED) < 16:
        _LOADED[memo_key] = book
    return book


def load_learn_detailed(rules: RuleBase) -> LoadedLearn | None:
    """Check the learn file of ``rules`` in full, with its model and source map."""
    if rules.learn_file is None:
        return None
    text, display = _read(rules)
    return _check(rules, text, display)


def _read(rules: RuleBase) -> tuple[str, str]:
    file = Path(rules.learn_file or "")
    hint = f"the rule base {rules.id} names this learn file under 'learn'; create it or fix the path"
    return read_user_text(file, file.name, error=RulesError, hint=hint), file.name


def book_from(data: dict[str, Any], display: str) -> LearnBook:
    """A learn book from checked, normalised data."""
    topics = tuple(
        LearnTopic(
            t["id"], t["title"], t["summary"],
            tuple(LearnParagraph(p["text"], tuple(p["references"])) for p in t["paragraphs"]),
        )
        for t in data["topics"]
    )
    return LearnBook(display, topics)


def _check(rules: RuleBase, text: str, display: str) -> LoadedLearn:
    from pydantic import ValidationError

    from gutcheck.files.yaml_located import YamlProblems, load_yaml, sorted_problems
    from gutcheck.rulebook.learnspec import LearnSpec
    from gutcheck.rulebook.validation import model_problems

    try:
        data, source = load_yaml(text, display, keep_duplicates=True)
    except YamlProblems as exc:
        raise learn_error(display, exc.problems) from None
    if not isinstance(data, dict):
        message = "a learn file is a mapping with the keys format, rules and topics"
        raise learn_error(display, [Problem(display, message)])
    try:
        model = LearnSpec.model_validate(data)
    except ValidationError as exc:
        raise learn_error(display, sorted_problems([*source.duplicates, *model_problems(exc, data, source)])) from None
    found = [Problem(str(source.locate(path)), message) for path, message in _cross_checks(model, rules)]
    if found or source.duplicates:
        raise learn_error(display, sorted_problems([*source.duplicates, *found]))
    normal = model.model_dump(mode="json")
    rules_cache.store(f"{rules.content_hash}\0{text}", normal, kind="learn")
    return LoadedLearn(book_from(normal, display), model, source)


def _cross_checks(model: LearnSpec, rules: RuleBase) -> Iterator[tuple[PathKey, str]]:
    if model.rules != rules.id:
        yield ("rules",), f"this learn file is for the rule base {model.rules!r}, not {rules.id!r}"
    seen: set[str] = set()
    for t, topic in enumerate(model.topics):
        if topic.id in seen:
            yield ("topics", t, "id"), f"duplicate topic id {topic.id!r}"
        seen.add(topic.id)
        for p, paragraph in enumerate(topic.paragraphs):
            for r, ref in enumerate(paragraph.references):
                if ref not in rules.references:
                    where: PathKey = ("topics", t, "paragraphs", p, "references", r)
                    yield where, f"unknown reference {ref!r}; cite an id listed under the rule base's 'references'"


def learn_error(display: str, problems: list[Problem]) -> RulesError:
    """One RulesError for all problems of a learn file."""
    count = len(problems)
    noun = "problem" if count == 1 else "problems"
    return RulesError(f"{display}: {count} {noun} in the learn file; fix and try again", tuple(problems))
