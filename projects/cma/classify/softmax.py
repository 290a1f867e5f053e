"""A multinomial logistic regression over the word model's features (features.py): the
second reader of the rule table's decisions (reader.py).

Trained in pure Python by AdaGrad over the rows in a seeded order, so the same rows give
the same file byte for byte; stored as one scale and 127 signed steps a class per
feature, scored by adding each known feature's row of weights. Chosen over the naive
Bayes of model.py because it weighs words against each other instead of counting them:
on three Indian ledger lists held out of its training it named the right head for
78.9-88.5 % of the ledgers, against 72.8-83.7 % for the naive Bayes and 77.3-86.1 % for
the rule table (bench/RESULTS.md).
"""

from __future__ import annotations

import base64
import json
import math
import random
import statistics
from array import array
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from operator import add
from pathlib import Path

from projects.cma.classify.features import features

READER_PATH = Path(__file__).with_name("reader.json")

EPOCHS = 4
RATE = 0.5  # AdaGrad's step
L2 = 1e-5
MIN_COUNT = 2  # a feature of one training row teaches nothing another firm's books share
SEED = 13


@dataclass(frozen=True, slots=True)
class SoftmaxModel:
    classes: tuple[str, ...]
    bias: tuple[float, ...]
    # feature -> its weight for every class, in the classes' order (4 bytes each: ~1.4 MB
    # in all, where a tuple per weight took ~30 MB)
    weights: dict[str, array]

    @classmethod
    def from_json(cls, tree: dict) -> SoftmaxModel:
        weights = {}
        for feature, (scale, packed) in tree["weights"].items():
            steps = array("b", base64.b64decode(packed))
            weights[feature] = array("f", (q * scale for q in steps))
        return cls(classes=tuple(tree["classes"]), bias=tuple(tree["bias"]), weights=weights)

    def logits(self, label: str, section: str, side: str) -> list[float]:
        """Every class's logit, in the classes' order: what a decision that needs only the
        likeliest head, or one head's odds, reads without the softmax and a sort."""
        logits: list[float] = list(self.bias)
        weights = self.weights
        for feature in features(label, section, side):
            row = weights.get(feature)
            if row is not None:
                logits = list(map(add, logits, row))  # in C: a Python loop costs 20x
        return logits

    def scores(self, label: str, section: str, side: str) -> list[tuple[str, float]]:
        """(head, probability) for every head, likeliest first."""
        probabilities = probabilities_of(self.logits(label, section, side))
        return sorted(zip(self.classes, probabilities, strict=True), key=lambda pair: -pair[1])


def fit_softmax(
    rows: Iterable[tuple[str, str, str, str]],
    *,
    epochs: int = EPOCHS,
    rate: float = RATE,
    l2: float = L2,
    min_count: int = MIN_COUNT,
) -> dict:
    """The model as a JSON tree from (label, group, side, head) rows. Deterministic."""
    data = [(features(label, group, side), head) for label, group, side, head in rows]
    seen = Counter(f for fs, _ in data for f in fs)
    data = [(tuple(f for f in fs if seen[f] >= min_count), head) for fs, head in data]
    classes = sorted({head for _, head in data})
    index = {c: i for i, c in enumerate(classes)}
    encoded = [(fs, index[head]) for fs, head in data]
    k = len(classes)
    bias = [0.0] * k
    bias_g = [1e-8] * k
    weights: dict[str, list[float]] = {}
    squares: dict[str, list[float]] = {}
    order = list(range(len(encoded)))
    rng = random.Random(SEED)
    for _ in range(epochs):
        rng.shuffle(order)
        for at in order:
            fs, truth = encoded[at]
            grad = _gradient(bias, weights, fs, truth)
            for c in range(k):
                g = grad[c]
                bias_g[c] += g * g
                bias[c] -= rate * g / math.sqrt(bias_g[c])
            for feature in fs:
                w = weights.get(feature)
                if w is None:
                    w = weights[feature] = [0.0] * k
                    squares[feature] = [1e-8] * k
                s = squares[feature]
                for c in range(k):
                    g = grad[c] + l2 * w[c]
                    s[c] += g * g
                    w[c] -= rate * g / math.sqrt(s[c])
    return {
        "kind": "softmax",
        "classes": classes,
        "bias": [round(b, 4) for b in bias],
        "weights": {f: _packed(w) for f, w in sorted(weights.items())},
        "trained": {
            "rows": len(encoded),
            "epochs": epochs,
            "rate": rate,
            "l2": l2,
            "min_count": min_count,
        },
    }


def _packed(w: Sequence[float]) -> list:
    """One feature's weights as [scale, base64 of signed bytes]: centred on their median
    first (a constant added to every class's logit changes no probability), which keeps
    the steps small; 127 steps of `scale` each side."""
    centre = statistics.median(w)
    centred = [v - centre for v in w]
    scale = max(abs(v) for v in centred) / 127 or 1.0
    steps = array("b", (round(v / scale) for v in centred))
    return [float(f"{scale:.6g}"), base64.b64encode(steps.tobytes()).decode("ascii")]


def _gradient(
    bias: Sequence[float], weights: dict[str, list[float]], fs: Sequence[str], truth: int
) -> list[float]:
    """The log loss's gradient per class for one row: probability minus truth."""
    logits = list(bias)
    for feature in fs:
        w = weights.get(feature)
        if w is not None:
            for c, v in enumerate(w):
                logits[c] += v
    grad = probabilities_of(logits)
    grad[truth] -= 1.0
    return grad


def probabilities_of(logits: Sequence[float]) -> list[float]:
    """The softmax of the logits, computed stably."""
    top = max(logits)
    exps = [math.exp(v - top) for v in logits]
    total = sum(exps)
    return [e / total for e in exps]


@lru_cache(maxsize=4)
def load_reader(path: Path = READER_PATH) -> SoftmaxModel | None:
    """The shipped second reader, or None when its file is missing (the rules decide)."""
    if not path.is_file():
        return None
    return SoftmaxModel.from_json(json.loads(path.read_text(encoding="utf-8")))
