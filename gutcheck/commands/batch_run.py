"""One ``batch`` run: check the outputs, read and score the input as often as it needs
(:mod:`gutcheck.batch.readings` decides), each reading written through its sinks
(:mod:`gutcheck.commands.batch_pass`), then the closing lines and the exit code."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.console import Console

    from gutcheck.batch.duplicates import Plan
    from gutcheck.batch.opened import Batch
    from gutcheck.batch.readings import InputPath, Readings
    from gutcheck.commands.batch_notices import Notices
    from gutcheck.commands.batch_options import BatchOptions
    from gutcheck.commands.batch_pass import Pass
    from gutcheck.rulebook.model import RuleBase


def run_batch(rules: RuleBase, options: BatchOptions) -> None:
    """Read, score and write every row of ``options.source``; end with the documented exit code."""
    from gutcheck.batch.readings import input_path
    from gutcheck.commands.batch_close import conclude, show_columns
    from gutcheck.commands.batch_notices import Notices
    from gutcheck.commands.batch_outputs import prepare_outputs, refuse_overlaps
    from gutcheck.commands.output import make_consoles

    consoles, notices = make_consoles(), Notices()
    refuse_overlaps(options)
    with input_path(options.source) as source:
        readings = _readings(rules, options, source, notices, consoles.out)
        if options.check:
            show_columns(readings)
            return
        prepare_outputs(options)
        try:
            result: Pass = readings.score()  # type: ignore[assignment]  # our readings are passes
        except KeyboardInterrupt:
            from gutcheck.errors import Interrupted

            raise Interrupted("Interrupted before anything was written.") from None
    conclude(result, options, notices)


def _readings(rules: RuleBase, options: BatchOptions, source: InputPath, notices: Notices,
              console: Console) -> Readings:
    """The run's readings of ``source``, each one a :class:`~gutcheck.commands.batch_pass.Pass`."""
    from gutcheck.batch.readings import Readings, ReadSettings
    from gutcheck.commands.batch_pass import Pass
    from gutcheck.history.records import profile_problem

    settings = ReadSettings(
        id_column=options.id_column, time_column=options.time_column, strict_columns=options.strict_columns,
        client_check=profile_problem if options.save else None, input_format=options.input_format,
        duplicates=options.duplicates, full=options.needs_assessment,
    )

    def make(batch: Batch, plan: Plan | None, held: bool, total_rows: int | None) -> Pass:
        return Pass(options, rules, batch, notices, console, plan=plan, held=held, total_rows=total_rows).run()

    return Readings(rules, settings, source, make, note=notices.note, warn=notices.warn)
