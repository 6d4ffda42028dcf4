"""The rule-base file format, version 1, as pydantic models.

These models describe what an author writes. They check shapes and types only; the loader
adds the cross checks (ids, references, conditions, bands) and compiles the result into a
:class:`gutcheck.rulebook.model.RuleBase`. The shipped JSON Schema is generated from these models.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

Identifier = Annotated[
    str,
    Field(
        pattern=r"^[a-z][a-z0-9_-]*$",
        max_length=64,
        description="Lower-case id: letters, digits, '_' or '-', starting with a letter.",
    ),
]
Text = Annotated[str, Field(min_length=1, max_length=4000)]
EvidenceKind = Literal["rct", "human", "review", "guideline", "lab"]
Urgency = Literal["emergency", "same_day", "urgent", "two_weeks", "soon", "routine"]
Condition = Annotated[
    dict[str, Any],
    Field(
        description=(
            "A condition: {question_id: value} or {question_id: {equals|in|not_in|contains|"
            "gt|gte|lt|lte|answered: ...}}, combined with all/any/not. Several keys mean all."
        )
    ),
]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class ReferenceSpec(_Strict):
    """A source: citation text and the identifiers that were checked."""

    cite: Text
    kind: EvidenceKind
    doi: str | None = Field(default=None, description="DOI such as 10.1136/gut.27.11.1292")
    pmid: str | None = Field(default=None, description="PubMed id, digits only, quoted")
    pmcid: str | None = Field(default=None, description="PubMed Central id such as PMC1234567")
    url: str | None = Field(default=None, description="An https link to the source")
    note: str | None = None


class OptionSpec(_Strict):
    """One answer option of a choice, multi or scale question."""

    value: Identifier
    label: Text
    points: int = Field(ge=-100, le=100)
    exclusive: bool = Field(
        default=False, description="multi only: this option ('none of these') excludes the rest"
    )


class AboutOptionSpec(_Strict):
    """One answer option of an 'about you' question: never scored, so its points are 0."""

    value: Identifier
    label: Text
    points: int = Field(default=0, ge=-100, le=100, description="must be 0: about questions are never scored")


class RangeSpec(_Strict):
    """Points for numbers below a bound; the last range has no bound."""

    below: float | None = None
    points: int = Field(ge=-100, le=100)


class _QuestionBase(_Strict):
    id: Identifier
    ask: Text
    help: str | None = None
    show_if: Condition | None = None
    allow_skip: bool = Field(default=False, description="offer 'Prefer not to say'")


class ChoiceQuestion(_QuestionBase):
    """Pick exactly one option."""

    type: Literal["choice"]
    options: list[OptionSpec] = Field(min_length=2)


class ScaleQuestion(_QuestionBase):
    """Pick one step of an ordered, labelled scale."""

    type: Literal["scale"]
    options: list[OptionSpec] = Field(min_length=2)


class MultiQuestion(_QuestionBase):
    """Pick any number of options, within optional limits; points add up."""

    type: Literal["multi"]
    options: list[OptionSpec] = Field(min_length=2)
    min_picks: int = Field(default=0, ge=0)
    max_picks: int | None = Field(default=None, ge=1)


class YesNoQuestion(_QuestionBase):
    """Answer yes or no."""

    type: Literal["yesno"]
    yes_points: int = Field(default=1, ge=-100, le=100)
    no_points: int = Field(default=0, ge=-100, le=100)


class NumberQuestion(_QuestionBase):
    """Enter a number within a range; points come from ranges of the number."""

    type: Literal["number"]
    min: float
    max: float
    unit: str | None = None
    integer: bool = Field(default=False, description="only whole numbers are accepted")
    ranges: list[RangeSpec] = Field(min_length=1)


QuestionSpec = Annotated[
    ChoiceQuestion | ScaleQuestion | MultiQuestion | YesNoQuestion | NumberQuestion,
    Field(discriminator="type"),
]


class AboutQuestionSpec(_QuestionBase):
    """An optional question about the person (age band, sex): asked first, never scored."""

    type: Literal["choice", "scale", "multi", "yesno", "number"] = Field(
        default="choice", description="about questions are choice questions"
    )
    allow_skip: bool = Field(default=True, description="about questions always offer 'Prefer not to say'")
    options: list[AboutOptionSpec] = Field(default_factory=list)


class BandSpec(_Strict):
    """A band of scores with its level and message; bands run upward without gaps."""

    min: float | None = Field(default=None, description="defaults to the previous band's 'below'")
    below: float | None = Field(default=None, description="omit on the last band")
    level: Identifier
    summary: Text


class SuggestionSpec(_Strict):
    """Something a person can do, when it applies, with its evidence and cautions."""

    id: Identifier
    text: Text
    why: Text
    evidence: EvidenceKind
    references: list[Identifier] = Field(min_length=1)
    caution: str | None = None
    when: Condition | None = None
    priority: Literal["safety", "targeted", "standard"] = Field(
        default="standard",
        description=(
            "safety: a test to ask for, a medicine to review, heavy drinking to cut down with help; "
            "targeted: a guideline made for exactly the situation 'when' describes"
        ),
    )
    hold_for_alarms: bool = Field(
        default=False,
        description=(
            "never given while an alarm symptom is reported (its 'when' must say {alarm: false}; lint checks): "
            "for advice a person could use to treat a symptom themselves"
        ),
    )
    short: Annotated[str, Field(min_length=1, max_length=100)] | None = Field(
        default=None, description="one line for 'Your first steps'; default: the first sentence of text"
    )
    learn: list[Identifier] = Field(default_factory=list, description="ids of learn topics")


class CutoffSpec(_Strict):
    """A cut-off of an instrument: the first whose ``when`` holds (or that has none) is used."""

    when: Condition | None = None
    at_least: int | None = Field(
        default=None, ge=0, le=1000,
        description="a total at or above this is a positive screen; leave out for no screen result (say why in label)",
    )
    label: Text


class InstrumentSpec(_Strict):
    """A published scale inside a factor: its total is the sum of its items' points."""

    id: Identifier
    name: Annotated[str, Field(min_length=1, max_length=80)]
    items: list[Identifier] = Field(min_length=1, description="question ids of this factor")
    references: list[Identifier] = Field(default_factory=list)
    positive: Text
    negative: Text
    cutoffs: list[CutoffSpec] = Field(min_length=1)


class FactorSpec(_Strict):
    """A risk factor: its questions, score bands and suggestions."""

    id: Identifier
    title: Text
    weight: float = Field(gt=0, le=100)
    explanation: Text
    references: list[Identifier] = Field(default_factory=list)
    questions: list[QuestionSpec] = Field(min_length=1)
    bands: list[BandSpec] = Field(min_length=1)
    suggestions: list[SuggestionSpec] = Field(default_factory=list)
    instrument: InstrumentSpec | None = None
    learn: list[Identifier] = Field(default_factory=list, description="ids of learn topics")


OneLine = Annotated[str, Field(min_length=1, max_length=100)]


class UrgencyRuleSpec(_Strict):
    """An urgency that replaces a red flag's default when its condition holds."""

    when: Condition
    urgency: Urgency
    advice: Text | None = None
    action: OneLine | None = Field(default=None, description="replaces the red flag's action")


class RedFlagSpec(_Strict):
    """A red flag, asked first and never scored: an alarm symptom or a risk marker.

    ``kind: alarm`` is a symptom or sign that needs a clinician; ``kind: risk`` (a family
    history, say) is a reason to mention something to a doctor.
    """

    id: Identifier
    kind: Literal["alarm", "risk"] = "alarm"
    title: OneLine | None = Field(default=None, description="a short name, such as 'Blood in the stool'")
    ask: Text
    help: str | None = None
    show_if: Condition | None = Field(
        default=None, description="asked only when this holds (it may read the about questions and earlier red flags)"
    )
    advice: Text
    action: OneLine | None = Field(
        default=None,
        description="the first step in one line, without its time frame (added from the urgency)",
    )
    urgency: Urgency = "soon"
    urgency_if: list[UrgencyRuleSpec] = Field(
        default_factory=list, description="the first whose 'when' holds replaces urgency (and advice)"
    )
    references: list[Identifier] = Field(default_factory=list)


class OverallSpec(_Strict):
    """Bands on the overall percent (weighted mean of factor percents, 0 to 100)."""

    bands: list[BandSpec] = Field(min_length=1)


class RuleBaseSpec(_Strict):
    """A whole rule base file."""

    format: Literal[1]
    id: Identifier
    version: Annotated[str, Field(min_length=1, max_length=40)]
    title: Text
    disclaimer: Text
    references: dict[str, ReferenceSpec] = Field(default_factory=dict)
    learn: Annotated[str, Field(min_length=1, max_length=300)] | None = Field(
        default=None, description="path of the learn file, relative to this file"
    )
    red_flags: list[RedFlagSpec] = Field(default_factory=list)
    about: list[AboutQuestionSpec] = Field(default_factory=list)
    factors: list[FactorSpec] = Field(min_length=1)
    overall: OverallSpec


def rules_json_schema() -> dict[str, Any]:
    """The JSON Schema (draft-07 compatible) of the rule-base format, for editors."""
    schema = RuleBaseSpec.model_json_schema()
    schema["$schema"] = "http://json-schema.org/draft-07/schema#"
    schema["title"] = "gutcheck rule base, format 1"
    return _defs_to_definitions(schema)


def _defs_to_definitions(schema: dict[str, Any]) -> dict[str, Any]:
    """Draft-07 names the shared parts ``definitions``; pydantic writes ``$defs``."""
    import json

    text = json.dumps(schema).replace('"#/$defs/', '"#/definitions/')
    result: dict[str, Any] = json.loads(text)
    result["definitions"] = result.pop("$defs", {})
    return result
