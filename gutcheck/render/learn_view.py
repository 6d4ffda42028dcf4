"""``gutcheck learn``: the list of topics, and one topic with its sources."""

from __future__ import annotations

from collections.abc import Mapping

from rich import box
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from gutcheck.render.reportparts import LEARN_COMMAND
from gutcheck.render.terminal import reference_line
from gutcheck.rulebook.content import LearnTopic, ReferenceInfo


def topics_view(title: str, topics: tuple[LearnTopic, ...]) -> RenderableType:
    """A table of topics: id, title and one-sentence summary, and how to read one."""
    table = Table(title=f"Learn more: {title}", title_justify="left", box=box.SIMPLE, show_edge=False)
    table.add_column("Topic", no_wrap=True)
    table.add_column("Title")
    table.add_column("In one sentence")
    for topic in topics:
        table.add_row(topic.id, topic.title, topic.summary)
    first = topics[0].id if topics else "TOPIC"
    hint = Text(f"Read one with: {LEARN_COMMAND} {first}", style="dim")
    return Group(table, hint)


def topic_view(topic: LearnTopic, references: Mapping[str, ReferenceInfo]) -> RenderableType:
    """One topic: title, summary, its paragraphs, then each source cited, with its links."""
    text = Text()
    text.append(f"{topic.title}\n", style="bold")
    text.append(f"{topic.summary}\n", style="italic")
    for paragraph in topic.paragraphs:
        text.append(f"\n{' '.join(paragraph.text.split())}\n")
    cited = list(dict.fromkeys(ref for p in topic.paragraphs for ref in p.references))
    sources = [references[ref] for ref in cited if ref in references]
    if sources:
        text.append("\nSources\n", style="bold")
        for ref in sources:
            text.append_text(reference_line(ref))
    text.rstrip()
    return text
