"""``gutcheck learn [TOPIC]``: short, sourced explainers kept beside the rule base."""

from __future__ import annotations

from typing import Annotated

import typer

from gutcheck.commands.helptext import command_help
from gutcheck.commands.options import RulesOption

TopicArgument = Annotated[
    str | None,
    typer.Argument(help="A topic id, such as measurement (leave it out to list the topics).", show_default=False),
]


def register(app: typer.Typer) -> None:
    """Add the ``learn`` command to ``app``."""
    app.command("learn", **command_help("learn"))(learn)


def learn(topic: TopicArgument = None, rules: RulesOption = None) -> None:
    """List the explainers (what the gut barrier is, how it is measured, zonulin and gluten, ...),
    or read one with its sources."""
    from gutcheck.commands.options import load
    from gutcheck.commands.output import show
    from gutcheck.errors import InputError, UsageError, did_you_mean
    from gutcheck.render.learn_view import topic_view, topics_view
    from gutcheck.rulebook.learn import load_learn

    rule_base = load(rules)
    book = load_learn(rule_base)
    if book is None:
        raise InputError(f"the rule base {rule_base.id} has no learn file; name one under 'learn' in its YAML")
    if topic is None:
        show(topics_view(rule_base.title, book.topics))
        return
    wanted = topic.strip().lower()
    found = book.topic(wanted)
    if found is None:  # a name typed on the command line: bad usage (2), like an unknown option
        raise UsageError(f"{topic!r} is not a learn topic{did_you_mean(wanted, book.ids)}; "
                         f"choose one of: {', '.join(book.ids)}")
    show(topic_view(found, rule_base.references))
