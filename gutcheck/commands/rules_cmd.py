"""``gutcheck rules ...``: validate, lint, show, export and describe rule bases, and print their scorer."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from gutcheck.commands.helptext import command_help

RulesArgument = Annotated[
    Path | None,
    typer.Argument(
        help="Rule base YAML file (default: the bundled gut-barrier rules).",
        show_default=False,
    ),
]

rules_app = typer.Typer(
    help="Check, lint, show and export rule bases; print their scorer.",
    no_args_is_help=True,
    rich_markup_mode=None,
)


def register(app: typer.Typer) -> None:
    """Add the ``rules`` command group to ``app``."""
    app.add_typer(rules_app, name="rules")


@rules_app.command("validate", **command_help("rules validate"))
def validate(path: RulesArgument = None) -> None:
    """Check a rule base (and its learn file) and list every problem with file:line:column."""
    from gutcheck.rulebook.learn import load_learn_detailed
    from gutcheck.rulebook.loading import load_rules_detailed

    rules = load_rules_detailed(path).rules
    learn = load_learn_detailed(rules)
    questions = sum(len(f.questions) for f in rules.factors)
    topics = f", {len(learn.book.topics)} learn topics" if learn is not None else ""
    typer.echo(
        f"{rules.source}: valid rule base {rules.id} {rules.version}: {len(rules.factors)} factors, "
        f"{questions} questions, {len(rules.red_flags)} red flags, {len(rules.about)} about-you "
        f"questions{topics}."
    )


@rules_app.command("lint", **command_help("rules lint"))
def lint(path: RulesArgument = None) -> None:
    """Check content beyond validity: sources, identifiers, links, hype, reachability."""
    from gutcheck.errors import RulesError
    from gutcheck.lint.content import lint_rules
    from gutcheck.rulebook.loading import load_rules_detailed

    loaded = load_rules_detailed(path)
    findings = lint_rules(loaded)
    rules = loaded.rules
    if findings:
        noun, them = ("finding", "it") if len(findings) == 1 else ("findings", "them")
        raise RulesError(f"{rules.source}: {len(findings)} lint {noun}; fix {them} and try again", tuple(findings))
    typer.echo(f"{rules.source}: lint clean ({rules.id} {rules.version}).")


@rules_app.command("show", **command_help("rules show"))
def show(path: RulesArgument = None) -> None:
    """Show factors, questions, points and bands as tables."""
    from gutcheck.commands.options import load
    from gutcheck.commands.output import make_consoles
    from gutcheck.render.rules_view import rules_view

    rules = load(path)
    make_consoles().out.print(rules_view(rules))


class ExportFormat(str, Enum):
    """Formats a rule base can be exported to."""

    FHIR = "fhir"


@rules_app.command("export", **command_help("rules export"))
def export(
    path: RulesArgument = None,
    fmt: Annotated[
        ExportFormat, typer.Option("--format", "-f", help="fhir: an HL7 FHIR R4 Questionnaire (JSON).",
                                   case_sensitive=False),
    ] = ExportFormat.FHIR,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="Write to this file (atomically) instead of stdout.", show_default=False),
    ] = None,
) -> None:
    """Export the rule base as a FHIR Questionnaire, for web form fillers such as LHC-Forms."""
    import json

    from gutcheck.interop.questionnaire import questionnaire, raw_conditions
    from gutcheck.rulebook.loading import load_rules_detailed

    loaded = load_rules_detailed(path)
    conditions = raw_conditions(loaded.model.model_dump())
    text = json.dumps(questionnaire(loaded.rules, conditions), indent=2, ensure_ascii=False) + "\n"
    if output is None:
        from gutcheck.commands.output import emit_text

        emit_text(text)
        return
    from gutcheck.files.access import write_text_atomic

    write_text_atomic(output, text, "the questionnaire")
    typer.echo(f"Wrote {output} ({fmt.value} Questionnaire of {loaded.rules.id} {loaded.rules.version}).", err=True)


@rules_app.command("scorer", **command_help("rules scorer"))
def scorer(path: RulesArgument = None) -> None:
    """Print the Python scorer gutcheck generates from the rule base, to read the rules in it."""
    from gutcheck.commands.options import load
    from gutcheck.commands.output import emit_text
    from gutcheck.engine.compiled import scorer_source

    emit_text(scorer_source(load(path)))


@rules_app.command("schema", **command_help("rules schema"))
def schema() -> None:
    """Print the JSON Schema of the rule-base format (for editor completion)."""
    from gutcheck.commands.output import emit_text
    from gutcheck.schema import schema_text

    emit_text(schema_text("rules"))  # the same as 'gutcheck schema rules'
