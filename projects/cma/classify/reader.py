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

import math
from dataclasses import dataclass

from projects.cma.classify.confidence import GUESS_BELOW
from projects.cma.classify.normalize import padded_words
from projects.cma.classify.related import alternatives
from projects.cma.classify.sections import section_of
from projects.cma.classify.softmax import SoftmaxModel, load_reader, probabilities_of
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
# A veto needs the reader's head at EVEN or more and the rule's under VETO_BELOW, so the
# rule's logit below the other's by more than log(VETO_BELOW / EVEN); a little margin
# keeps rounding from deciding.
_NEVER_VETOED = math.log(VETO_BELOW / EVEN) + 1e-9

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


def second_reading(suggestion: Suggestion, normalized: str, side: Side, section: str) -> Suggestion:
    """The rule table's suggestion, vetoed or lifted by the reader as the module says;
    as it came where the reader agrees or is not sure enough to differ."""
    approved = suggestion.head is not None and suggestion.confidence >= GUESS_BELOW
    if approved and (
        suggestion.method not in ("synonym", "fuzzy")
        or _group_names(suggestion.head, section, side)  # checked first: it costs less
    ):
        return suggestion  # the group decided or agrees: the reader adds nothing
    if not approved and suggestion.method not in _UNDECIDED:
        return suggestion  # a deliberate doubt (see _UNDECIDED)
    reading = reading_in_use()
    if reading is None or not reading.allowed[side]:
        return suggestion
    logits = reading.model.logits(normalized, section, side)
    top = max(reading.allowed[side], key=logits.__getitem__)
    rule = reading.index.get(suggestion.head) if suggestion.head else None
    # Most ledgers end here, before the softmax: the reader agrees with the approval or
    # cannot reach the odds below (a head at even odds at least, the rule's under a
    # fifth of it), or another head outranks the one it would lift.
    if approved:
        if top == rule or (rule is not None and logits[rule] - logits[top] > _NEVER_VETOED):
            return suggestion
    elif logits[top] < max(logits):
        return suggestion
    probabilities = probabilities_of(logits)
    top_head, top_p = reading.model.classes[top], probabilities[top]
    rule_p = probabilities[rule] if rule is not None else 0.0
    reads = f"a model trained on other firms' ledgers reads it as '{HEADS_BY_ID[top_head].label}'"
    if approved:
        if (
            top_p < EVEN
            or rule_p >= VETO_BELOW
            # They differ only in the term ("Trade Receivables" under "Non-current
            # Assets"), which the label or the group states and the rules read.
            or with_term(top_head, padded_words(normalized), section)[0] == suggestion.head
        ):
            return suggestion
        # Withdrawn, not overruled: the rules' head stays the suggestion (they are right
        # on most of the ledgers they were written for), the reader's comes next.
        head, method, first = suggestion.head, suggestion.method, top_head
        confidence = VETOED_CONFIDENCE
        said = f"{reads} ({top_p:.0%}), this head {rule_p:.0%}: a CA decides"
    elif top_p >= LIFT_ABOVE:
        head, method, first = top_head, "model", suggestion.head
        confidence = LIFTED_CONFIDENCE
        said = f"{reads} ({top_p:.0%})" + (
            " too" if top_head == suggestion.head else " where the rules were unsure"
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
