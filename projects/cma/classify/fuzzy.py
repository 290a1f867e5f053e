"""Fuzzy matching: the synonyms of every head (its label, typical wording and the rules'
confident phrases), spelling correction against their vocabulary (`correct_word`), and the
heads whose synonyms resemble a label (`fuzzy_heads`).
"""

from __future__ import annotations

import re
from functools import lru_cache

from rapidfuzz import fuzz, process

from projects.cma.classify.normalize import normalize_label, padded_words
from projects.cma.classify.rules import RULES
from projects.cma.heads import HEADS, HEADS_BY_ID
from projects.cma.records import Side

# --------------------------------------------------------------------------------------
# Fuzzy matching: misspelt words corrected against the rules' vocabulary, then the whole
# label against every head's synonyms.
# --------------------------------------------------------------------------------------


def _synonyms() -> list[tuple[str, str]]:
    pairs: set[tuple[str, str]] = set()
    for head in HEADS:
        texts = [head.label, *re.split(r"[,;]", re.sub(r"\([^)]*\)", "", head.typical))]
        for text in texts:
            words = padded_words(normalize_label(text)).strip()
            if words:
                pairs.add((words, head.id))
    for rule in RULES:
        if rule.conf_dr < 0.7 and rule.conf_cr < 0.7:
            continue  # a guess is no synonym
        for phrase in rule.any:
            for head_id in {rule.dr, rule.cr} - {None}:
                pairs.add((phrase.strip(), head_id))
    return sorted(pairs)


_SYNONYM_PAIRS = _synonyms()
_SYNONYM_TEXTS = [text for text, _ in _SYNONYM_PAIRS]
_SYNONYM_INDEX: dict[str, list[int]] = {}
_STOPWORDS = frozenset(
    {"of", "and", "the", "to", "in", "for", "on", "from", "with", "at", "by", "a", "an", "other",
     "less"}
)  # fmt: skip
for _i, (_text, _) in enumerate(_SYNONYM_PAIRS):
    for _word in set(_text.split()) - _STOPWORDS:
        _SYNONYM_INDEX.setdefault(_word, []).append(_i)
# Common words of party and firm names: known, so never "corrected" into a ledger word.
_NAME_WORDS = frozenset(
    {
        "trader", "enterprise", "industry", "agency", "brother", "son", "corporation",
        "company", "limited", "private", "shree", "shri", "sri", "om", "sai", "balaji",
        "ganesh", "laxmi", "lakshmi", "krishna", "traders", "mehta", "shah", "patel", "sharma",
        "gupta", "agarwal", "jain", "kumar", "singh", "international", "export", "import",
        "overseas", "global", "india", "indian", "national", "new", "modern", "royal", "star",
        "super", "united", "associate", "marketing",
    }
)  # fmt: skip
_VOCABULARY = sorted(
    {w for text in _SYNONYM_TEXTS for w in text.split() if len(w) >= 4 and w.isalpha()}
)
# Every word the rule table names, guesses and exceptions included, is a real word: never
# "corrected" into another ("Unearned" is not a misspelt "Earned").
_TABLE_WORDS = frozenset(
    w
    for rule in RULES
    for phrase in (*rule.any, *rule.unless, *(p for group in rule.also for p in group))
    for w in phrase.split()
)
_KNOWN_WORDS = (
    frozenset(w for text in _SYNONYM_TEXTS for w in text.split()) | _NAME_WORDS | _TABLE_WORDS
)


def is_known_word(word: str) -> bool:
    """Whether a word (rules' view) is ledger vocabulary: a synonym's word, a stopword or a
    number. A party's or a foreign scheme's name ("Kiwisaver") is not."""
    return word in _SYNONYM_WORDS or word in _STOPWORDS or not word.isalpha() or len(word) < 2


_SYNONYM_WORDS = frozenset(w for text in _SYNONYM_TEXTS for w in text.split())


@lru_cache(maxsize=32768)
def is_rule_word(word: str) -> bool:
    """Whether a word as written (not yet the rules' view: "charges", "int") is one the
    rule table or the heads' wording use, a common word of names, or a stopword."""
    seen = padded_words(word).split()
    return bool(seen) and all(w in _KNOWN_WORDS or w in _STOPWORDS for w in seen)


@lru_cache(maxsize=16384)
def correct_word(word: str) -> tuple[str, float]:
    """The vocabulary word a misspelt word most likely is, with the similarity (0-100)."""
    if word in _KNOWN_WORDS or len(word) < 5 or not word.isalpha():
        return word, 100.0
    cutoff = 88.0 if len(word) <= 6 else 84.0
    match = process.extractOne(word, _VOCABULARY, scorer=fuzz.ratio, score_cutoff=cutoff)
    if match is None or _affixed(word, match[0]):
        return word, 100.0
    return match[0], float(match[1])


# What a known word becomes with a prefix or an agent's ending is another word, not a
# misspelling of it: "unfinished" is not "finished", nor "exporter" "export".
_PREFIXES = ("un", "non", "dis", "in", "im", "re", "pre", "sub")
_ENDINGS = ("er", "ers", "or", "ors")


def _affixed(word: str, known: str) -> bool:
    if word.endswith(known) and word[: -len(known)] in _PREFIXES:
        return True
    return word.startswith(known) and word[len(known) :] in _ENDINGS


def fuzzy_heads(words: str, side: Side) -> list[tuple[str, float]]:
    """Heads whose synonyms resemble the label, best first, with a confidence each."""
    tokens = words.split()
    candidates = sorted({i for t in tokens for i in _SYNONYM_INDEX.get(t, ())})
    if not candidates:
        return []
    query = " ".join(tokens)
    choices = {i: _SYNONYM_TEXTS[i] for i in candidates}
    best: dict[str, float] = {}
    for _, score, index in process.extract(
        query, choices, scorer=fuzz.token_sort_ratio, limit=12, score_cutoff=50
    ):
        head_id = _SYNONYM_PAIRS[index][1]
        # Scaled so that only a near-identical wording reaches the auto-approve band.
        confidence = max(0.0, (score - 50.0) / 50.0) ** 1.6 * 0.82
        if HEADS_BY_ID[head_id].normal != side:
            confidence *= 0.6
        best[head_id] = max(best.get(head_id, 0.0), confidence)
    ranked = sorted(best.items(), key=lambda kv: -kv[1])
    if len(ranked) > 1 and ranked[0][1] - ranked[1][1] < 0.05:
        ranked[0] = (ranked[0][0], ranked[0][1] * 0.85)  # two heads as likely: unsure
    return ranked
