"""The result of scoring: plain, frozen data that every renderer and the history store share.

An :class:`Assessment` is self-contained: it carries the texts, levels, suggestions and
references a report needs, so a saved JSON document can be rendered again without the rule
base. ``to_dict``/``from_dict`` are the versioned JSON form (``gutcheck.assessment/1``).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

from gutcheck.rulebook.content import LearnParagraph, LearnTopic, ReferenceInfo

ASSESSMENT_SCHEMA = "gutcheck.assessment/1"
# What the overall level says while an alarm symptom stands, in place of its band's summary:
# under a "see a clinician" notice it must not read as reassurance.
ALARM_OVERALL = (
    "This level counts habits and exposures only. It says nothing about the symptom you "
    "reported, which needs a clinician whatever this level is."
)

EVIDENCE_WORDS: dict[str, str] = {
    "rct": "trial in people",
    "human": "studies in people",
    "review": "review of studies",
    "guideline": "clinical guideline",
    "lab": "cell or animal studies only",
}


@dataclass(frozen=True)
class Contribution:
    """One answer and the points it added to its factor: the 'why' of a score."""

    question: str
    ask: str
    answer: str
    points: int


@dataclass(frozen=True)
class FactorResult:
    """A factor's score: raw points of the maximum reachable, percent and band."""

    id: str
    title: str
    weight: float
    raw: int
    max: int
    percent: float | None
    level: str | None
    summary: str
    explanation: str
    contributions: tuple[Contribution, ...]
    unanswered: tuple[str, ...]
    references: tuple[str, ...]
    learn: tuple[str, ...] = ()

    def top_contributions(self, count: int = 3) -> tuple[Contribution, ...]:
        """The answers that raised this factor most, largest first."""
        moving = [c for c in self.contributions if c.points > 0]
        return tuple(sorted(moving, key=lambda c: -c.points)[:count])


@dataclass(frozen=True)
class OverallResult:
    """The weighted mean of factor percents and its band."""

    percent: float | None
    level: str | None
    summary: str


@dataclass(frozen=True)
class RedFlagResult:
    """A red flag answered 'yes': its question, its kind and what to do, how soon.

    ``kind`` is 'alarm' (a symptom or sign that needs a clinician) or 'risk' (a reason to
    mention something to a doctor, such as a family history). ``urgency``, ``advice`` and
    ``step`` (the first step in one line, opening with its time frame in words) are already
    resolved for this person's answers (age, say). ``title`` is a short name for the flag.
    """

    id: str
    ask: str
    advice: str
    urgency: str
    references: tuple[str, ...]
    kind: str = "alarm"
    title: str = ""
    step: str = ""

    @property
    def is_alarm(self) -> bool:
        """True for a symptom or sign that needs a clinician (not a risk marker)."""
        return self.kind != "risk"

    @property
    def name(self) -> str:
        """The flag's short name (its question, for a document saved before flags had names)."""
        return self.title or self.ask

    @property
    def time_frame(self) -> str:
        """How soon, in words: 'today', 'within days' ..."""
        from gutcheck.engine.urgency import tier

        return tier(self.urgency).time_frame

    @property
    def step_text(self) -> str:
        """The one-line first step (made from the time frame for a document saved without one)."""
        if self.step:
            return self.step
        from gutcheck.engine.urgency import step_line

        return step_line(self.urgency, "see a doctor about what you reported.")


@dataclass(frozen=True)
class InstrumentResult:
    """A published instrument's own result inside a factor (such as AUDIT-C 5 of 12, positive).

    ``note`` says when the cut-off had to be chosen without an answer it depends on.
    """

    factor: str
    id: str
    name: str
    total: int
    max: int
    at_least: int | None  # None: no cut-off applies to this person (the label says why)
    label: str
    positive: bool
    result: str
    note: str | None = None
    references: tuple[str, ...] = ()

    @property
    def screen(self) -> str | None:
        """'positive' or 'negative', as conditions read it; None when no cut-off applied."""
        if self.at_least is None:
            return None
        return "positive" if self.positive else "negative"

    @property
    def line(self) -> str:
        """One line: 'AUDIT-C 5 of 12: a positive screen for hazardous drinking (cut-off 4 for men)'."""
        if self.at_least is None:
            return f"{self.name} {self.total} of {self.max} ({self.label})"
        return f"{self.name} {self.total} of {self.max}: {self.result} ({self.label})"


@dataclass(frozen=True)
class SuggestionResult:
    """A suggestion chosen for this person, with its evidence grade and caution."""

    id: str
    factor: str
    text: str
    why: str
    evidence: str
    caution: str | None
    references: tuple[str, ...]
    priority: str = "standard"
    short: str = ""
    learn: tuple[str, ...] = ()

    @property
    def step(self) -> str:
        """The one-line step shown in 'Your first steps'."""
        return self.short or self.text

    @property
    def evidence_words(self) -> str:
        """The evidence grade in words a person understands."""
        return EVIDENCE_WORDS.get(self.evidence, self.evidence)


@dataclass(frozen=True)
class Step:
    """One line of "Your first steps": a red flag's action (its time frame first) or a suggestion."""

    id: str
    text: str
    red_flag: RedFlagResult | None = None
    suggestion: SuggestionResult | None = None


@dataclass(frozen=True)
class AnswerRecord:
    """An answer as given: question id and text, stored value and its label."""

    question: str
    ask: str
    value: Any
    label: str


@dataclass(frozen=True)
class RulesInfo:
    """Which rule base produced the assessment."""

    id: str
    version: str
    title: str
    hash: str


@dataclass(frozen=True)
class Assessment:
    """Everything one scoring produced, ready to render or store."""

    rules: RulesInfo
    taken_at: str
    disclaimer: str
    overall: OverallResult
    factors: tuple[FactorResult, ...]
    red_flags: tuple[RedFlagResult, ...]
    suggestions: tuple[SuggestionResult, ...]
    answers: tuple[AnswerRecord, ...]
    unanswered: tuple[str, ...]
    references: dict[str, ReferenceInfo] = field(default_factory=dict)
    client: str | None = None
    instruments: tuple[InstrumentResult, ...] = ()
    first_steps: tuple[str, ...] = ()
    about: tuple[AnswerRecord, ...] = ()
    learn: tuple[LearnTopic, ...] = ()

    @property
    def has_red_flags(self) -> bool:
        """True when any red flag (alarm symptom or risk marker) was answered yes."""
        return bool(self.red_flags)

    @property
    def has_alarm(self) -> bool:
        """True when an alarm symptom (not only a risk marker) was reported."""
        return any(flag.is_alarm for flag in self.red_flags)

    def steps(self) -> tuple[Step, ...]:
        """'Your first steps', in order: every red flag answered yes, most urgent first, then
        suggestions. A document saved before red flags were steps gets them in front of its
        suggestion steps; one saved before first steps existed, its first five suggestions
        that are not lab-only."""
        flags = {flag.id: flag for flag in self.red_flags}
        by_id = {s.id: s for s in self.suggestions}
        ids = list(self.first_steps) or [s.id for s in self.suggestions[:5] if s.evidence != "lab"] or [
            s.id for s in self.suggestions[:3]
        ]
        missing = [flag.id for flag in self.red_flags if flag.id not in ids]
        steps = []
        for step_id in missing + ids:
            if step_id in flags:
                steps.append(Step(step_id, flags[step_id].step_text, red_flag=flags[step_id]))
            elif step_id in by_id:
                steps.append(Step(step_id, by_id[step_id].step, suggestion=by_id[step_id]))
        return tuple(steps)

    def overall_summary(self) -> str:
        """What the overall level means for this person: its band's summary, or, while an alarm
        symptom stands, that it counts habits only (also for a document saved before the
        engine said so itself)."""
        return ALARM_OVERALL if self.has_alarm else self.overall.summary

    def instrument_of(self, factor: str) -> InstrumentResult | None:
        """The instrument result of a factor, if it has one."""
        return next((i for i in self.instruments if i.factor == factor), None)

    def top_factor(self) -> FactorResult | None:
        """The factor that weighs most for this person (weight times percent), if any scored."""
        scored = [f for f in self.factors if f.percent is not None and f.percent > 0]
        return max(scored, key=lambda f: f.weight * (f.percent or 0.0), default=None)

    def to_dict(self) -> dict[str, Any]:
        """The versioned JSON form of this assessment."""
        data = asdict(self)
        data["references"] = {
            ref_id: {**asdict(ref), "links": list(ref.links)} for ref_id, ref in self.references.items()
        }
        for item, suggestion in zip(data["suggestions"], self.suggestions, strict=True):
            item["evidence_words"] = suggestion.evidence_words
        for item, instrument in zip(data["instruments"], self.instruments, strict=True):
            item["line"] = instrument.line
        for item, flag in zip(data["red_flags"], self.red_flags, strict=True):
            item["time_frame"] = flag.time_frame
        return {"schema": ASSESSMENT_SCHEMA, **data}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Assessment:
        """Rebuild an assessment from its JSON form; raises ValueError on a wrong schema."""
        if data.get("schema") != ASSESSMENT_SCHEMA:
            raise ValueError(f"not a {ASSESSMENT_SCHEMA} document (schema is {data.get('schema')!r})")
        try:
            return _assessment_from(data)
        except (KeyError, TypeError, AttributeError) as exc:
            raise ValueError(f"malformed assessment document ({exc})") from exc


def _assessment_from(data: dict[str, Any]) -> Assessment:
    try:
        datetime.fromisoformat(str(data["taken_at"]))
    except ValueError:
        raise ValueError(f"taken_at {data['taken_at']!r} is not an ISO 8601 time") from None
    factors = tuple(
        FactorResult(
            **{
                **f,
                "contributions": tuple(Contribution(**c) for c in f["contributions"]),
                "unanswered": tuple(f["unanswered"]),
                "references": tuple(f["references"]),
                "learn": tuple(f.get("learn", ())),
            }
        )
        for f in data["factors"]
    )
    return Assessment(
        rules=RulesInfo(**data["rules"]),
        taken_at=data["taken_at"],
        disclaimer=data["disclaimer"],
        overall=OverallResult(**data["overall"]),
        factors=factors,
        red_flags=tuple(
            RedFlagResult(**{**{k: v for k, v in r.items() if k != "time_frame"}, "references": tuple(r["references"])})
            for r in data["red_flags"]
        ),
        instruments=tuple(_instrument_from(i) for i in data.get("instruments", ())),
        first_steps=tuple(data.get("first_steps", ())),
        about=tuple(AnswerRecord(**a) for a in data.get("about", ())),
        learn=tuple(_topic_from(t) for t in data.get("learn", ())),
        suggestions=tuple(_suggestion_from(s) for s in data["suggestions"]),
        answers=tuple(AnswerRecord(**a) for a in data["answers"]),
        unanswered=tuple(data["unanswered"]),
        references={
            key: ReferenceInfo(**{k: v for k, v in ref.items() if k != "links"})
            for key, ref in data["references"].items()
        },
        client=data.get("client"),
    )


def _suggestion_from(item: dict[str, Any]) -> SuggestionResult:
    fields = {k: v for k, v in item.items() if k != "evidence_words"}
    fields["references"] = tuple(fields["references"])
    fields["learn"] = tuple(fields.get("learn", ()))
    return SuggestionResult(**fields)


def _instrument_from(item: dict[str, Any]) -> InstrumentResult:
    fields = {k: v for k, v in item.items() if k != "line"}
    fields["references"] = tuple(fields.get("references", ()))
    return InstrumentResult(**fields)


def _topic_from(item: dict[str, Any]) -> LearnTopic:
    paragraphs = tuple(LearnParagraph(p["text"], tuple(p["references"])) for p in item["paragraphs"])
    return LearnTopic(item["id"], item["title"], item["summary"], paragraphs)
