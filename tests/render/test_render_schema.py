"""The JSON document validates against the shipped JSON Schema, for any valid answers.

Checked with jsonschema (the reference validator) for the bundled rules and the mini rules,
with random valid answer sets from tests/strategies.py. The small checker gutcheck uses at
run time (gutcheck.schema.problems) must agree with jsonschema, on valid documents and on
documents damaged at random.
"""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
from conftest import MINI_RULES
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jsonschema import Draft7Validator
from report_samples import SAMPLES, WHEN
from strategies import valid_answers

from gutcheck.engine.assessment import Assessment
from gutcheck.engine.scoring import score
from gutcheck.render.jsonout import render_json
from gutcheck.rulebook.loading import load_rules
from gutcheck.schema import load_schema, problems

BUNDLED = load_rules(None)
MINI = load_rules(MINI_RULES)
SCHEMA = load_schema("assessment")
VALIDATOR = Draft7Validator(SCHEMA)
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-5, 200) | st.floats(-1, 101, allow_nan=False) | st.text(max_size=5),
    lambda inner: st.lists(inner, max_size=2) | st.dictionaries(st.text(max_size=4), inner, max_size=2),
    max_leaves=4,
)


def errors(document: object) -> list[str]:
    return [f"{list(e.absolute_path)}: {e.message}" for e in VALIDATOR.iter_errors(document)]


def test_the_shipped_schema_is_a_valid_draft_7_schema() -> None:
    Draft7Validator.check_schema(SCHEMA)


@pytest.mark.parametrize("sample", sorted(SAMPLES))
def test_sample_documents_validate(sample: str) -> None:
    document = json.loads(render_json(SAMPLES[sample]()))
    assert errors(document) == []
    assert problems(document, SCHEMA) == []


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(valid_answers(BUNDLED))
def test_bundled_rules_documents_validate_for_any_valid_answers(answers: dict[str, object]) -> None:
    document = json.loads(render_json(score(BUNDLED, answers, taken_at=WHEN)))
    assert errors(document) == []
    assert problems(document, SCHEMA) == []


@settings(max_examples=100, deadline=None)
@given(valid_answers(MINI), st.one_of(st.none(), st.text(min_size=1, max_size=20)))
def test_mini_rules_documents_validate_and_read_back(answers: dict[str, object], client: str | None) -> None:
    assessment = score(MINI, answers, taken_at=WHEN, client=client)
    document = json.loads(render_json(assessment))
    assert errors(document) == []
    assert Assessment.from_dict(document) == assessment


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(valid_answers(BUNDLED, complete=True))
def test_complete_bundled_answer_sets_validate(answers: dict[str, object]) -> None:
    document = json.loads(render_json(score(BUNDLED, answers, taken_at=WHEN)))
    assert errors(document) == []
    assert len(document["factors"]) == len(BUNDLED.factors)


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix]
    if isinstance(value, dict):
        for key, item in value.items():
            found.extend(_paths(item, (*prefix, key)))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found.extend(_paths(item, (*prefix, index)))
    return found


@st.composite
def damaged(draw: st.DrawFn) -> object:
    """A valid document with one random part replaced, removed or added."""
    document: Any = copy.deepcopy(json.loads(render_json(SAMPLES[draw(st.sampled_from(sorted(SAMPLES)))]())))
    path = draw(st.sampled_from(_paths(document)))
    if not path:
        return draw(JSON_VALUES)
    parent = document
    for key in path[:-1]:
        parent = parent[key]
    action = draw(st.sampled_from(["replace", "remove", "add"]))
    if action == "replace":
        parent[path[-1]] = draw(JSON_VALUES)
    elif action == "remove":
        del parent[path[-1]]
    elif isinstance(parent, dict):
        parent[draw(st.text(min_size=1, max_size=6))] = draw(JSON_VALUES)
    return document


@settings(max_examples=400, deadline=None)
@given(damaged())
def test_the_run_time_checker_agrees_with_jsonschema(document: object) -> None:
    assert (problems(document, SCHEMA) == []) == (errors(document) == [])
