"""The learn file format, version 1: short, sourced explainers kept beside a rule base.

A learn file names the rule base whose references it cites (``rules``) and lists topics,
each with a title, a one-sentence summary and paragraphs that cite reference ids.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from gutcheck.rulebook.spec import Identifier, Text


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class ParagraphSpec(_Strict):
    """One paragraph and the references (ids of the rule base's sources) it rests on."""

    text: Text
    references: list[Identifier] = Field(min_length=1)


class TopicSpec(_Strict):
    """A topic of ``gutcheck learn``."""

    id: Identifier
    title: Text
    summary: Text
    paragraphs: list[ParagraphSpec] = Field(min_length=1)


class LearnSpec(_Strict):
    """A whole learn file."""

    format: Literal[1]
    rules: Identifier
    topics: list[TopicSpec] = Field(min_length=1)
