"""What the word model reads of a ledger: its words, word pairs and word stems, the
words of the group it sits under (nearest group first), and its side.
"""

from __future__ import annotations

import re
from functools import lru_cache
from itertools import pairwise

from projects.cma.classify.normalize import rule_words

# A section path's parts: "Sundry Creditors / Current Liabilities", "A > B".
_PARTS = re.compile(r"\s*[/>|\u00bb\\]\s*")
_STEM = 5  # characters of a long word kept as its stem: misspellings share them


@lru_cache(maxsize=4096)
def group_features(section: str) -> tuple[str, ...]:
    """The nearest group's words and pairs ("g:"), and the next group's words ("h:")."""
    if not section:
        return ("g:",)
    parts = [p for p in _PARTS.split(section) if p.strip()]
    out: list[str] = []
    if parts:
        words = rule_words(parts[0])
        out += [f"g:{w}" for w in words]
        out += [f"gb:{a}_{b}" for a, b in pairwise(words)]
    if len(parts) > 1:
        out += [f"h:{w}" for w in rule_words(parts[1])]
    return tuple(dict.fromkeys(out)) or ("g:",)


def label_features(label: str) -> tuple[str, ...]:
    words = [w for w in rule_words(label) if not w.isdigit()]
    out = [f"w:{w}" for w in words]
    out += [f"b:{a}_{b}" for a, b in pairwise(words)]
    out += [f"p:{w[:_STEM]}" for w in words if len(w) > _STEM]
    return tuple(dict.fromkeys(out))


def features(label: str, section: str, side: str) -> tuple[str, ...]:
    """Every feature of one ledger, each once, in a fixed order."""
    return (*label_features(label), *group_features(section), f"s:{side}")
