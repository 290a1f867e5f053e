"""A scan's misread words read back: "P0wer & Fue1", "lncome Tax", "Sundry Debt0rs",
"BankCharges" -> "power and fuel", "income tax", "sundry debtors", "bank charges".

Books often reach a CA firm on paper, and OCR (or a hurried typist) confuses the same few
shapes: 0/o, 1/l/i, 5/s, l/i, c/e, rn/m, cl/d, vv/w, a doubled letter, two words run
together. A word is read back only when it is not ledger vocabulary as written and exactly
such a confusion makes it a word the rule table knows (`fuzzy.is_rule_word`): a party's
name ("Atul", "Patil") stays as it is unless a misreading of it is a ledger word, which
real names seldom are. Unlike `fuzzy.correct_word` (any word within a similarity), these
are the confusions themselves, so a word read back is read with the rule's own
confidence; the item's evidence says which words were read so.
"""

from __future__ import annotations

import re
from functools import lru_cache

from projects.cma.classify.fuzzy import is_rule_word

# What a digit among letters was on the paper ("1" is "l" or "i").
_DIGIT_LETTERS = {"0": ("o",), "1": ("l", "i"), "5": ("s",)}
# "A/c" with its slash read as a letter or digit.
_ACCOUNT = frozenset({"alc", "a1c", "aic", "a7c"})
# Letter shapes a scan swaps, in both directions where both occur.
_CONFUSIONS = (
    ("l", "i"), ("i", "l"), ("c", "e"), ("e", "c"), ("rn", "m"), ("m", "rn"), ("cl", "d"),
    ("vv", "w"), ("ii", "ll"),
)  # fmt: skip


def _digit_readings(word: str) -> list[str]:
    readings = [""]
    for char in word:
        letters = _DIGIT_LETTERS.get(char, (char,))
        readings = [r + letter for r in readings for letter in letters]
        if len(readings) > 16:
            return []
    return readings


def _confusion_readings(word: str) -> list[str]:
    out = []
    for wrong, right in _CONFUSIONS:
        start = word.find(wrong)
        while start != -1:
            out.append(word[:start] + right + word[start + len(wrong) :])
            start = word.find(wrong, start + 1)
    # A doubled letter ("creditorss", "padddy"): one of them.
    out += [word[:i] + word[i + 1 :] for i in range(1, len(word)) if word[i] == word[i - 1]]
    return out


@lru_cache(maxsize=32768)
def read_word(word: str) -> str:
    """The word as it was on the paper: itself, or the one ledger word a scan's confusion
    of it gives."""
    # Numbers and codes first: a book's many distinct party numbers cost no more.
    letters = sum(c.isalpha() for c in word)
    if letters < 2 or len(word) < 3 or is_rule_word(word):
        return word
    if word in _ACCOUNT:
        return "account"
    if letters < len(word):
        # Digits among letters ("p0wer", "sa1es", "g5t"), never a number or a code
        # ("18", "gst18", "b2b"): only the look-alike digits, and letters around them.
        if any(c not in _DIGIT_LETTERS for c in word if not c.isalpha()):
            return word
        readings = _digit_readings(word)
        found = {r for r in readings if is_rule_word(r)}
        if len(found) != 1:
            found = {r for d in readings for r in _confusion_readings(d) if is_rule_word(r)}
        return found.pop() if len(found) == 1 else word
    if len(word) < 4:
        return word  # "eur" is no misread "cur": three letters have too many neighbours
    found = {r for r in _confusion_readings(word) if is_rule_word(r)}
    return found.pop() if len(found) == 1 else word


# Two words run together show where a lower-case letter meets a capital ("BankCharges",
# "CurrentLiabilities"). In lower case the seam is lost, and cutting wherever two ledger
# words meet reads "network" as "net work" (job work): so only at a capital.
_SEAM = re.compile(r"(?<=[a-z])(?=[A-Z][a-z])")


def unjoined(text: str) -> str:
    """A raw label or group with its run-together words apart: "BankCharges" -> "Bank
    Charges"."""
    return _SEAM.sub(" ", text)


@lru_cache(maxsize=65536)
def read_label(normalized: str) -> str:
    """A normalized label (`normalize_label`) with each misread word read back, and a word
    a scan broke in two ("sun dry creditors") joined."""
    words = normalized.split()
    out: list[str] = []
    i = 0
    while i < len(words):
        if i + 1 < len(words) and _broken(words[i], words[i + 1]):
            out.append(words[i] + words[i + 1])
            i += 2
            continue
        out.append(read_word(words[i]))
        i += 1
    return " ".join(out)


@lru_cache(maxsize=32768)
def _broken(left: str, right: str) -> bool:
    """Whether two words are one a scan broke ("sun dry" for "sundry"): the halves are
    letters, not both ledger words, and together a ledger word."""
    if not (left.isalpha() and right.isalpha()) or len(left) + len(right) < 5:
        return False
    if is_rule_word(left) and is_rule_word(right):
        return False
    return is_rule_word(left + right)


def misread(normalized: str) -> str:
    """The label as read, where a word was read back ("" where none was): the evidence."""
    read = read_label(normalized)
    return read if read != normalized else ""
