"""The rule base compiled into Python source: the one scorer of every answer set.

As fastjsonschema compiles a JSON Schema into a validator, :func:`generate` turns a checked
:class:`~gutcheck.rulebook.model.RuleBase` into the source of a small module that reads like
the rule base: a header naming each position, each question's points as a plain dictionary, one
function for the safety questions and one per factor (its points, reachable points and answers
as named sums, its instrument's cut-offs, the suggestions that apply), and ``score``, which works
out which questions are shown and hands each part its answers. ``gutcheck rules scorer`` prints it.

The safety rule: **nothing from a rule file is ever written into the source except as a
literal**, made by :func:`gutcheck.rulebook.literals.literal` from a checked ``str``, ``bool``,
``int`` or finite ``float`` with :func:`ascii` (so the source is plain ASCII and no quote,
newline, backslash or look-alike character can end a literal, or the comment holding one,
early). Every name in the source (``q17``, ``f0_points``, ``S3``) is made from a position, never
from an id or a text. Whatever a rule file holds, the module only compares, adds and looks up;
tests feed hostile ids and texts and check the module's syntax tree and comments.

The module defines two functions, closed over the helpers of :mod:`gutcheck.engine.compiled`:

- ``make_scorer(H)``: ``score(q0, q1, ...)`` from each question's parsed answer (None: no
  answer; "prefer not to say" is no answer) to a ``Scored``: the safety questions' part, each
  factor's part and the answers given to questions an earlier answer hides; it gives back
  ``score`` with the parts it calls (``safety_questions``, ``factor_<k>``), which the lint calls too;
- ``make_rows(H, score, cells, pick, learn, summarise)``: a batch row scorer: a row number and its
  CSV record in, each question's cell read through a plain dictionary from cell text to answer,
  and ``summarise``'s client summary out (None: the row takes the general path, where messages
  are made).
"""

from __future__ import annotations

from dataclasses import dataclass

from gutcheck.rulebook.codegen_conditions import Names
from gutcheck.rulebook.conditions import condition_keys
from gutcheck.rulebook.kinds import CHOICE, NUMBER, YESNO, QuestionKind
from gutcheck.rulebook.literals import CodegenError, literal
from gutcheck.rulebook.model import Factor, Question, RuleBase

__all__ = ["CodegenError", "Part", "generate", "literal", "parts"]

HEADER = (
    "# The scorer gutcheck generated from a checked rule base: it only compares, adds and looks up.",
    "# Names come from positions; each is given here with the id it stands for (ids are literals).",
    "# A question's answer is None when it was not answered, or when an earlier answer hides it.",
)


@dataclass(frozen=True)
class Part:
    """A function of the module (the safety questions, or one factor) and what it is given."""

    name: str  # 'safety_questions' or 'factor_<k>'
    memo: str  # the dictionary remembering its results by what it is given
    own: tuple[int, ...]  # its questions, by position
    reads: tuple[int, ...]  # other questions its conditions read
    alarm: bool  # whether it reads whether an alarm symptom stands

    def inputs(self, questions: tuple[Question, ...]) -> list[str]:
        """Its parameters: each own question's answer (and whether it was shown, for one a
        condition may hide), the other answers it reads, and the alarm."""
        names: list[str] = []
        for i in self.own:
            names += [f"q{i}", f"q{i}_shown"] if questions[i].show_if_data is not None else [f"q{i}"]
        return names + [f"q{i}" for i in self.reads] + (["alarm"] if self.alarm else [])


class _Source:
    """Source lines with indentation."""

    def __init__(self) -> None:
        self.lines: list[str] = []

    def __call__(self, depth: int, *lines: str) -> None:
        self.lines.extend("    " * depth + line for line in lines)

    def text(self) -> str:
        return "\n".join(self.lines) + "\n"


class _Generator:
    """Writes the module of one rule base; every name comes from a position."""

    def __init__(self, rules: RuleBase) -> None:
        self.rules = rules
        self.questions = rules.questions
        self.index = {q.id: i for i, q in enumerate(self.questions)}
        self.first = {f.id: sum(len(g.suggestions) for g in rules.factors[:k]) for k, f in enumerate(rules.factors)}
        self.parts = [self.safety_part(), *(self.factor_part(k) for k in range(len(rules.factors)))]
        self.out = _Source()

    def safety_part(self) -> Part:
        own = tuple(self.index[q.id] for q in (*self.rules.about, *(f.question for f in self.rules.red_flags)))
        read = set().union(*(condition_keys(u.when_data) for f in self.rules.red_flags for u in f.urgency_if))
        return Part("safety_questions", "SAFETY_SEEN", own, self.others(read, own), False)

    def factor_part(self, k: int) -> Part:
        factor = self.rules.factors[k]
        own = tuple(self.index[q.id] for q in factor.questions)
        whens = [s.when_data for s in factor.suggestions]
        whens += [c.when_data for c in factor.instrument.cutoffs] if factor.instrument else []
        read = set().union(*(condition_keys(w) for w in whens if w is not None))
        return Part(f"factor_{k}", f"F{k}_SEEN", own, self.others(read, own), "alarm" in read)

    def others(self, read: set[str], own: tuple[int, ...]) -> tuple[int, ...]:
        """The questions in ``read`` that are not ``own``, by position (facts are not questions)."""
        return tuple(sorted(self.index[key] for key in read if key in self.index and self.index[key] not in own))

    def names(self, extra: dict[str, tuple[str, QuestionKind]] | None = None) -> Names:
        """Condition subjects: each question's shown answer ``q<i>``, and ``extra`` facts."""
        subjects = {q.id: (f"q{i}", q.type) for i, q in enumerate(self.questions)}
        return Names({**subjects, **(extra or {})})

    # ----------------------------------------------------------------------- the header and constants

    def header(self) -> None:
        emit = self.out
        emit(0, *HEADER)
        for i, question in enumerate(self.questions):
            emit(0, f"# q{i} = {literal(question.id)}")
        for k, factor in enumerate(self.rules.factors):
            questions = ", ".join(f"q{self.index[q.id]}" for q in factor.questions)
            places = [f"S{self.first[factor.id] + j}" for j in range(len(factor.suggestions))]
            tail = f"; suggestions {', '.join(places)}" if places else ""
            emit(0, f"# f{k} = {literal(factor.id)}: questions {questions}{tail}")
            if factor.instrument is not None:
                items = ", ".join(f"q{self.index[q]}" for q in factor.instrument.items if q in self.index)
                emit(0, f"# i{k} = {literal(factor.instrument.id)}: items {items}")
            for j, suggestion in enumerate(factor.suggestions):
                emit(0, f"# S{self.first[factor.id] + j} = {literal(suggestion.id)}")

    def constants(self) -> None:
        """The points of each answer, the red flags' results and the suggestions."""
        emit = self.out
        emit(1, "remember, factor_score, factor_part, safety_part, overall_of, Scored, Functions = "
                "H.remember, H.factor_score, H.factor_part, H.safety_part, H.overall, H.Scored, H.Functions")
        emit(1, "# what each answer (each option picked, for several) adds to its factor's points")
        for i, question in enumerate(self.questions):
            table = question.type.points_table(question) if question.factor is not None else None
            if table is not None:
                emit(1, f"Q{i}_POINTS = {{{', '.join(f'{literal(a)}: {literal(p)}' for a, p in table.items())}}}")
        emit(1, "# each red flag's result under its own urgency (R<r>) and under each urgency rule (R<r>_<rule>)")
        for r, flag in enumerate(self.rules.red_flags):
            rules = (f"R{r}_{u} = H.red_flag({r}, {u})" for u in range(len(flag.urgency_if)))
            emit(1, f"R{r} = H.red_flag({r}, -1)", *rules)
        emit(1, "# the suggestions, as the header names them")
        for place in range(sum(len(f.suggestions) for f in self.rules.factors)):
            emit(1, f"S{place} = H.suggestion({place})")
        emit(1, "# each part's results, remembered by what it was given")
        for part in self.parts:
            emit(1, f"{part.memo} = {{}}")

    # ----------------------------------------------------------------------- the safety questions

    def safety(self) -> None:
        emit, part = self.out, self.parts[0]
        emit(1, f"def {part.name}({', '.join(part.inputs(self.questions))}):")
        emit(2, '"""The red flags answered yes, each with the urgency that holds for these answers, and the',
                'about-you and safety questions left unanswered or hidden."""',
                "flags = []", "unanswered = ()", "hidden = ()")
        flags = {self.index[f.question.id]: r for r, f in enumerate(self.rules.red_flags)}
        for i in part.own:
            lines = self.blank_or_hidden(i, [])
            if i in flags:  # a red flag: only a yes says more
                yes = self.flag_lines(flags[i], i)
                lines += ["el" + yes[0], *yes[1:]]
            emit(2, *lines)
        emit(2, "return safety_part(flags, unanswered, hidden)")

    def blank_or_hidden(self, i: int, answered: list[str]) -> list[str]:
        """Question ``i`` hidden, unanswered, or answered (then ``answered``)."""
        question, name = self.questions[i], literal(self.questions[i].id)
        lines = [f"# q{i}"]
        if question.show_if_data is not None:
            lines += [f"if not q{i}_shown:", f"    hidden += ({name},)", f"elif q{i} is None:"]
        else:
            lines += [f"if q{i} is None:"]
        lines += [f"    unanswered += ({name},)"]
        return lines + (["else:", *(f"    {line}" for line in answered)] if answered else [])

    def flag_lines(self, r: int, i: int) -> list[str]:
        """Red flag ``r`` (question ``i``): when answered yes, its result under the first urgency rule that holds."""
        rules = self.rules.red_flags[r].urgency_if
        if not rules:
            return [f"if q{i} is True:", f"    flags.append(R{r})"]
        lines = [f"if q{i} is True:"]  # an urgency rule's condition may read any answer
        for u, rule in enumerate(rules):
            lines += [f"    {'if' if u == 0 else 'elif'} {self.names().condition(rule.when_data)}:",
                      f"        flags.append(R{r}_{u})"]
        return [*lines, "    else:", f"        flags.append(R{r})"]

    # ----------------------------------------------------------------------- a factor

    def factor(self, k: int) -> None:
        emit, part, factor = self.out, self.parts[k + 1], self.rules.factors[k]
        emit(1, f"def {part.name}({', '.join(part.inputs(self.questions))}):")
        emit(2, f'"""f{k}: its points, reachable points and answers, its instrument and the suggestions that apply."""',
                f"f{k}_points = 0", f"f{k}_reachable = 0", f"f{k}_answered = 0",
                "unanswered = ()", "hidden = ()")
        items = set(factor.instrument.items) if factor.instrument else set()
        if factor.instrument is not None:
            emit(2, f"i{k}_total = 0", f"i{k}_answered = 0")
        for i in part.own:
            emit(2, *self.sums(k, i, self.questions[i].id in items))
        emit(2, f"f{k} = factor_score({k}, f{k}_points, f{k}_reachable, f{k}_answered)")
        if factor.instrument is not None:
            self.instrument(k, factor)
        self.suggestions(k, factor)
        cutoff, total = (f"i{k}_cutoff", f"i{k}_total") if factor.instrument else ("None", "0")
        emit(2, f"return factor_part(f{k}, found, {cutoff}, {total}, unanswered, hidden)")

    def sums(self, k: int, i: int, item: bool) -> list[str]:
        """Question ``i``'s part of factor ``k``'s sums (and of its instrument's, for an item)."""
        question = self.questions[i]
        most = literal(question.max_points)
        answered = [*question.type.points_code(question, f"q{i}", f"Q{i}_POINTS", f"q{i}_points"),
                    f"f{k}_points += q{i}_points", f"f{k}_reachable += {most}", f"f{k}_answered += 1"]
        answered += [f"i{k}_total += q{i}_points", f"i{k}_answered += 1"] if item else []
        lines = self.blank_or_hidden(i, answered)
        if question.show_if_data is None:
            return lines
        # a hidden question does not apply: its points count as reachable, at no risk
        return [lines[0], lines[1], lines[2], f"    f{k}_reachable += {most}", *lines[3:]]

    def instrument(self, k: int, factor: Factor) -> None:
        """The first cut-off that holds, and the screen it gives (none without ``at_least``)."""
        emit, instrument = self.out, factor.instrument
        assert instrument is not None
        emit(2, f"# i{k}: the first cut-off whose condition holds, and its screen", f"i{k}_cutoff = None",
                f"i{k}_screen = None", f"if i{k}_answered:")
        for c, cutoff in enumerate(instrument.cutoffs):
            if cutoff.when_data is not None:
                emit(3, f"{'if' if c == 0 else 'elif'} {self.names().condition(cutoff.when_data)}:")
            elif c > 0:
                emit(3, "else:")
            depth = 3 if cutoff.when_data is None and c == 0 else 4
            emit(depth, f"i{k}_cutoff = {c}")
            if cutoff.at_least is not None:
                emit(depth, f"i{k}_screen = 'positive' if i{k}_total >= {literal(cutoff.at_least)} else 'negative'")
            if cutoff.when_data is None:
                break  # the cut-offs after one without a condition are never used

    def suggestions(self, k: int, factor: Factor) -> None:
        emit = self.out
        facts = {"level": (f"f{k}.level", CHOICE), "percent": (f"f{k}.percent", NUMBER),
                 "points": (f"f{k}_points", NUMBER), "alarm": ("alarm", YESNO)}
        if factor.instrument is not None:
            facts["screen"] = (f"i{k}_screen", CHOICE)
        emit(2, "# the suggestions whose condition holds, in the rule base's order", "found = []")
        names = self.names(facts)
        for j, suggestion in enumerate(factor.suggestions):
            place = f"S{self.first[factor.id] + j}"
            if suggestion.when_data is None:
                emit(2, f"found.append({place})")
            else:
                emit(2, f"if {names.condition(suggestion.when_data)}:", f"    found.append({place})")

    # ----------------------------------------------------------------------- score and rows

    def score(self) -> None:
        emit, count = self.out, len(self.questions)
        emit(1, f"def score({', '.join(f'q{i}' for i in range(count))}):")
        emit(2, '"""Everything scored for one set of answers, given in the order of the header."""',
                "ignored = ()",
                "# which questions are shown: an earlier answer may hide one, which then reads as unanswered")
        for i, question in enumerate(self.questions):
            if question.show_if_data is not None:
                emit(2, f"q{i}_shown = {self.names().condition(question.show_if_data)}", f"if not q{i}_shown:",
                        f"    if q{i} is not None:", f"        ignored += ({literal(question.id)},)",
                        f"    q{i} = None")
        for n, part in enumerate(self.parts):
            emit(2, f"# {'the safety questions' if n == 0 else f'f{n - 1}'}")
            emit(2, f"key = {_tuple(part.inputs(self.questions))}",
                    f"{'safety' if n == 0 else f'f{n - 1}'} = {part.memo}.get(key) or "
                    f"remember({part.memo}, key, {part.name}(*key))")
            if n == 0:
                emit(2, "alarm = safety.alarm")
        factors = range(len(self.rules.factors))
        parts = " + ".join(f"f{k}.mean_part" for k in factors) or "0"
        weights = " + ".join(f"f{k}.mean_weight" for k in factors) or "0"
        emit(2, "# the overall result: the weighted mean of the factors' percents",
                f"overall = overall_of({parts},", f"                   {weights})",
                f"return Scored(safety, {_tuple([f'f{k}' for k in factors])}, ignored, overall)")

    def rows(self) -> None:
        emit, count = self.out, len(self.questions)
        cells = "".join(f"c{i}, " for i in range(count))
        emit(0, "def make_rows(H, score, cells, pick, learn, summarise):",
                '    """A batch row scorer: each cell read through its question\'s dictionary from cell text',
                '    to answer."""',
                f"    {''.join(f'C{i}, ' for i in range(count))}= cells",
                "    Unseen = H.Unseen  # what reading a dictionary raises for a text it does not hold",
                "    def row(number, record):",
                f"        {cells}= pick(record)",
                "        try:")
        emit(3, *(f"q{i} = C{i}[c{i}]" for i in range(count)))
        emit(2, "except Unseen:  # a cell text not seen yet: learn the record's texts, then read it again",
                "    return row(number, record) if learn(record) else None",
                "# nothing answered: the general path says so",
                f"if {' and '.join(f'q{i} is None' for i in range(count))}:", "    return None",
                f"return summarise(number, record, score({', '.join(f'q{i}' for i in range(count))}))")
        emit(1, "return row")

    def module(self) -> str:
        """The whole module: the header, ``make_scorer`` and ``make_rows``."""
        self.header()
        self.out(0, "def make_scorer(H):", '    """The scorer of this rule base, given its helpers H."""')
        self.constants()
        self.safety()
        for k in range(len(self.rules.factors)):
            self.factor(k)
        self.score()
        factors = _tuple([f"factor_{k}" for k in range(len(self.rules.factors))])
        self.out(1, f"return Functions(score, safety_questions, {factors})")
        self.rows()
        return self.out.text()


def parts(rules: RuleBase) -> list[Part]:
    """The functions ``score`` calls, with what each is given: the safety questions', then each factor's."""
    return _Generator(rules).parts


def _tuple(names: list[str]) -> str:
    """A tuple display of ``names``."""
    return f"({names[0]},)" if len(names) == 1 else f"({', '.join(names)})"  # () when empty


def generate(rules: RuleBase) -> str:
    """The source of the scoring module of ``rules`` (raises :class:`CodegenError` if it cannot)."""
    return _Generator(rules).module()
