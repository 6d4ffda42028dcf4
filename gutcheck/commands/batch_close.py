"""How a ``batch`` run ends: what it noticed, the closing counts and the exit code; and what
``batch --check`` prints instead of scoring."""

from __future__ import annotations

from typing import TYPE_CHECKING

from gutcheck.render.reportparts import plural

if TYPE_CHECKING:
    from collections.abc import Iterator

    from gutcheck.batch.loop import Tally
    from gutcheck.batch.opened import Batch
    from gutcheck.batch.readings import Readings
    from gutcheck.commands.batch_notices import Notices
    from gutcheck.commands.batch_options import BatchOptions
    from gutcheck.commands.batch_pass import Pass
    from gutcheck.rulebook.model import RuleBase


def conclude(result: Pass, options: BatchOptions, notices: Notices) -> None:
    """Closing notices on stderr, then the exit code: 5 for red flags if asked, then the error
    that stopped reading early, then 3 for rejected rows."""
    from gutcheck.errors import InputError, RedFlagReported

    batch, tally, stopped = result.batch, result.tally, result.stopped
    if batch.rows_read == 0 and stopped is not None:
        raise stopped  # nothing was read: the file is refused as a whole
    if batch.rows_read == 0:
        raise InputError(f"{batch.display}: has a header but no rows to score; add a row per client")
    written = write_overview(result, options)
    for line in _closing_lines(result, options):
        notices.say(line)
    if written is not None:
        notices.say(written)
    if options.fail_on_red_flag and tally.red_flag_count:
        if stopped is not None:
            notices.say(stopped.message)
        raise RedFlagReported(f"Exit code 5: {plural(tally.red_flag_count, 'client')} reported a red flag "
                              "(--fail-on-red-flag).")
    if stopped is not None:
        raise stopped
    if tally.rejected:
        where = f"see {options.errors}" if options.errors else "use --errors FILE to get them as CSV"
        raise InputError(f"{tally.rejected} of {batch.rows_read} rows were rejected ({where}); "
                         "fix them and run again")


def _closing_lines(result: Pass, options: BatchOptions) -> Iterator[str]:
    batch, tally, stopped = result.batch, result.tally, result.stopped
    if result.sinks.row_errors.hidden_errors:
        yield f"... and {result.sinks.row_errors.hidden_errors} more rejected rows not shown here."
    yield from _noticed(batch, tally)
    left_out = f", {tally.left_out} left out (a client's earlier rows, see above)" if tally.left_out else ""
    yield (f"{tally.scored_count} scored, {tally.rejected} rejected{left_out}, {batch.rows_read} rows read "
           f"from {batch.display} ({batch.format.describe()})"
           + ("; reading stopped early, see below." if stopped is not None else "."))
    if stopped is not None and result.held and tally.scored_count + tally.rejected:
        yield "Reading stopped early, so clients on more than one row were not looked for."
    if options.errors is not None and not tally.errors_lost:
        yield f"Rejected rows written to {options.errors}."
    if options.reports is not None:
        yield f"{plural(tally.scored_count, 'report')} written to {options.reports}."
        yield from _older_reports(result, options)  # reports in that folder this run did not write
    if result.store is not None:
        yield _saved_line(tally, result.store.location)
    yield from triage_lines(batch.rules, tally)


def triage_lines(rules: RuleBase, tally: Tally) -> Iterator[str]:
    """Who to contact first, most urgent red flag first, each with its flag and time frame; then
    the clients who left a safety question blank (never read as "no")."""
    from gutcheck.engine.urgency import tier

    names = {flag.question.id: flag.title for flag in rules.red_flags}
    if tally.red_flag_count:
        contacts = tally.contacts.most_urgent()
        listed = "; ".join(
            f"{client} (row {row}): {names.get(flags[0][0], flags[0][0])}, {tier(flags[0][2]).time_frame}"
            + (" (a risk marker, not a symptom)" if flags[0][1] == "risk" else "")
            + (f", +{len(flags) - 1} more" if len(flags) > 1 else "")
            for client, row, flags in contacts
        )
        more = f"; and {tally.red_flag_count - len(contacts)} more" if tally.red_flag_count > len(contacts) else ""
        yield (f"RED FLAG: {plural(tally.red_flag_count, 'client')} answered yes to a red-flag question; "
               f"contact them most urgent first: {listed}{more}.")
    if tally.blank_count:
        listed = "; ".join(f"{client} (row {row}: {', '.join(names.get(q, q) for q in blank)})"
                           for client, row, blank in tally.blank_clients)
        more = f"; and {tally.blank_count - len(tally.blank_clients)} more" if (
            tally.blank_count > len(tally.blank_clients)) else ""
        yield (f"SAFETY UNANSWERED: {plural(tally.blank_count, 'client')} left a safety question blank, which is "
               f"not a no; ask them: {listed}{more}.")


def _noticed(batch: Batch, tally: Tally) -> Iterator[str]:
    """Warnings about what was scored: answers to questions that did not apply, rows undated."""
    from gutcheck.batch.summary import hidden_by

    ignored = tally.ignored
    clients = ignored.clients
    if clients:
        named = "; ".join(f"{client!r} (row {row}: {hidden_by(batch.rules, ids)})"
                          for client, row, ids in ignored.named)
        more = f"; and {clients - len(ignored.named)} more" if clients > len(ignored.named) else ""
        counts = ", ".join(f"{qid} {plural(count, 'client')}" for qid, count in ignored.per_question().items())
        yield (f"Warning: {plural(clients, 'client')} answered follow-up questions that an earlier "
               f"answer of theirs skips; those answers were not scored (the JSON records list them as "
               f"ignored_answers): {named}{more}. By question: {counts}.")
    if tally.left_out_flags:
        rows = "; ".join(f"{row.client!r} (row {row.row}: {', '.join(row.red_flags)})" for row in tally.left_out_flags)
        yield ("Warning: an earlier row left out for a client's later one answered yes to a red-flag question; "
               f"only the later row is scored, so ask the client about it: {rows}.")
    undated = batch.undated
    if undated.count and batch.dates is not None:
        rows = ", ".join(map(str, undated.rows)) + (", ..." if undated.count > len(undated.rows) else "")
        yield (f"Warning: {plural(undated.count, 'row')} {'has' if undated.count == 1 else 'have'} no date in "
               f"{batch.dates.column!r} (rows {rows}); {'it is' if undated.count == 1 else 'they are'} "
               "dated by this run instead.")


def _saved_line(tally: Tally, location: str) -> str:
    """How many assessments were saved, how many were already in the history, and how many
    earlier rows of a client were not saved (one input never makes a trend)."""
    saved = tally.scored_count - tally.already_saved - tally.not_saved
    known = f"{tally.already_saved} already saved before, not saved again" if tally.already_saved else ""
    earlier = (f"{plural(tally.not_saved, 'earlier row')} of a client with a later row in this file not "
               "saved, so one file never makes a trend") if tally.not_saved else ""
    extra = "; ".join(part for part in (known, earlier) if part)
    return f"Saved {plural(saved, 'assessment')} in {location}" + (f" ({extra})." if extra else ".")


# --------------------------------------------------------------------------- --check


def show_columns(run: Readings) -> None:
    """Print what each column (or JSON key) is used for, without scoring; exit code 3 when some
    question has none."""
    import typer

    from gutcheck.errors import InputError

    rules = run.rules
    with run.open(quiet=True) as batch:
        match = batch.header_match
        if match is None:  # JSON and FHIR: the keys of every record
            from gutcheck.batch.columns import KeyCounts

            keys = KeyCounts()
            for cells in batch.cells():  # up to a break in the input, if any
                keys.add(cells.keys)
            match = batch.announce_keys(list(keys.counts))
        unit = {"csv": "column", "fhir": "item"}.get(batch.format.kind, "key")
        title = (f"{batch.display} ({batch.format.describe()}): what each {unit} is used for, by the rule "
                 f"base {rules.id} {rules.version}")
        typer.echo("\n".join(match.roles(rules).lines(title, unit)))
    if match.missing:
        raise InputError(f"{batch.display}: {plural(len(match.missing), 'question')} of {rules.id} "
                         f"{'has' if len(match.missing) == 1 else 'have'} no {unit} (listed above); every "
                         "client would be assessed without them (exit code 3)")


def _older_reports(result: Pass, options: BatchOptions) -> list[str]:
    """What to say about reports in the folder that this run did not write (removed with
    --clean-reports once every row was read and scored)."""
    reports = result.sinks.reports
    if reports is None:
        return []
    from gutcheck.commands.batch_stale import RunEnd, stale_lines

    end = RunEnd(read_all=result.stopped is None, rejected=result.tally.rejected)
    return stale_lines(reports.folder, reports.fmt, reports.written_names, clean=options.clean_reports, end=end)


def write_overview(result: Pass, options: BatchOptions) -> str | None:
    """Write the group overview (--overview), whole or not at all; the line that says where."""
    builder = result.sinks.overview
    if builder is None or options.overview is None:
        return None
    import os

    from gutcheck.commands.batch_outputs import overview_format
    from gutcheck.files.access import write_text_atomic
    from gutcheck.render.overview import render_overview_html, render_overview_markdown

    overview = builder.build(read=result.batch.rows_read, rejected=result.tally.rejected,
                             stopped_early=result.stopped is not None)
    reports = None
    if options.reports is not None:
        reports = os.path.relpath(options.reports, options.overview.parent or ".")
    render = render_overview_html if overview_format(options.overview) == "html" else render_overview_markdown
    write_text_atomic(options.overview, render(overview, reports_dir=reports), "the overview")
    return f"Overview written to {options.overview} (who to contact first, then the group's scores)."
