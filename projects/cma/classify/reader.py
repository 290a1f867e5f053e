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

from projects.cma.classify.confidence import GUESS_BELOW
from projects.cma.classify.normalize import padded_words
from projects.cma.classify.related import alternatives
from projects.cma.classify.sections import section_of
from projects.cma.classify.softmax import SoftmaxModel, load_reader
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

# The reader in use; `use_reader` swaps it (the bench's held-out folds, tests).
_READER: dict[str, SoftmaxModel | None] = {}


def use_reader(model: SoftmaxModel | None) -> None:
    """Read with this model from now on (None: no second reading)."""
    _READER["model"] = model


def _reader() -> SoftmaxModel | None:
    if "model" not in _READER:
        _READER["model"] = load_reader()
    return _READER["model"]


def second_reading(suggestion: Suggestion, normalized: str, side: Side, section: str) -> Suggestion:
    """The rule table's suggestion, vetoed or lifted by the reader as the module says;
    as it came where the reader agrees or is not sure enough to differ."""
    approved = suggestion.head is not None and suggestion.confidence >= GUESS_BELOW
    if approved and (
        suggestion.method not in ("synonym", "fuzzy")
        or _group_names(suggestion.head, section, side)  # checked first: it costs less
    ):
        return suggestion  # the group decided or agrees: the reader adds nothing
    model = _reader()
    if model is None:
        return suggestion
    ranked = model.scores(normalized, section, side)
    rule_p = next((p for head, p in ranked if head == suggestion.head), 0.0)
    # The reader's own head must be one the balance's side allows: it reads the side as
    # one word among many, the rules and the amount checks as a fact.
    top, top_p = next(
        ((h, p) for h, p in ranked if h in HEADS_BY_ID and HEADS_BY_ID[h].normal == side),
        (None, 0.0),
    )
    if top is None or (approved and top == suggestion.head):
        return suggestion
    reads = f"a model trained on other firms' ledgers reads it as '{HEADS_BY_ID[top].label}'"
    if approved:
        if (
            top_p < EVEN
            or rule_p >= VETO_BELOW
            # They differ only in the term ("Trade Receivables" under "Non-current
            # Assets"), which the label or the group states and the rules read.
            or with_term(top, padded_words(normalized), section)[0] == suggestion.head
        ):
            return suggestion
        # Withdrawn, not overruled: the rules' head stays the suggestion (they are right
        # on most of the ledgers they were written for), the reader's comes next.
        head, method, first = suggestion.head, suggestion.method, top
        confidence = VETOED_CONFIDENCE
        said = f"{reads} ({top_p:.0%}), this head {rule_p:.0%}: a CA decides"
    elif top_p >= LIFT_ABOVE and suggestion.method in _UNDECIDED:
        head, method, first = top, "model", suggestion.head
        confidence = LIFTED_CONFIDENCE
        said = f"{reads} ({top_p:.0%})" + (
            " too" if top == suggestion.head else " where the rules were unsure"
        )
    else:
        return suggestion
    others = [first] if first else []
    others += [h for h, _ in suggestion.alternatives]
    offered = alternatives(head, confidence, [(h, 1.0) for h in others])
    return Suggestion(head, confidence, method, offered, (*suggestion.evidence, said))


def _group_names(head: str, section: str, side: Side) -> bool:
    """Whether the group the ledger sits under names this head itself ("Duties & Taxes",
    "Prepaid Expenses"): two readings already agree, and a group is evidence the reader
    weighs as a few words."""
    hint = section_of(section) if section else None
    return hint is not None and (hint.dr if side == "Dr" else hint.cr) == head
