"""Classify line items (ledgers, statement lines) into CMA heads, with an honest confidence.

Order of evidence, strongest first:

1. the firm's learned labels: a CA's earlier decision for the same normalized label and
   side (0.99, "learned");
2. a curated, ordered rule table of Indian ledger and Schedule III wording, aware of the
   side ("synonym"): the first rule whose phrases occur in the label wins, so specific
   wording ("interest on CC", "provision for depreciation") sits above generic wording
   ("cc", "depreciation");
3. fuzzy matching ("fuzzy"): first misspelt words are corrected against the rules'
   vocabulary and the rules re-run, then the whole label is compared with every head's
   synonyms;
4. the section or Tally group the item sat under ("section"), low confidence;
5. nothing: head None, confidence 0, "none".

Confidence decides what a CA reviews (below 0.70 by default), so it is kept honest: a
wording that needs a guess (plain "Freight": inward or outward?) stays below 0.70, a
balance on the side its head does not normally carry is penalised, and so is a rule that
contradicts the item's section. The tables' raw numbers are then mapped, per mechanism,
to the chance of being right measured on the development sources (`confidence`,
calibration.json), and an income or expense on its unusual side or an amount out of
proportion to the book sends the item to review with the reason (`amounts`).

The package, in dependency order: `constants`; `normalize` (the learned-label key and
the rules' view of a label); `rule`, `rules_pl`, `rules_bs` and `rules` (the rule
table); `headnoun` (a label's head noun: a rule that matched only a modifier gives way
to one for the head noun); `term` (current or non-current wording picks between paired
heads); `stock` and `bank`; `related` (alternatives); `sections`; `fuzzy`; `confidence` (the
calibration map); `amounts` (side and size as evidence); `decide` (`classify`,
`classify_all`).
"""

from projects.cma.classify.constants import (
    INVENTORY_HEADS,
    LEARNED_CONFIDENCE,
    METHOD_LABELS,
    SECTION_CONFLICT_FACTOR,
    WRONG_SIDE_FACTOR,
)
from projects.cma.classify.decide import Learned, classify, classify_all
from projects.cma.classify.normalize import normalize_label
from projects.cma.classify.rule import R
from projects.cma.classify.rules import RULES
from projects.cma.classify.rules_pl import ST
from projects.cma.classify.sections import SECTIONS, S

__all__ = [
    "INVENTORY_HEADS",
    "LEARNED_CONFIDENCE",
    "METHOD_LABELS",
    "RULES",
    "SECTIONS",
    "SECTION_CONFLICT_FACTOR",
    "ST",
    "WRONG_SIDE_FACTOR",
    "Learned",
    "R",
    "S",
    "classify",
    "classify_all",
    "normalize_label",
]
