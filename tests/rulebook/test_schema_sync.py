"""The shipped JSON Schemas stay in step with the code, and the commands print exactly them.

gutcheck/schema/rules-1.json is what editors use for completion (the rule files point at it
in their yaml-language-server comment). It is generated from gutcheck.rulebook.spec; if the format
changes, regenerate it with:

    .venv/bin/python -c "import json; from gutcheck.rulebook.spec import rules_json_schema; \\
        open('gutcheck/schema/rules-1.json', 'w').write(json.dumps(rules_json_schema(), indent=2) + '\\n')"
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from conftest import MINI_RULES
from helpers import run
from jsonschema import Draft7Validator

from gutcheck.files.paths import bundled_rules_path
from gutcheck.rulebook.spec import rules_json_schema
from gutcheck.schema import SCHEMA_FILES, load_schema, schema_path, schema_text

HOSTILE_RULES = Path(__file__).parents[1] / "data" / "hostile.yaml"


def test_shipped_rules_schema_equals_the_one_generated_from_the_format_models() -> None:
    assert json.loads(schema_text("rules")) == rules_json_schema()
    assert schema_text("rules") == json.dumps(rules_json_schema(), indent=2) + "\n"


@pytest.mark.parametrize("name", sorted(SCHEMA_FILES))
def test_shipped_schemas_are_valid_draft_7(name: str) -> None:
    Draft7Validator.check_schema(load_schema(name))


@pytest.mark.parametrize("rule_file", [MINI_RULES, bundled_rules_path(), HOSTILE_RULES], ids=lambda p: p.name)
def test_rules_schema_accepts_rule_bases_the_loader_accepts(rule_file: Path) -> None:
    document = yaml.safe_load(rule_file.read_text(encoding="utf-8"))
    errors = [e.message for e in Draft7Validator(load_schema("rules")).iter_errors(document)]
    assert errors == []


def test_rules_schema_rejects_what_an_editor_should_flag() -> None:
    document = yaml.safe_load(MINI_RULES.read_text(encoding="utf-8"))
    document["factors"][0]["questions"][0]["type"] = "dropdown"
    document["factors"][0]["colour"] = "red"
    assert not Draft7Validator(load_schema("rules")).is_valid(document)


def test_the_rule_files_point_editors_at_the_shipped_schema() -> None:
    first_line = MINI_RULES.read_text(encoding="utf-8").splitlines()[0]
    target = (MINI_RULES.parent / first_line.split("$schema=", 1)[1]).resolve()
    assert target == schema_path("rules").resolve()


@pytest.mark.parametrize("name", sorted(SCHEMA_FILES))
def test_schema_command_prints_the_shipped_file(name: str) -> None:
    result = run("schema", name)
    assert result.code == 0, result.err
    assert result.out == schema_text(name)


def test_rules_schema_is_the_same_command_as_schema_rules() -> None:
    assert run("rules", "schema").out == run("schema", "rules").out == schema_text("rules")


def test_schema_command_refuses_an_unknown_name() -> None:
    result = run("schema", "answers")
    assert result.code == 2
    assert "assessment" in result.err and "rules" in result.err
