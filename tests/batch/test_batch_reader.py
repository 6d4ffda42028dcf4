"""The batch reader and summary scorer underneath ``gutcheck batch``: formats, cells, streaming."""

from __future__ import annotations

import csv
import io
import json
import tracemalloc
from collections.abc import Iterator
from itertools import islice
from pathlib import Path
from typing import Any

import pytest
from answer_strategies import answer_sets
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rich.console import Console

from gutcheck.answers.parse import SKIP
from gutcheck.batch.cells import CellParser
from gutcheck.batch.loop import PROGRESS_EVERY
from gutcheck.batch.opened import Batch
from gutcheck.batch.rows import CELL_CACHE_LIMIT, InputFormat, ParsedRow
from gutcheck.batch.sniff import TextInput, read_sample, sniff_delimiter, sniff_format
from gutcheck.batch.sources import new_batch
from gutcheck.batch.summary import ClientSummary, SummaryScorer, safety_questions, summarise
from gutcheck.commands.batch_notices import PROGRESS_AFTER_ROWS, RowProgress
from gutcheck.engine.scoring import score_parsed
from gutcheck.files.formulas import neutralise
from gutcheck.render.batch_records import RecordMaker, flatten
from gutcheck.rulebook.loading import load_rules
from gutcheck.rulebook.model import HIDDEN, Question, RuleBase

MINI = Path(__file__).resolve().parents[1] / "data" / "mini.yaml"
RULE_BASES = {"mini": load_rules(MINI), "bundled": load_rules(None)}


def batch_of(rules: RuleBase, text: str) -> Batch:
    """A batch reading ``text`` as if it were a file."""
    text_input = TextInput(io.StringIO(text, newline=""), "test.csv")
    sample = read_sample(text_input)
    return new_batch(rules, text_input, sniff_format(sample, "test.csv"), sample)


# --------------------------------------------------------------------------- formats


@pytest.mark.parametrize(
    ("sample", "delimiter"),
    [
        ('id,"How often, really?",x\na,"b, c",d\n', ","),
        ("id;How often, really?;x\na;b, c;d\ne;f;g\n", ";"),
        ("id\tHow often; really?\tx\na\tb; c\td\n", "\t"),
        ("id|q|x\na|b|c\n", "|"),
        ("sep=;\nid,with comma;b\n1,2;3\n", ";"),
        ("drink_freq\nnever\n", ","),
    ],
)
def test_delimiter_sniffing(sample: str, delimiter: str) -> None:
    assert sniff_delimiter(sample) == delimiter


def test_format_sniffing() -> None:
    assert sniff_format('  [{"a": 1}]', "x") == InputFormat("json")
    assert sniff_format('{"a": 1}\n{"a": 2}\n', "x") == InputFormat("jsonl")
    assert sniff_format("a\tb\n", "x") == InputFormat("csv", "\t")
    assert sniff_format("a,b\n", "x", "tsv") == InputFormat("csv", "\t")


def test_excel_sep_line_is_not_a_row(mini_rules: RuleBase) -> None:
    rows = list(batch_of(mini_rules, "sep=;\r\nid;drink_freq\r\nann;never\r\n").rows())

    assert rows == [ParsedRow(2, "ann", {"drink_freq": "never"})]


# --------------------------------------------------------------------------- cells


def test_cell_parser_remembers_a_bounded_number_of_texts(mini_rules: RuleBase) -> None:
    parser = CellParser(mini_rules.by_id["drink_amount"])

    values = [parser(str(n % 41)) for n in range(2000)] + [parser(f" {n % 41} ") for n in range(2000)]

    assert values[:3] == [0.0, 1.0, 2.0]
    assert len(parser.cache) <= CELL_CACHE_LIMIT
    big = CellParser(mini_rules.by_id["drink_freq"])
    for n in range(CELL_CACHE_LIMIT * 3):
        big(f"nonsense {n}")
    assert len(big.cache) == CELL_CACHE_LIMIT


def export_cell(question: Question, value: Any) -> str:
    """How a form export writes a parsed answer: labels, multi joined with ', ', plain numbers."""
    if value == SKIP:
        return "Prefer not to say"
    if question.kind == "number":
        return repr(value)
    if question.kind == "multi":
        labels = {option.value: option.label for option in question.options}
        return ", ".join(labels[v] for v in value)
    return question.label(value)


@pytest.mark.parametrize("name", sorted(RULE_BASES))
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_export_cells_read_back_as_the_same_answers(name: str, data: st.DataObject) -> None:
    rules = RULE_BASES[name]
    answers = data.draw(answer_sets(rules).filter(lambda a: any(v != () for v in a.values())))
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["id", *(q.ask for q in rules.questions)])
    writer.writerow(["c", *(export_cell(q, answers[q.id]) if q.id in answers else "" for q in rules.questions)])

    (row,) = list(batch_of(rules, buffer.getvalue()).rows())

    expected = {k: v for k, v in answers.items() if v != ()}
    assert isinstance(row, ParsedRow), row
    assert row.answers == expected


# --------------------------------------------------------------------------- one scorer


@pytest.mark.parametrize("name", sorted(RULE_BASES))
@settings(max_examples=150, deadline=None)
@given(data=st.data())
def test_summary_scorer_agrees_with_the_engine(name: str, data: st.DataObject) -> None:
    rules = RULE_BASES[name]
    scorer = SummaryScorer(rules, taken_at="2026-01-31T09:00:00+00:00")
    for number in range(3):  # several rows through one scorer, so remembered factors are reused
        answers = data.draw(answer_sets(rules))
        full = score_parsed(rules, answers, taken_at="2026-01-31T09:00:00+00:00", client="c")
        expected = summarise(full, number + 2, answered_while_hidden(rules, answers), safety_questions(rules))
        assert scorer(ParsedRow(number + 2, "c", answers)) == expected


def answered_while_hidden(rules: RuleBase, answers: dict[str, Any]) -> tuple[str, ...]:
    """Questions answered (not declined) that the rule base's own walk says are hidden."""
    _, _, states = rules.walk(answers)
    return tuple(qid for qid, state in states.items() if state is HIDDEN and qid in answers and answers[qid] != SKIP)


def test_record_is_the_same_in_json_and_csv(mini_rules: RuleBase) -> None:
    maker = RecordMaker(mini_rules)
    full = score_parsed(mini_rules, {"blood": True, "drink_freq": "daily", "food_fibre": ("sweets",)},
                        taken_at="2026-01-31T09:00:00+00:00", client="ann")
    summary = summarise(full, 7, (), safety_questions(mini_rules))

    record = json.loads(maker.json_line(summary))

    assert record == maker.record(summary)
    assert dict(zip(maker.columns(), maker.cells(summary), strict=True)) == {
        "client": "ann", "row": 7, "rules.id": "mini", "rules.version": "1.0.0", "red_flag.status": "alarm",
        "red_flag.id": "blood", "red_flag.urgency": "urgent", "red_flag.time_frame": "within days",
        "red_flags": ["blood"], "unanswered_safety": ["weight_loss"], "overall.percent": record["overall"]["percent"],
        "overall.level": record["overall"]["level"], "top_factor": "drink",
        "top_suggestions": record["top_suggestions"], "factors.drink.percent": 66.7,
        "factors.drink.level": "moderate", "factors.food.percent": 50.0, "factors.food.level": "high",
        "ignored_answers": [],
    }


def test_answers_to_hidden_questions_are_named_in_the_record(mini_rules: RuleBase) -> None:
    maker = RecordMaker(mini_rules)
    answers = {"drink_freq": "never", "drink_amount": 7, "food_stress": "s2"}
    full = score_parsed(mini_rules, answers, taken_at="2026-01-31T09:00:00+00:00", client="ann")
    summary = SummaryScorer(mini_rules, taken_at="t")(ParsedRow(3, "ann", answers))

    assert summary.ignored_answers == ("drink_amount",)
    assert summary == summarise(full, 3, ("drink_amount",), safety_questions(mini_rules))
    assert json.loads(maker.json_line(summary))["ignored_answers"] == ["drink_amount"]
    assert dict(zip(maker.columns(), maker.cells(summary), strict=True))["ignored_answers"] == ["drink_amount"]


PERCENTS = st.one_of(
    st.none(), st.sampled_from([0.0, -0.0, 100.0, 33.3]), st.floats(allow_nan=True, allow_infinity=True),
    st.integers(-5, 200),
)
LEVELS = st.one_of(st.none(), st.sampled_from(["low", "moderate", "high"]), st.text(max_size=8))
IDS = st.lists(st.sampled_from(["a", "b-2", "ü", 'q"'] + [s.id for f in RULE_BASES["mini"].factors
                                                      for s in f.suggestions]), max_size=4).map(tuple)


FLAGS = st.lists(st.tuples(st.sampled_from(["a", "ü", 'q"']), st.sampled_from(["alarm", "risk"]),
                           st.sampled_from(["emergency", "same_day", "urgent", "two_weeks", "soon", "routine"])),
                 max_size=3).map(tuple)


@st.composite
def client_summaries(draw: st.DrawFn, rules: RuleBase) -> ClientSummary:
    """Any summary a record could be written from: hostile ids, odd numbers, empty fields."""
    return ClientSummary(
        row=draw(st.integers(0, 10**9)), client=draw(st.text()), overall_percent=draw(PERCENTS),
        overall_level=draw(LEVELS),
        factors=tuple((f.id, draw(PERCENTS), draw(LEVELS)) for f in rules.factors),
        red_flags=draw(FLAGS), top_factor=draw(st.one_of(st.none(), st.text(max_size=8))),
        top_suggestions=draw(IDS), ignored_answers=draw(IDS), safety_blank=draw(IDS),
    )


@settings(max_examples=300, deadline=None)
@given(summaries=st.lists(client_summaries(RULE_BASES["bundled"]), min_size=1, max_size=4))
def test_json_lines_and_cells_are_exactly_the_record(summaries: list[ClientSummary]) -> None:
    maker = RecordMaker(RULE_BASES["bundled"])
    encoder = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), check_circular=False)
    for summary in summaries * 2:  # the second time round, remembered pieces are used
        record = maker.record(summary)
        assert maker.json_line(summary) == encoder.encode(record) + "\n"
        assert maker.cells(summary) == [value for _, value in flatten(record)]


# --------------------------------------------------------------------------- streaming


class Tripwire(io.TextIOBase):
    """A text stream of generated lines that fails if read beyond ``limit`` lines."""

    def __init__(self, lines: Iterator[str], limit: int) -> None:
        self.lines = lines
        self.limit = limit
        self.served = 0
        self.pending = ""

    def readline(self, size: int | None = -1) -> str:
        if self.pending:
            line, self.pending = self.pending, ""
            return line
        self.served += 1
        if self.served > self.limit:
            raise AssertionError("the reader read ahead of the rows it gave out")
        return next(self.lines, "")

    def read(self, size: int | None = -1) -> str:
        out: list[str] = []
        total = 0
        while size is None or size < 0 or total < size:
            line = self.readline()
            if not line:
                break
            out.append(line)
            total += len(line)
        text = "".join(out)
        if size is not None and size >= 0 and len(text) > size:
            text, self.pending = text[:size], text[size:]
        return text

    def __next__(self) -> str:
        line = self.readline()
        if not line:
            raise StopIteration
        return line


def endless_rows() -> Iterator[str]:
    yield "id,drink_freq,food_stress\n"
    number = 0
    while True:
        number += 1
        yield f"client-{number},weekly,s2\n"


def test_rows_come_out_before_the_input_is_read_to_the_end(mini_rules: RuleBase) -> None:
    stream = Tripwire(endless_rows(), limit=10_000)
    text_input = TextInput(stream, "endless")
    sample = read_sample(text_input)
    rows = new_batch(mini_rules, text_input, sniff_format(sample, "endless"), sample).rows()

    first = [next(rows) for _ in range(9_000)]

    assert first[-1] == ParsedRow(9_001, "client-9000", {"drink_freq": "weekly", "food_stress": "s2"})


def test_json_lines_are_decoded_one_record_at_a_time(mini_rules: RuleBase) -> None:
    def lines() -> Iterator[str]:
        number = 0
        while True:
            number += 1
            yield json.dumps({"id": f"c{number}", "drink_freq": "never"}) + "\n"

    stream = Tripwire(lines(), limit=8_000)
    text_input = TextInput(stream, "endless.jsonl")
    sample = read_sample(text_input)
    rows = new_batch(mini_rules, text_input, sniff_format(sample, "endless.jsonl"), sample).rows()

    first = [next(rows) for _ in range(5_000)]

    assert first[-1] == ParsedRow(5_000, "c5000", {"drink_freq": "never"})


def peak_memory_for(rules: RuleBase, rows: int) -> int:
    """Peak traced memory of reading, scoring and formatting ``rows`` rows."""
    text = "".join(islice(endless_rows(), rows + 1))
    scorer, maker = SummaryScorer(rules, taken_at="t"), RecordMaker(rules)
    rows_read = batch_of(rules, text).rows()  # the input text itself is not traced
    tracemalloc.start()
    try:
        for row in rows_read:
            assert isinstance(row, ParsedRow)
            maker.json_line(scorer(row))
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_memory_does_not_grow_with_the_number_of_rows(mini_rules: RuleBase) -> None:
    small, large = peak_memory_for(mini_rules, 2_000), peak_memory_for(mini_rules, 16_000)

    assert large < small * 1.5 + 100_000


# --------------------------------------------------------------------------- small pieces


@pytest.mark.parametrize(
    ("text", "safe"),
    [
        ("=1+2", "'=1+2"), ("+cmd", "'+cmd"), ("-cmd", "'-cmd"), ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"), ("\rx", "'\rx"), ("-12", "-12"), ("+1.5", "+1.5"), ("-0,5", "-0,5"),
        ("ann", "ann"), ("", ""), ("a=b", "a=b"), ("-", "'-"),
    ],
)
def test_neutralise(text: str, safe: str) -> None:
    assert neutralise(text) == safe


def test_progress_bar_only_for_a_terminal_and_many_rows() -> None:
    terminal = Console(file=io.StringIO(), force_terminal=True)
    piped = Console(file=io.StringIO(), force_terminal=False)
    text_input = TextInput(io.StringIO(""), "x", size=1000)
    on_terminal, on_pipe = RowProgress(terminal, text_input), RowProgress(piped, text_input)

    for rows in range(PROGRESS_EVERY, PROGRESS_AFTER_ROWS, PROGRESS_EVERY):  # the batch loop ticks so
        on_terminal.tick(rows)
        on_pipe.tick(rows)
    assert on_terminal.bar is None
    for rows in range(PROGRESS_AFTER_ROWS, PROGRESS_AFTER_ROWS + 1024, PROGRESS_EVERY):
        on_terminal.tick(rows)
        on_pipe.tick(rows)

    assert on_terminal.bar is not None and on_pipe.bar is None
    on_terminal.close()


class Positioned(io.StringIO):
    """A text stream over bytes whose read position a progress bar can ask for."""

    def __init__(self, read: int) -> None:
        super().__init__("")
        self.buffer = io.BytesIO(b"x" * 4000)
        self.buffer.seek(read)


@pytest.mark.parametrize(("size", "total_rows", "total", "done"), [
    (4000, None, 4000, 1000),  # CSV and JSON Lines: bytes read of the file's size
    (4000, 10_000, 10_000, PROGRESS_AFTER_ROWS),  # a JSON array or FHIR responses: rows of a known count
    (None, None, None, None),  # stdin of unknown size: only the rows so far
])
def test_progress_shows_percent_and_time_left_when_the_size_is_known(
    size: int | None, total_rows: int | None, total: int | None, done: int | None
) -> None:
    console = Console(file=io.StringIO(), force_terminal=True, width=100)
    progress = RowProgress(console, TextInput(Positioned(1000), "x", size=size), total_rows)

    progress.tick(PROGRESS_AFTER_ROWS)

    assert progress.bar is not None
    task = progress.bar.tasks[0]
    assert (task.total, task.completed if total else None) == (total, done)
    plain = Console(file=io.StringIO(), width=100)
    plain.print(progress.bar.make_tasks_table(progress.bar.tasks))
    line = plain.file.getvalue().split()  # type: ignore[attr-defined]
    progress.close()
    percent = f"{100 * done // total}%" if total and done else None
    # the time left shows once a rate is known: -:--:-- on the first redraw
    if total:
        assert line[-5:] == [percent, "2,000", "rows", "·", "-:--:--"]
    else:
        assert line[-2:] == ["2,000", "rows"] and not any(word.endswith("%") for word in line)
