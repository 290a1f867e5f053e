"""Honest confidence: the rule table's raw confidence, per mechanism, mapped to the
observed chance of being right (`calibrated`), and the fit of that map (`fit_map`).

The raw numbers are written by hand in the rule and section tables; how often each kind
of decision is right depends on the kind (a rule the group agrees with, a group that
replaced the name's head, a section-only guess), so each mechanism gets its own monotone
map from raw confidence to accuracy. The map is fitted by `manage.py train_classifier
--confidence` on the development sources only (calibration.json, a few dozen numbers):
isotonic (pool adjacent violators) with blocks of at least `MIN_BLOCK` rows, each block's
accuracy shrunk towards its own raw confidence by `PRIOR` pseudo-rows, so a mechanism seen
a handful of times keeps about what the tables say. Between block centres the map is
linear, so distinct raw confidences stay distinct. Applied once per distinct label (the
machine's cache), it costs nothing per item.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from projects.cma.records import Suggestion

CALIBRATION_PATH = Path(__file__).with_name("calibration.json")

# What decided a suggestion (decide.raw_suggestion), in the order a CA would trust them.
MECHANISMS = {
    "rule": "the rule table, the group silent or allowing it",
    "rule_group": "the rule table, the group naming the same head",
    "rule_weak": "a rule that itself says it is a guess (below the review line), the group silent",
    "spelling": "the rule table after a spelling correction",
    "conflict": "a rule the group rules out",
    "override": "the group replacing what the name seemed to say",
    "owed": "an income or expense under a group of dues or prepayments: owed or paid ahead",
    "owed_current": "an income or expense under a current group that names no dues",
    "fuzzy": "the whole label compared with each head's wording",
    "group": "the group alone",
    "none": "nothing",
}
# The default review line: a rule whose own confidence is below it is a guess by its
# author's word, and no calibration lifts a raw confidence below it over it.
GUESS_BELOW = 0.70
BELOW_LINE = 0.69
MIN_BLOCK = 10  # rows per isotonic block at least: fewer is noise
MIN_SOURCES = 2  # sources that must agree before a block rises above its raw confidence
MIN_SOURCE_ROWS = 3  # rows of a source in a block for it to count as agreeing
PRIOR = 10.0  # pseudo-rows at the block's raw confidence: a small block moves little

# The development split (bench/corpus/PROVENANCE.md): the only sources the map is fitted
# on. The erpnext_in + odoo_l10n_in family is the held-out test and is never fitted.
DEVELOPMENT_SOURCES = (
    "bigcapital",
    "django_ledger",
    "gnucash_en_in",
    "gnukhata",
    "idempiere_us",
    "ledgersmb",
    "tally_sme_authored",
    "tally_teaching_pn",
    "weberp",
    "india_midsize_authored",
    "india_apps_authored",
    "india_regional_authored",
    "india_cluster_authored",
    "india_agri_services_authored",
    "india_trade_services_authored",
    "india_erp_exports_authored",
    "india_printed_statements_authored",
    "india_scanned_books_authored",
    "india_indas_companies_authored",
    "public_erp_charts",
)


@dataclass(frozen=True, slots=True)
class Curve:
    """One mechanism's map: (block centre, probability right) points, ascending, over the
    raw confidences the fit saw (`low`..`high`); outside them the raw number stands."""

    low: float
    high: float
    points: tuple[tuple[float, float], ...]

    def __call__(self, raw: float) -> float:
        """Linear between block centres; from the outermost centres to the range's edges
        the level is shifted and the tables' order kept; outside the range the raw
        number stands, kept monotone with the edges."""
        points = self.points
        if raw < self.low:
            return min(raw, self(self.low))
        if raw > self.high:
            return max(raw, self(self.high))
        at = 0  # a curve has a few points: a scan beats building a list to bisect
        while at < len(points) and points[at][0] <= raw:
            at += 1
        if at in (0, len(points)):
            x, y = points[0] if at == 0 else points[-1]
            return y + raw - x
        (x0, y0), (x1, y1) = points[at - 1], points[at]
        return y0 + (y1 - y0) * (raw - x0) / (x1 - x0)

    def to_json(self) -> dict:
        return {"range": [self.low, self.high], "points": [list(p) for p in self.points]}

    @classmethod
    def from_json(cls, tree: Mapping) -> Curve:
        low, high = tree["range"]
        return cls(low, high, tuple((a, b) for a, b in tree["points"]))


def _merge(into: list, other: list) -> None:
    into[0] += other[0]
    into[1] += other[1]
    into[2] += other[2]
    for source, (right, count) in other[3].items():
        had = into[3].get(source, (0.0, 0.0))
        into[3][source] = (had[0] + right, had[1] + count)


def _pool(blocks: list[list], *, min_block: float = 0) -> list[list]:
    """Pool adjacent violators over [raw sum, value sum, weight, rows by source] blocks
    (value = value sum / weight), then fold each block lighter than `min_block` into a
    neighbour (the lighter one) and pool again, until every block is heavy enough."""
    out: list[list] = []
    for block in blocks:
        out.append([block[0], block[1], block[2], dict(block[3])])
        while len(out) > 1 and out[-2][1] / out[-2][2] >= out[-1][1] / out[-1][2]:
            _merge(out[-2], out.pop())
    light = next((i for i, b in enumerate(out) if b[2] < min_block), None)
    if light is None or len(out) == 1:
        return out
    if light == 0:
        neighbour = 1
    elif light == len(out) - 1:
        neighbour = light - 1
    else:
        neighbour = light - 1 if out[light - 1][2] <= out[light + 1][2] else light + 1
    low, high = sorted((light, neighbour))
    _merge(out[low], out.pop(high))
    return _pool(out, min_block=min_block)


def _shrunk(right: float, count: float, centre: float, prior: float) -> float:
    return (right + prior * centre) / (count + prior)


def fit_curve(rows: Iterable[tuple[float, bool, str]], *, prior: float = PRIOR) -> Curve:
    """The monotone map of one mechanism from (raw confidence, right?, source) rows.

    A block may fall below its raw confidence on any evidence, but rise above it only as
    far as every source with `MIN_SOURCE_ROWS` rows in it allows, and only when there are
    `MIN_SOURCES` such sources: one chart's habits (its fine-grained groups) do not make
    a mechanism surer on another firm's books, and an approval that should have been a
    review costs more than a review that was not needed."""
    ordered = sorted(rows)
    # One starting block per distinct raw confidence: rows the tables rate the same are
    # never told apart by their outcome.
    ties: list[list] = []
    last: float | None = None
    for raw, ok, source in ordered:
        if raw != last:
            ties.append([0.0, 0.0, 0.0, {}])
            last = raw
        _merge(ties[-1], [raw, float(ok), 1.0, {source: (float(ok), 1.0)}])
    blocks = _pool(ties, min_block=MIN_BLOCK)
    shrunk = []
    for raw_sum, right, count, sources in blocks:
        centre = raw_sum / count
        value = _shrunk(right, count, centre, prior)
        if value > centre:
            enough = [(r, n) for r, n in sources.values() if n >= MIN_SOURCE_ROWS]
            if len(enough) < MIN_SOURCES:
                value = centre
            else:
                value = min(value, *(_shrunk(r, n, centre, prior) for r, n in enough))
        weight = count + prior
        shrunk.append([centre * weight, value * weight, weight, {}])
    # The limits above can undo the order of two blocks: pool again.
    points = tuple((round(r / w, 4), round(v / w, 4)) for r, v, w, _ in _pool(shrunk))
    return Curve(ordered[0][0], ordered[-1][0], points)


def fit_map(
    rows: Iterable[tuple[str, float, bool, str]], *, prior: float = PRIOR
) -> dict[str, Curve]:
    """One curve per mechanism from (mechanism, raw confidence, right?, source) rows."""
    by_mechanism: dict[str, list[tuple[float, bool, str]]] = {}
    for mechanism, raw, ok, source in rows:
        if mechanism != "none":
            by_mechanism.setdefault(mechanism, []).append((raw, ok, source))
    return {m: fit_curve(r, prior=prior) for m, r in sorted(by_mechanism.items())}


def to_json(curves: Mapping[str, Curve], sources: Sequence[str]) -> dict:
    return {
        "fitted_on": sorted(sources),
        "min_block": MIN_BLOCK,
        "prior": PRIOR,
        "curves": {m: curve.to_json() for m, curve in sorted(curves.items())},
    }


def from_json(tree: Mapping | None) -> dict[str, Curve]:
    if not tree:
        return {}
    return {m: Curve.from_json(curve) for m, curve in tree["curves"].items()}


@lru_cache(maxsize=1)
def _shipped() -> dict[str, Curve]:
    if not CALIBRATION_PATH.exists():
        return {}
    return from_json(json.loads(CALIBRATION_PATH.read_text(encoding="utf-8")))


_OVERRIDE: dict[str, dict[str, Curve] | None] = {}


def use_curves(curves: Mapping[str, Curve] | None) -> None:
    """Calibrate with these curves from now on ({}: raw; None: the shipped file). The
    bench's held-out folds use it; the machine's cache must be cleared by the caller."""
    if curves is None:
        _OVERRIDE.clear()
    else:
        _OVERRIDE["curves"] = dict(curves)


def active_curves() -> dict[str, Curve]:
    if "curves" in _OVERRIDE:
        return _OVERRIDE["curves"] or {}
    return _shipped()


def calibrated(suggestion: Suggestion, mechanism: str) -> Suggestion:
    """The suggestion with its confidence mapped to the chance of being right; the
    alternatives keep their order and share what the new confidence leaves."""
    curve = active_curves().get(mechanism)
    if suggestion.head is None or curve is None:
        return suggestion
    raw = suggestion.confidence
    confidence = min(max(curve(raw), 0.01), 0.99)
    if raw < GUESS_BELOW:
        # Below the review line the tables mark a guess for a CA ("Xyz Payable", a stock
        # that does not name its kind): its mechanism's average does not lift it over.
        confidence = min(confidence, BELOW_LINE)
    confidence = round(confidence, 4)
    if confidence == raw:
        return suggestion
    scale = (1 - confidence) / (1 - raw) if raw < 1 else 0.0
    alternatives = tuple(
        (h, max(round(min(c * scale, confidence - 0.001), 4), 0.0001))
        for h, c in suggestion.alternatives
    )
    # Built directly: dataclasses.replace costs more than the rest of this per label.
    return Suggestion(
        suggestion.head, confidence, suggestion.method, alternatives, suggestion.evidence
    )
