"""Labels whose only known word is generic: a balance's state ("... Payable") beside an
acronym the classifier does not know, or "Stores" beside a name (a shop)."""

from __future__ import annotations

from projects.cma.classify.fuzzy import is_known_word
from projects.cma.classify.normalize import padded_phrase
from projects.cma.classify.rule import Rule

GENERIC_OWED = frozenset(
    padded_phrase(p)
    for p in ("payable", "outstanding", "receivable", "recoverable", "advance", "accrued",
              "accrual")
)  # fmt: skip
_ACRONYM_LENGTH = 5


def unknown_beside_generic(rule: Rule, words: str) -> bool:
    """Whether the rule matched only a word that says a balance is owed, and the label's
    other words include one the classifier does not know."""
    found = [p for p in rule.any if p in words]
    if not found or any(p not in GENERIC_OWED for p in found):
        return False
    rest = words
    for phrase in found:
        rest = rest.replace(phrase, " ")
    # Short unknown words are acronyms of schemes and dues ("MLWF", "CPP"); a long one is
    # more often a plain word the vocabulary lacks ("Retention Money Payable").
    return any(not is_known_word(w) and len(w) <= _ACRONYM_LENGTH for w in rest.split())


# A shop is named "<name> Stores" ("Laxmi Stores"): the word alone, beside a name the
# classifier does not know, is more often a party than the stores consumed.
_SHOP_WORD = padded_phrase("store")


def shop_name(rule: Rule, words: str) -> bool:
    if not rule.any or rule.any[0] != _SHOP_WORD or any(p in words for p in rule.any[1:]):
        return False
    return any(not is_known_word(w) for w in words.replace(_SHOP_WORD, " ").split())
