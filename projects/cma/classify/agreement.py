"""The last word on confidence: how far the second reader agrees with the rule table.

The rule table's confidence, calibrated per mechanism (confidence.py), says how often a
kind of decision is right; the second reader (reader.py) says, for this ledger, what a
model trained on other firms' ledgers makes of it. Two readings that agree are right more
often than either alone says, and a head the reader all but rules out is wrong more often
than its rule's record. A logistic fit over both (`Agreement`, agreement.json), on
predictions held out by source (each development source classified by a map and a reader
fitted without it: `calibrate.agreement_rows`), turns them into one probability of being
right, within what the rules decided (`guarded`). Measured held out by source on the
development split (bench/RESULTS.md, MODEL.md): right among the approved 98.4 -> 98.6 %,
sent to review 12.4 -> 11.9 %, expected calibration error 0.075 -> 0.048.

Only what the rule table or the reader decided is re-weighed: a CA's earlier decision, a
statement's caption and closing stock keep their own confidence.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from projects.cma.classify.confidence import BELOW_LINE, GUESS_BELOW

AGREEMENT_PATH = Path(__file__).with_name("agreement.json")

# The methods whose confidence is re-weighed; "synonym" is the baseline of the one-hots.
METHODS = ("synonym", "fuzzy", "section", "model")
FEATURES = (
    "bias",
    "log-odds of the calibrated confidence",
    "log-odds of the reader's probability of the head",
    "the reader's first head is this one",
    "log-odds of that first head's probability, when it is this one",
    "log-odds of that first head's probability, when it is another",
    "the ledger sat under a group",
    "the group names this head",
    "method fuzzy",
    "method section",
    "log-odds of the calibrated confidence, method section",
    "method model",
)
# No feature per head: how often a head is right on the ledger lists this project was
# measured on is partly their conventions ("Opening Stock" of a trader), which a firm's
# books, and the shared samples' answer key, need not share.
L2 = 1.0  # in rows' worth of log loss (~9,000 rows): it only steadies rare mixes
NEWTON_STEPS = 25
# How often what the fit leaves at or above the review line (GUESS_BELOW, a run's default)
# should be right: the odds are scaled down until the fit's own probabilities of the rows
# it would approve average TARGET (`fit_agreement`). Those are the rows it was fitted on,
# where it reads a little better than on a firm it has not seen.
TARGET = 0.975
_EDGE = 1e-3  # probabilities are clipped to [_EDGE, 1 - _EDGE] before their log-odds


@dataclass(frozen=True, slots=True)
class Inputs:
    """What the combined confidence reads of one suggestion."""

    confidence: float  # the rule table's, calibrated (after a veto or a lift)
    guess: bool  # the tables' own confidence was below the review line (not a feature)
    method: str
    grouped: bool
    group_names: bool  # the group itself names this head ("Duties & Taxes")
    reader_p: float  # the reader's probability of the suggested head
    agrees: bool  # the reader's first head the balance's side allows is the suggested one
    top_p: float  # the probability of that first head

    def sparse(self) -> list[tuple[int, float]]:
        """The features that are not zero, as (place in FEATURES, value)."""
        confidence = _log_odds(self.confidence)
        top = _log_odds(self.top_p)
        section = self.method == "section"
        out = [
            (0, 1.0),
            (1, confidence),
            (2, _log_odds(self.reader_p)),
            (3, 1.0 if self.agrees else 0.0),
            (4, top if self.agrees else 0.0),
            (5, 0.0 if self.agrees else top),
            (6, 1.0 if self.grouped else 0.0),
            (7, 1.0 if self.group_names else 0.0),
            (8, 1.0 if self.method == "fuzzy" else 0.0),
            (9, 1.0 if section else 0.0),
            (10, confidence if section else 0.0),
            (11, 1.0 if self.method == "model" else 0.0),
        ]
        return [(at, value) for at, value in out if value]


@dataclass(frozen=True, slots=True)
class Agreement:
    weights: tuple[float, ...]
    shift: float  # added to the log-odds: see TARGET

    def __call__(self, inputs: Inputs) -> float:
        return guarded(inputs, _sigmoid(self.log_odds(inputs) + self.shift))

    def log_odds(self, inputs: Inputs) -> float:
        """The fit's own log-odds of being right, before the shift."""
        weights = self.weights
        return sum(weights[at] * value for at, value in inputs.sparse())

    @classmethod
    def from_json(cls, tree: dict) -> Agreement:
        by_name = dict(zip(tree["features"], tree["weights"], strict=True))
        return cls(tuple(by_name.get(name, 0.0) for name in FEATURES), tree["shift"])


def guarded(inputs: Inputs, fitted: float) -> float:
    """The fitted confidence within what the rules decided. A suggestion their tables
    call a guess stays below the review line: a doubt they state ("Income received in
    advance": a CA's call between two heads) or a group alone is for a CA, however often
    the ledger lists this project was measured on settle it one way (they share
    conventions a firm may not). A head its group names keeps at least the rules'
    confidence: the label and the group already agree, and the reader weighs a group as a
    few words."""
    if inputs.guess:
        return min(fitted, BELOW_LINE)
    if inputs.group_names:
        return max(fitted, inputs.confidence)
    return fitted


def fit_agreement(rows: Sequence[tuple[Inputs, bool]], *, l2: float = L2) -> dict:
    """The weights, by Newton's method on the L2-penalised log loss (convex: the same rows
    give the same file), then the shift that brings the fit's mean probability over the
    rows it would approve (at or above GUESS_BELOW after the shift, `guarded`) to TARGET; as
    agreement.json's tree."""
    xs = [inputs.sparse() for inputs, _ in rows]
    ys = [1.0 if right else 0.0 for _, right in rows]
    d = len(FEATURES)
    w = [0.0] * d
    for _ in range(NEWTON_STEPS):
        gradient = [l2 * wi for wi in w]
        hessian = [[l2 if i == j else 0.0 for j in range(d)] for i in range(d)]
        for x, y in zip(xs, ys, strict=True):
            p = _sigmoid(sum(w[at] * value for at, value in x))
            residual, curvature = p - y, p * (1.0 - p)
            for i, vi in x:
                gradient[i] += residual * vi
                row, cv = hessian[i], curvature * vi
                for j, vj in x:
                    row[j] += cv * vj
        step = _solve(hessian, gradient)
        w = [wi - si for wi, si in zip(w, step, strict=True)]
        if max(abs(s) for s in step) < 1e-9:
            break
    log_odds = [sum(w[at] * value for at, value in x) for x in xs]
    return {
        "kind": "agreement",
        "features": list(FEATURES),
        "weights": [round(wi, 6) for wi in w],
        "shift": _shift([inputs for inputs, _ in rows], log_odds),
        "review_line": GUESS_BELOW,
        "target": TARGET,
        "trained": {"rows": len(rows), "l2": l2},
    }


def _shift(rows: Sequence[Inputs], log_odds: Sequence[float]) -> float:
    """The smallest downward shift, in steps of 0.05, after which the rows left at or
    above the review line (`guarded`) have a mean fitted probability of TARGET or more."""
    for step in range(0, 101):
        shift = -0.05 * step
        above = [
            _sigmoid(z)
            for inputs, z in zip(rows, log_odds, strict=True)
            if guarded(inputs, _sigmoid(z + shift)) >= GUESS_BELOW
        ]
        if not above or sum(above) / len(above) >= TARGET:
            return round(shift, 2)
    return -5.0


def _solve(a: list[list[float]], b: list[float]) -> list[float]:
    """x with a x = b, by Gaussian elimination with partial pivoting (a is symmetric
    positive definite here: the penalty sees to it)."""
    n = len(b)
    m = [[*row, bi] for row, bi in zip(a, b, strict=True)]
    for col in range(n):
        pivot = max(range(col, n), key=lambda r: abs(m[r][col]))
        m[col], m[pivot] = m[pivot], m[col]
        for r in range(col + 1, n):
            factor = m[r][col] / m[col][col]
            if factor:
                m[r] = [vr - factor * vc for vr, vc in zip(m[r], m[col], strict=True)]
    x = [0.0] * n
    for r in range(n - 1, -1, -1):
        x[r] = (m[r][n] - sum(m[r][c] * x[c] for c in range(r + 1, n))) / m[r][r]
    return x


def _log_odds(p: float) -> float:
    p = min(max(p, _EDGE), 1.0 - _EDGE)
    return math.log(p / (1.0 - p))


def _sigmoid(z: float) -> float:
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)
    return e / (1.0 + e)


@lru_cache(maxsize=4)
def load_agreement(path: Path = AGREEMENT_PATH) -> Agreement | None:
    """The shipped fit, or None when its file is missing (the calibrated confidence
    stands)."""
    if not path.is_file():
        return None
    return Agreement.from_json(json.loads(path.read_text(encoding="utf-8")))


# The fit in use; `use_agreement` swaps it (the bench's held-out folds, the fit, tests).
_IN_USE: dict[str, Agreement | None] = {}


def use_agreement(agreement: Agreement | None) -> None:
    """Re-weigh with this fit from now on (None: the calibrated confidence stands)."""
    _IN_USE["fit"] = agreement


def agreement_in_use() -> Agreement | None:
    if "fit" not in _IN_USE:
        _IN_USE["fit"] = load_agreement()
    return _IN_USE["fit"]
