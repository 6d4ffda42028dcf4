"""The rule base compiled into Python source: the scorer of batch rows and of every assessment.

As fastjsonschema compiles a JSON Schema into a validator, :func:`generate` turns a checked
:class:`~gutcheck.rulebook.model.RuleBase` into the source of a small module; each construct of
the format (a question's visibility and points, a condition, a factor's sums, an instrument,
a suggestion's ``when``, a red flag) emits a few plain lines.

The safety rule: **nothing from a rule file is ever written into the source except as a
literal**, made by :func:`literal` from a checked ``str``, ``bool``, ``int`` or finite ``float``
with :func:`ascii` (a ``repr`` that escapes every non-ASCII character, so the source is plain
ASCII and no quote, newline, backslash or look-alike character can end a literal early).
Every identifier in the source (``v3``, ``s3``, ``r1``, ``P3``) is made by the generator from a
position, never from an id or a text; question ids appear only inside string literals, as keys
of the answers mapping. Whatever a rule file holds, the module only compares, adds and looks up;
tests feed hostile ids and texts and check the module's syntax tree.

The module defines two functions, both closed over helpers from :mod:`gutcheck.engine.compiled`:

- ``make_row(H, pick, cells, learn, B)``: a row scorer for ``batch``: a row number and its raw
  CSV cells in (``pick`` takes each question's cell from a record, ``cells`` are plain
  dictionaries from cell text to answer, ``learn`` adds a record's unseen texts to them), the
  client's batch summary out, made as ``B`` says (or None: the row takes the general path,
  where messages are made); the summary names the questions answered although an earlier
  answer hides them, whose answers are not scored (``B.hidden`` turns a bit per question
  with ``show_if``, in order, into their ids);
- ``make_trace(H)``: a function from parsed answers to the :class:`~gutcheck.engine.compiled.Trace`
  the full assessment is built from.
"""

from __future__ import annotations

from gutcheck.engine.packing import PLACES, packing, rank_key
from gutcheck.engine.ranking import EVIDENCE_ORDER, PRIORITY_ORDER
from gutcheck.rulebook.codegen_conditions import FACTS, CodegenError, ConditionWriter, literal, literals
from gutcheck.rulebook.conditions import condition_keys
from gutcheck.rulebook.model import Factor, Question, RuleBase, Suggestion

__all__ = ["CodegenError", "generate", "literal"]


class _Emitter:
    """Source lines with indentation."""

    def __init__(self) -> None:
        self.lines: list[str] = []

    def __call__(self, depth: int, text: str) -> None:
        self.lines.append("    " * depth + text)

    def text(self) -> str:
        return "\n".join(self.lines) + "\n"


class _Generator(ConditionWriter):
    """Emits the module for one rule base; names come from positions only."""

    def __init__(self, rules: RuleBase) -> None:
        self.rules = rules
        self.index = {q.id: i for i, q in enumerate(rules.questions)}
        self.owner = {q.id: k for k, f in enumerate(rules.factors) for q in f.questions}
        self.items = {
            q.id: k for k, f in enumerate(rules.factors) if f.instrument is not None
            for q in f.questions if q.id in f.instrument.items
        }
        self.out = _Emitter()
        self.read = _read(rules)
        self.packs = tuple(packing(f) for f in rules.factors)
        self.shown = self.shown_vars(detail=True)
        self.in_row = False  # generating make_row: each cell's answer and its part come together
        self.conditional = [i for i, q in enumerate(rules.questions) if q.show_if_data is not None]
        if any(f.weight < 0 for f in rules.factors) or sum(len(f.suggestions) for f in rules.factors) > PLACES:
            raise CodegenError("negative weights or too many suggestions to rank by integer keys")

    def shown_vars(self, detail: bool) -> list[str]:
        """The variable holding each question's shown answer: for one always shown, the answer
        itself (in a row, the cell dictionaries already read "prefer not to say" as None)."""
        return [f"v{i}" if q.show_if_data is None and not (detail and q.allow_skip) else f"s{i}"
                for i, q in enumerate(self.rules.questions)]

    # ----------------------------------------------------------------------- constants

    def constants(self, depth: int) -> None:
        """Per-question tables of what each answer adds to its factor's packed sum, and factor tables."""
        emit = self.out
        emit(depth, "top_ids, overall, bisect, SKIP, flagged = H.top_ids, H.overall, H.bisect, H.SKIP, H.flagged")
        for i, q in enumerate(self.rules.questions):
            k = self.owner.get(q.id)
            if k is None:
                continue
            pack, blank = self.packs[k], self.packs[k].blank(q.max_points)
            skip = f"SKIP: {literal(blank)}, " if q.allow_skip else ""  # last: it wins over an equal value
            if q.kind in ("choice", "scale"):
                table = "".join(f"{literal(o.value)}: {literal(pack.answered(o.points))}, " for o in q.options)
                emit(depth, f"X{i} = {{{table}None: {literal(blank)}, {skip}}}")
            elif q.kind == "yesno":
                yes, no = pack.answered(q.yes_points), pack.answered(q.no_points)
                emit(depth, f"X{i} = {{True: {literal(yes)}, False: {literal(no)}, None: {literal(blank)}, {skip}}}")
            elif q.kind == "multi":
                table = ", ".join(f"{literal(o.value)}: {literal(o.points)}" for o in q.options)
                emit(depth, f"X{i} = H.multi_deltas({{{table}}}, {pack.shift}, {literal(blank)})")
            else:
                emit(depth, f"B{i} = {literals(float(b) for b in q.bounds)}")
                emit(depth, f"R{i} = {literals(pack.answered(p) for p in q.range_points)}")
        for k in range(len(self.rules.factors)):
            emit(depth, f"E{k}, F{k} = H.factor_entry({k})")
        emit(depth, "OV = H.overalls")

    def delta(self, i: int, q: Question) -> str:
        """What question ``i``'s answer in ``v{i}`` adds to its factor's packed sum (in a row,
        it was read with the cell, into ``x{i}``)."""
        if self.in_row:
            return f"x{i}"
        if q.kind in ("choice", "scale", "yesno"):
            return f"X{i}[v{i}]"
        if q.kind == "multi":
            return f"X{i}(v{i})"
        k = self.owner[q.id]
        blank = f"v{i} is None or v{i} == SKIP" if q.allow_skip else f"v{i} is None"
        return f"({literal(self.packs[k].blank(q.max_points))} if {blank} else R{i}[bisect(B{i}, v{i})])"

    # ----------------------------------------------------------------------- the walk

    def walk(self, depth: int, detail: bool, questions: list[int] | None = None,
             factors: list[int] | None = None) -> None:
        """Visibility and sums, question by question in the rule base's order.

        A factor's packed sum starts with its full maximum reachable and what the answers to
        its questions that are always shown add, in one expression; each question shown by a
        condition adds its part where the condition holds (a blank one takes its maximum
        off: a hidden one does not apply).
        """
        emit, every = self.out, list(range(len(self.rules.questions)))
        questions = every if questions is None else questions
        factors = list(range(len(self.rules.factors))) if factors is None else factors
        for i in questions:
            q = self.rules.questions[i]
            if q.id in self.items and q.show_if_data is None and self.owner[q.id] in factors:
                emit(depth, f"p{i} = {self.delta(i, q)}")
        for k in factors:
            factor = self.rules.factors[k]
            always = [q for q in factor.questions if q.show_if_data is None]
            parts = [literal(self.packs[k].start(factor.max_points))] + [self.part(self.index[q.id], q) for q in always]
            emit(depth, f"f{k} = {' + '.join(parts)}")
            if factor.instrument is not None:
                items = [q for q in factor.questions if q.id in self.items]
                start = literal(self.packs[k].start(sum(q.max_points for q in items)))
                emit(depth, f"u{k} = {' + '.join([start] + [f'p{self.index[q.id]}' for q in items if q in always])}")
        for i in questions:
            q = self.rules.questions[i]
            self.question(depth, i, q, detail, self.owner.get(q.id) in factors)

    def part(self, i: int, q: Question) -> str:
        """Question ``i``'s part of its factor's sum (an item's part is kept in ``p{i}``)."""
        return f"p{i}" if q.id in self.items else self.delta(i, q)

    def question(self, depth: int, i: int, q: Question, detail: bool, sums: bool) -> None:
        """One question: ``s{i}`` its shown answer (or None), where a condition reads it; with
        ``sums``, a question shown by a condition adds its part to its factor's sum."""
        emit, k = self.out, self.owner.get(q.id) if sums else None
        keep = detail or q.id in self.read
        inner = depth
        if q.show_if_data is not None:
            emit(depth, f"if {self.condition(q.show_if_data)}:")
            inner = depth + 1
        lines = []
        if keep and self.shown[i] != f"v{i}":
            lines.append(f"s{i} = None if v{i} == SKIP else v{i}" if q.allow_skip and detail else f"s{i} = v{i}")
        if detail:
            blank = f"v{i} is None or v{i} == SKIP" if q.allow_skip else f"v{i} is None"
            lines.append(f"if {blank}: blank.append({i})")
        if k is not None and q.show_if_data is not None and q.id in self.items:
            lines += [f"p{i} = {self.delta(i, q)}", f"f{k} += p{i}; u{k} += p{i}"]
        elif k is not None and q.show_if_data is not None:
            lines.append(f"f{k} += {self.delta(i, q)}")
        for line in lines or (["pass"] if q.show_if_data is not None else []):
            emit(inner, line)
        hidden = [f"s{i} = None"] if keep else []
        if self.in_row and q.show_if_data is not None:  # a hidden question's answer is not scored, but reported
            hidden.append(f"if v{i} is not None: hid |= {literal(1 << self.conditional.index(i))}")
        if q.show_if_data is not None and hidden:
            emit(depth, "else:")
            for line in hidden:
                emit(depth + 1, line)

    def factor(self, depth: int, k: int, factor: Factor, first: int, detail: bool) -> None:
        """Factor ``k``'s entry, its instrument's screen and the suggestions that apply."""
        emit, pack = self.out, self.packs[k]
        emit(depth, f"e{k} = E{k}.get(f{k}) or F{k}(f{k})")  # an entry is a non-empty tuple
        used = set().union(*(condition_keys(s.when_data) for s in factor.suggestions if s.when_data is not None))
        values = {"lvl": f"e{k}[3]", "pct": f"e{k}[4]", "pts": f"f{k} >> {pack.shift}"}
        facts_set = [f"{var} = {values[var]}" for fact, var in FACTS.items() if fact in used and var in values]
        facts_set += [f"cut{k} = -1"] if detail else []
        facts_set += [f"w = e{k}[6]"] if factor.suggestions else []
        if facts_set:
            emit(depth, "; ".join(facts_set))
        instrument = factor.instrument
        if instrument is not None and (detail or "screen" in used):
            emit(depth, "scr = None")
            emit(depth, f"if u{k} & {literal((1 << pack.count_bits) - 1)}:")  # an item was answered
            emit(depth + 1, "pass")
            for c, cutoff in enumerate(instrument.cutoffs):
                test = "True" if cutoff.when_data is None else self.condition(cutoff.when_data)
                emit(depth + 1, f"{'if' if c == 0 else 'elif'} {test}:")  # the first that holds
                emit(depth + 2, f"cut{k} = {c}")
                if cutoff.at_least is None:  # no screen result for this person
                    emit(depth + 2, "scr = None")
                    continue
                at_least = literal(cutoff.at_least << pack.shift)
                emit(depth + 2, f"scr = 'positive' if u{k} >= {at_least} else 'negative'")
        facts = frozenset(["level", "percent", "points", "alarm"] + (["screen"] if instrument is not None else []))
        for j, suggestion in enumerate(factor.suggestions):
            append = f"append({literal(self.rank_key(first + j, suggestion))} + w)"
            if suggestion.when_data is None:
                emit(depth, append)
                continue
            emit(depth, f"if {self.condition(suggestion.when_data, facts)}:")
            emit(depth + 1, append)

    def reads_alarm(self) -> bool:
        """True when some suggestion's condition reads whether an alarm symptom stands."""
        return any("alarm" in condition_keys(s.when_data) for f in self.rules.factors for s in f.suggestions)

    def rank_key(self, place: int, suggestion: Suggestion) -> int:
        """The static part of a suggestion's rank: smaller first (see :func:`rank_key`)."""
        return rank_key(PRIORITY_ORDER.get(suggestion.priority, 1), EVIDENCE_ORDER.get(suggestion.evidence, 5),
                        place, len(self.rules.factors))

    def scores(self, depth: int, detail: bool) -> None:
        """Every factor, the overall mean and the ranked suggestions."""
        emit, first = self.out, 0
        emit(depth, "found = []; append = found.append")
        if self.reads_alarm():
            alarms = [self.shown[self.index[f.question.id]] for f in self.rules.red_flags if f.kind != "risk"]
            emit(depth, "alarm = " + (" or ".join(f"{var} is True" for var in alarms) or "False"))
        for k, factor in enumerate(self.rules.factors):
            self.factor(depth, k, factor, first, detail)
            first += len(factor.suggestions)
        parts = " + ".join(f"e{k}[8]" for k in range(len(self.rules.factors))) or "0"
        emit(depth, f"parts = {parts}")  # the overall mean's weighted sum and weights, in one number

    def flags(self, depth: int, detail: bool) -> None:
        """The red flags answered yes (with detail: and the urgency rule that holds, -1: none)."""
        emit = self.out
        emit(depth, "flags = []" if detail else "flags = ()")  # few say yes: a tuple grown in place is cheapest
        if not detail and self.rules.red_flags:  # most rows answer no to every one: one test
            emit(depth, "if " + " or ".join(self.shown[self.index[f.question.id]] for f in self.rules.red_flags) + ":")
            depth += 1
        for flag in self.rules.red_flags:
            i, name = self.index[flag.question.id], literal(flag.question.id)
            emit(depth, f"if {self.shown[i]} is True:")
            emit(depth + 1, "u = -1")
            for c, rule in enumerate(flag.urgency_if):
                emit(depth + 1, f"{'if' if c == 0 else 'elif'} {self.condition(rule.when_data)}:")
                emit(depth + 2, f"u = {c}")
            emit(depth + 1, f"flags.append(({name}, u))" if detail else f"flags += (({name}, u),)")

    def safety_blank(self, depth: int) -> None:
        """``sb``: the safety questions shown and left blank (most rows answer them all: one test)."""
        emit = self.out
        emit(depth, "sb = ()")
        if not self.rules.red_flags:
            return
        cells = [f"v{self.index[f.question.id]}" for f in self.rules.red_flags]
        emit(depth, "if " + " or ".join(f"{cell} is None" for cell in cells) + ":")
        for flag, cell in zip(self.rules.red_flags, cells, strict=True):
            shown = flag.question.show_if_data
            test = f"{cell} is None" if shown is None else f"{cell} is None and {self.condition(shown)}"
            emit(depth + 1, f"if {test}: sb += ({literal(flag.question.id)},)")

    def top_factor(self, depth: int) -> None:
        """The scored factor with a percent above 0 that weighs most (the first on ties)."""
        emit = self.out
        emit(depth, "top = None; best = -1.0")  # e[7]: the weighted score, -1.0 unless percent > 0
        for k, factor in enumerate(self.rules.factors):
            emit(depth, f"if e{k}[7] > best:")
            emit(depth + 1, f"top = {literal(factor.id)}; best = e{k}[7]")

    def factors_tuple(self) -> str:
        return "(" + "".join(f"e{k}, " for k in range(len(self.rules.factors))) + ")"

    # ----------------------------------------------------------------------- the functions

    def row(self) -> None:
        """``make_row``: raw cells in, summary fields out; None sends the row the general way."""
        emit, count = self.out, len(self.rules.questions)
        self.shown = self.shown_vars(detail=False)
        emit(0, "def make_row(H, pick, cells, learn, B):")
        emit(1, "Unseen, OutOfRange, FIRSTS = H.Unseen, H.OutOfRange, H.firsts")
        emit(1, "Summary, new, ID, strip, unneutralise, HID = B.Summary, B.new, B.id_index, B.strip, B.unneutralise, "
                "B.hidden")
        emit(1, "".join(f"d{i}, " for i in range(count)) + "= cells")
        self.constants(1)
        emit(1, "def row(number, record):")
        emit(2, "".join(f"c{i}, " for i in range(count)) + "= pick(record)")
        emit(2, "try:")
        for i, q in enumerate(self.rules.questions):
            emit(3, f"v{i}, x{i} = d{i}[c{i}]" if q.id in self.owner else f"v{i} = d{i}[c{i}]")
        emit(2, "except Unseen:")  # a cell text not seen before: learn the record's texts, then again
        emit(3, "return row(number, record) if learn(record) else None")
        emit(2, "hid = 0")  # a bit per question answered although hidden: few rows have any
        self.in_row = True
        self.walk(2, detail=False)
        self.in_row = False
        answered = [f"f{k} & {literal((1 << p.count_bits) - 1)}" for k, p in enumerate(self.packs)]
        nothing = [f"not ({' or '.join(answered)})"] if answered else []  # cheap: most rows stop here
        emit(2, "if " + " and ".join(nothing + [f"v{i} is None" for i in range(count)]) + ":")
        emit(3, "return None")
        self.scores(2, detail=False)
        self.flags(2, detail=False)
        self.safety_blank(2)
        self.top_factor(2)
        triples = "(" + "".join(f"e{k}[0], " for k in range(len(self.rules.factors))) + ")"
        emit(2, "ov = OV.get(parts) or overall(parts)")
        emit(2, "client = strip(record[ID]) if ID is not None else ''")
        emit(2, "if client and client[0] == \"'\":")  # a formula-like id the export neutralised
        emit(3, "client = unneutralise(client)")
        self.first_three(2)
        emit(2, "if flags:")  # the red flags come first, most urgent first, and lead the top three
        emit(3, "flags, tops = flagged(flags, tops)")
        emit(2, f"return new(Summary, (number, client or f'row {{number}}', ov.percent, ov.level, {triples}, "
                "flags, top, tops, HID[hid] if hid else (), sb))")
        emit(1, "return row")

    def first_three(self, depth: int) -> None:
        """``tops``: the first three suggestions' ids, as :meth:`Helpers.top_ids` finds them; most
        often remembered by the places of the first five rank keys, looked up here."""
        emit, place = self.out, f"& {PLACES - 1}"
        emit(depth, "found.sort()")
        emit(depth, "try:")
        emit(depth + 1, f"tops = FIRSTS.get(((((found[0] {place}) << 10 | found[1] {place}) << 10 | found[2] {place})"
                        f" << 10 | found[3] {place}) << 10 | found[4] {place}) or top_ids(found)")
        emit(depth, "except OutOfRange:")  # fewer than five apply
        emit(depth + 1, "tops = top_ids(found)")

    def deltas(self) -> None:
        """``make_deltas``: per question, what its answer adds to its factor's packed sum (None
        for a question in no factor); the row scorer's dictionaries keep it with each answer."""
        emit = self.out
        emit(0, "def make_deltas(H):")
        self.constants(1)
        for i, q in enumerate(self.rules.questions):
            if q.id in self.owner:
                emit(1, f"def x{i}(v{i}):")
                emit(2, f"return {self.delta(i, q)}")
        emit(1, "return (" + "".join(f"x{i}, " if q.id in self.owner else "None, "
                                     for i, q in enumerate(self.rules.questions)) + ")")

    def trace(self) -> None:
        """``make_trace``: parsed answers in, everything the full assessment is built from."""
        emit = self.out
        self.shown = self.shown_vars(detail=True)
        emit(0, "def make_trace(H):")
        self.constants(1)
        emit(1, "Trace = H.Trace")
        emit(1, "def trace(answers):")
        emit(2, "get = answers.get")
        for i, q in enumerate(self.rules.questions):
            emit(2, f"v{i} = get({literal(q.id)})")
        emit(2, "blank = []")
        self.walk(2, detail=True)
        self.scores(2, detail=True)
        self.flags(2, detail=True)
        shown = "(" + "".join(f"{var}, " for var in self.shown) + ")"
        cuts = "(" + "".join(f"cut{k}, " for k in range(len(self.rules.factors))) + ")"
        counts = "(" + "".join(f"H.counts({k}, f{k}, {f'u{k}' if f.instrument else 0}), "
                               for k, f in enumerate(self.rules.factors)) + ")"
        emit(2, f"return Trace({shown}, blank, {self.factors_tuple()}, {counts}, {cuts}, "
                "overall(parts), flags, found)")
        emit(1, "return trace")


def generate(rules: RuleBase) -> str:
    """The source of the scoring module of ``rules`` (raises :class:`CodegenError` if it cannot)."""
    generator = _Generator(rules)
    generator.out(0, "# Generated by gutcheck from a checked rule base; every rule-file value is a literal.")
    generator.row()
    generator.deltas()
    generator.trace()
    return generator.out.text()


def _read(rules: RuleBase) -> set[str]:
    """Ids of questions some condition reads, and the red flags (their answers are reported)."""
    conditions = [q.show_if_data for q in rules.questions]
    conditions += [s.when_data for f in rules.factors for s in f.suggestions]
    conditions += [c.when_data for f in rules.factors if f.instrument for c in f.instrument.cutoffs]
    conditions += [u.when_data for rf in rules.red_flags for u in rf.urgency_if]
    keys = set().union(*(condition_keys(c) for c in conditions if c is not None))
    return keys | {rf.question.id for rf in rules.red_flags}
