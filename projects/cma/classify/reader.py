"""A second reading of the rule table's decisions, by a learned model.

The rule table reads a ledger by its words and knows when a rule matched, not when the
match missed what the ledger is ("Turning Chips Sale" is scrap, not a sale of goods;
"Stock of WIP" is the stock, not its change). The second reader (softmax.py, reader.json:
a logistic regression trained on the project's own examples and the ledger lists written
for it, `training.own_rows`) reads the same ledger, with its group and side, another way:

- where the rules approved a head the reader gives almost no chance (`VETO_BELOW`), the
  approval is withdrawn: the rule's head is still suggested, the reader's is the first
  alternative, and a CA decides;
- where the rules left a ledger undecided (the group alone, a likeness, nothing) and
  the reader is all but certain (`LIFT_ABOVE`) of a head the balance's side allows, that
  head is approved, the rules' kept as an alternative.

The lines were set on three Indian ledger lists the rules had never seen, each read by
the rules as they stood then and by a reader trained without it (bench/RESULTS.md, "a
second reader"): of 32 approvals vetoed the rule was right on 8 and the reader on 24; the
5 lifted were right. Statement captions and closing stock are the tables' alone: the
reader learnt from ledger names.
"""

from __future__ import annotations

from dataclasses import dataclass

from projects.cma.classify.agreement import METHODS, Inputs, agreement_in_use
from projects.cma.classify.confidence import GUESS_BELOW
from projects.cma.classify.normalize import padded_words
from projects.cma.classify.regime import per_tax_rate
from projects.cma.classify.related import alternatives
from projects.cma.classify.sections import section_of
from projects.cma.classify.softmax import SoftmaxModel, load_reader, probabilities_of
from projects.cma.classify.stock import by_convention
from projects.cma.classify.term import with_term
from projects.cma.heads import HEADS_BY_ID
from projects.cma.records import Side, Suggestion

# The reader's probability of an approved rule head below which it vetoes the approval,
# when it reads another head at even odds at least.
VETO_BELOW = 0.10
EVEN = 0.5
# ...and of its own head above which it approves what the rules left to a CA.
LIFT_ABOVE = 0.99
# Measured where they were set: the rule was right on 8 of 32 vetoes (25 %), the reader
# on 24; 5 of 5 lifts. A vetoed head keeps about its measured chance; a lifted one what
# a rule the group agrees with is, not more, for the small count.
VETOED_CONFIDENCE = 0.35
LIFTED_CONFIDENCE = 0.90

# What the rules leave undecided: the group alone, a whole-label likeness, nothing. A
# rule that is itself a guess ("Income received in advance": a CA's call between two
# heads) stays one: no second opinion lifts a deliberate doubt over the review line.
_UNDECIDED = frozenset({"section", "fuzzy", "none"})

# The reader in use and what its decisions read from it; `use_reader` swaps it (the
# bench's held-out folds, tests).
_READER: dict[str, _Reading | None] = {}


@dataclass(frozen=True, slots=True)
class _Reading:
    model: SoftmaxModel
    index: dict[str, int]  # head -> its place in the model's classes
    # The places of the heads a balance on each side may take: the reader reads the side
    # as one word among many, the rules and the amount checks as a fact.
    allowed: dict[str, tuple[int, ...]]

    @classmethod
    def of(cls, model: SoftmaxModel) -> _Reading:
        allowed = {
            side: tuple(
                at
                for at, head in enumerate(model.classes)
                if head in HEADS_BY_ID and HEADS_BY_ID[head].normal == side
            )
            for side in ("Dr", "Cr")
        }
        return cls(model, {head: at for at, head in enumerate(model.classes)}, allowed)


def use_reader(model: SoftmaxModel | None) -> None:
    """Read with this model from now on (None: no second reading)."""
    _READER["model"] = _Reading.of(model) if model is not None else None


def reading_in_use() -> _Reading | None:
    if "model" not in _READER:
        model = load_reader()
        _READER["model"] = _Reading.of(model) if model is not None else None
    return _READER["model"]


def read_again(
    suggestion: Suggestion, normalized: str, side: Side, section: str, *, guess: bool
) -> Suggestion:
    """The rule table's suggestion read by the reader: vetoed or lifted as the module
    says, then its confidence re-weighed by how far the two agree (agreement.py), the
    reader's view added to the evidence. A stock's kind by the table's convention
    (`stock.by_convention`), or a trade named beside its tax regime only
    (`regime.per_tax_rate`), is no wording for it to read."""
    head = suggestion.head
    if (
        _settled(suggestion, side, section)
        or by_convention(head, normalized)
        or per_tax_rate(head, normalized)
    ):
        return suggestion
    view = _view(normalized, side, section)
    if view is None:
        return suggestion
    read = _second_reading(suggestion, normalized, side, section, view)
    if read is not suggestion:
        return read  # a veto or a lift says what the reader read
    fit = agreement_in_use()
    inputs = _inputs(suggestion, side, section, view, guess) if fit is not None else None
    if fit is None or inputs is None:
        return suggestion
    top, top_p = view.top, view.top_p
    confidence = round(fit(inputs), 4)
    others = [h for h, _ in suggestion.alternatives]
    if view.first != top:
        # Its likeliest head is one the balance's side does not take ("Audit Fees" in
        # credit: an expense by its words, owed by its side).
        balance = "a debit balance" if side == "Dr" else "a credit balance"
        said = (
            f"{_reads(view.first)} ({view.first_p:.0%}), which {balance} does not take;"
            f" this head {inputs.reader_p:.0%}"
        )
    elif inputs.agrees:
        said = f"a model trained on other firms' ledgers reads the same head ({top_p:.0%})"
    else:
        said = f"{_reads(top)} ({top_p:.0%}), this head {inputs.reader_p:.0%}"
        if top_p >= EVEN:
            others.insert(0, top)  # a runner-up worth a CA's look
    offered = alternatives(head, confidence, [(h, 1.0) for h in others])
    return Suggestion(head, confidence, suggestion.method, offered, (*suggestion.evidence, said))


def agreement_inputs(
    suggestion: Suggestion, normalized: str, side: Side, section: str, *, guess: bool
) -> Inputs | None:
    """What agreement.py reads of a suggestion not yet re-weighed (None: nothing to
    re-weigh, or no reader): the fit's rows (calibrate.agreement_rows)."""
    # A settled suggestion (`_settled`) is read too: classify spares it the reading, but
    # it counts among the approved the fit's shift is measured over (`guarded` keeps it).
    view = _view(normalized, side, section)
    return _inputs(suggestion, side, section, view, guess) if view is not None else None


def _settled(suggestion: Suggestion, side: Side, section: str) -> bool:
    """Approved, and the group names the head (a party under Sundry Debtors): neither a
    veto nor the agreement may take that approval away (`agreement.guarded`), so the
    reading, a third of the classify step's time on such a book, is spared."""
    return (
        suggestion.head is not None
        and suggestion.confidence >= GUESS_BELOW
        and _group_names(suggestion.head, section, side)
    )


@dataclass(frozen=True, slots=True)
class _View:
    """The reader's reading of one ledger: each head's probability, and its first head
    among those the balance's side allows."""

    probabilities: list[float]
    index: dict[str, int]
    top: str
    top_p: float
    first: str  # its likeliest head, whichever side
    first_p: float
    allowed_p: float  # what it gives the heads the balance's side allows, together

    def p(self, head: str | None) -> float:
        at = self.index.get(head) if head else None
        return self.probabilities[at] if at is not None else 0.0


def _view(normalized: str, side: Side, section: str) -> _View | None:
    reading = reading_in_use()
    if reading is None or not reading.allowed[side]:
        return None
    probabilities = probabilities_of(reading.model.logits(normalized, section, side))
    top = max(reading.allowed[side], key=probabilities.__getitem__)
    first = max(range(len(probabilities)), key=probabilities.__getitem__)
    classes = reading.model.classes
    return _View(
        probabilities,
        reading.index,
        classes[top],
        probabilities[top],
        classes[first],
        probabilities[first],
        sum(probabilities[at] for at in reading.allowed[side]),
    )


def _inputs(
    suggestion: Suggestion, side: Side, section: str, view: _View, guess: bool
) -> Inputs | None:
    head = suggestion.head
    # A balance on the side its head does not carry was doubted for that (the rules'
    # WRONG_SIDE_FACTOR), which no reading of its words answers.
    if head is None or suggestion.method not in METHODS or HEADS_BY_ID[head].normal != side:
        return None
    # The side is a fact the reader reads as one word among many: its odds among the heads
    # the side allows ("ICICI Bank" in credit: the cash credit, however cash-like the name).
    allowed = view.allowed_p or 1.0
    return Inputs(
        suggestion.confidence,
        guess,
        suggestion.method,
        bool(section),
        _group_names(head, section, side),
        view.p(head) / allowed,
        view.top == head,
        view.top_p / allowed,
    )


def _reads(head: str) -> str:
    return f"a model trained on other firms' ledgers reads it as '{HEADS_BY_ID[head].label}'"


def _second_reading(
    suggestion: Suggestion, normalized: str, side: Side, section: str, view: _View
) -> Suggestion:
    """The suggestion vetoed or lifted as the module says; itself where the reader agrees
    or is not sure enough to differ."""
    approved = suggestion.head is not None and suggestion.confidence >= GUESS_BELOW
    top, top_p, p = view.top, view.top_p, view.p
    if approved and top == suggestion.head:
        return suggestion
    if approved:
        if (
            # (A head the group names never gets here: `_settled`.)
            suggestion.method not in ("synonym", "fuzzy")
            or top_p < EVEN
            or p(suggestion.head) >= VETO_BELOW
            # They differ only in the term ("Trade Receivables" under "Non-current
            # Assets"), which the label or the group states and the rules read.
            or with_term(top, padded_words(normalized), section)[0] == suggestion.head
        ):
            return suggestion
        # Withdrawn, not overruled: the rules' head stays the suggestion (they are right
        # on most of the ledgers they were written for), the reader's comes next.
        head, method, first = suggestion.head, suggestion.method, top
        confidence = VETOED_CONFIDENCE
        said = f"{_reads(top)} ({top_p:.0%}), this head {p(suggestion.head):.0%}: a CA decides"
    elif top_p >= LIFT_ABOVE and suggestion.method in _UNDECIDED and not _doubted(section):
        head, method, first = top, "model", suggestion.head
        confidence = LIFTED_CONFIDENCE
        said = f"{_reads(top)} ({top_p:.0%})" + (
            " too" if top == suggestion.head else " where the rules were unsure"
        )
    else:
        return suggestion
    others = [first] if first else []
    others += [h for h, _ in suggestion.alternatives]
    offered = alternatives(head, confidence, [(h, 1.0) for h in others])
    return Suggestion(head, confidence, method, offered, (*suggestion.evidence, said))


def _doubted(section: str) -> bool:
    """Whether the group is one whose head a CA confirms by design (sections.Section)."""
    hint = section_of(section) if section else None
    return hint is not None and hint.doubt


def _group_names(head: str, section: str, side: Side) -> bool:
    """Whether the group the ledger sits under names this head itself ("Duties & Taxes",
    "Prepaid Expenses"): two readings already agree, and a group is evidence the reader
    weighs as a few words."""
    hint = section_of(section) if section else None
    return hint is not None and (hint.dr if side == "Dr" else hint.cr) == head
