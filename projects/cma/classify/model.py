"""The word model shipped with the classifier (model.json, trained by
`manage.py train_classifier`), and its scoring: a probability per head for a ledger's
words, group and side. Pure Python: a few dictionary look-ups per feature.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from projects.cma.classify.features import features

MODEL_PATH = Path(__file__).with_name("model.json")


@dataclass(frozen=True, slots=True)
class WordModel:
    classes: tuple[str, ...]
    base: tuple[float, ...]  # log prior per class
    default: tuple[float, ...]  # log probability of a feature never seen with the class
    lifts: dict[str, tuple[tuple[int, float], ...]]  # feature -> (class index, lift)

    @classmethod
    def from_json(cls, tree: dict) -> WordModel:
        classes = tuple(tree["classes"])
        index = {c: i for i, c in enumerate(classes)}
        return cls(
            classes=classes,
            base=tuple(tree["prior"][c] for c in classes),
            default=tuple(tree["default"][c] for c in classes),
            lifts={
                f: tuple((index[c], v) for c, v in per.items()) for f, per in tree["lifts"].items()
            },
        )

    def scores(self, label: str, section: str, side: str) -> list[tuple[str, float]]:
        """(head, probability) for every head, likeliest first; known features only."""
        known = [self.lifts[f] for f in features(label, section, side) if f in self.lifts]
        count = len(known)
        logits = [b + count * d for b, d in zip(self.base, self.default, strict=True)]
        for per in known:
            for i, lift in per:
                logits[i] += lift
        top = max(logits)
        weights = [math.exp(v - top) for v in logits]
        total = sum(weights)
        ranked = sorted(
            ((c, w / total) for c, w in zip(self.classes, weights, strict=True)),
            key=lambda pair: -pair[1],
        )
        return ranked

    def evidence_words(self, label: str, head_id: str, limit: int = 3) -> list[str]:
        """The label's words that speak most for `head_id` (for the CA to read)."""
        if head_id not in self.classes:
            return []
        target = self.classes.index(head_id)
        scored = []
        for f in features(label, "", "Dr"):
            if not f.startswith("w:") or f not in self.lifts:
                continue
            lift = dict(self.lifts[f]).get(target)
            if lift is not None and lift > 2.0:
                scored.append((-lift, f[2:]))
        return [w for _, w in sorted(scored)[:limit]]


@lru_cache(maxsize=4)
def load_tree(path: Path = MODEL_PATH) -> dict | None:
    """The shipped model file as read, or None when it is missing (the rules then decide)."""
    if not path.is_file():
        return None
    return json.loads(path.read_text(encoding="utf-8"))


@lru_cache(maxsize=4)
def load_model(path: Path = MODEL_PATH) -> WordModel | None:
    tree = load_tree(path)
    return WordModel.from_json(tree) if tree is not None else None
