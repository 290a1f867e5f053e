"""Fitting the blend's three weights and its calibration on labelled ledgers the word
model never saw: `fit_blend`. The weights maximise the share ranked right; the
calibration is isotonic (pool adjacent violators) over the winner's logit margin, so the
confidence is monotonic in the margin and equals the observed accuracy per step.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path

from projects.cma.classify.agreement import Inputs, load_agreement
from projects.cma.classify.blend import Blend, Evidence, margin, ranked
from projects.cma.classify.confidence import DEVELOPMENT_SOURCES, Curve, fit_map
from projects.cma.classify.decide import (
    blend_evidence,
    classify,
    raw_suggestion,
    rules_guess,
    use_agreement_fit,
    use_calibration,
    use_second_reader,
)
from projects.cma.classify.model import WordModel
from projects.cma.classify.normalize import normalize_label
from projects.cma.classify.reader import agreement_inputs
from projects.cma.classify.softmax import SoftmaxModel, fit_softmax, load_reader
from projects.cma.classify.training import (
    OWN_SUFFIX,
    Labelled,
    examples,
    fit_model,
    own_rows,
    read_corpus,
)
from projects.cma.records import ExtractedItem

_RULE = (0.0, 2.0, 4.0, 6.0, 8.0)
_GROUP = (0.0, 0.5, 1.0, 2.0, 3.0)
_OUTSIDE = (0.0, 1.0, 2.0, 4.0)
_MIN_STEP = 20  # rows per calibration step at least: fewer is noise


def _inputs(
    model: WordModel, rows: Sequence[Labelled]
) -> list[tuple[list[tuple[str, float]], Evidence, str]]:
    out = []
    for row in rows:
        found = blend_evidence(row.label, row.side, row.group)
        if found is None:
            continue
        normalized, evidence = found
        out.append((model.scores(normalized, row.group, row.side), evidence, row.head))
    return out


def isotonic(pairs: Sequence[tuple[float, bool]]) -> tuple[tuple[float, float], ...]:
    """Steps (lowest raw score, accuracy) of the monotone fit, each of >= _MIN_STEP rows."""
    blocks: list[list[float]] = []  # [low, right, count]
    for raw, ok in sorted(pairs):
        blocks.append([raw, float(ok), 1.0])
        while len(blocks) > 1 and (
            blocks[-2][1] / blocks[-2][2] >= blocks[-1][1] / blocks[-1][2]
            or (blocks[-1][2] < _MIN_STEP and blocks[-2][2] < _MIN_STEP)
        ):
            _low, right, count = blocks.pop()
            blocks[-1][1] += right
            blocks[-1][2] += count
    steps = [(0.0 if i == 0 else b[0], b[1] / b[2]) for i, b in enumerate(blocks)]
    return tuple(steps)


def fit_blend(model: WordModel, rows: Sequence[Labelled]) -> Blend:
    """The weights ranking most rows right, then the calibration of their raw shares."""
    inputs = _inputs(model, rows)
    best: tuple[int, float, Blend] | None = None
    for rule, group, outside in itertools.product(_RULE, _GROUP, _OUTSIDE):
        blend = Blend(rule, group, outside)
        right = 0
        sure_right = 0.0
        for scores, evidence, truth in inputs:
            order = ranked(blend, scores, evidence)
            if order[0][0] == truth:
                right += 1
                sure_right += min(margin(order), 10.0)
        key = (right, sure_right, blend)
        if best is None or key[:2] > best[:2]:
            best = key
    assert best is not None
    chosen = best[2]
    pairs = []
    for scores, evidence, truth in inputs:
        order = ranked(chosen, scores, evidence)
        pairs.append((margin(order), order[0][0] == truth))
    return Blend(chosen.rule, chosen.group, chosen.outside, isotonic(pairs))


def train(corpus: Path | None, *, active: bool = False) -> dict:
    """The whole model file: the word model from the project's own examples, and (with a
    corpus) the blend fitted on it; `active` lets classify use it. Deterministic."""
    tree = fit_model(examples())
    tree["active"] = active
    if corpus is not None:
        model = WordModel.from_json(tree)
        rows = [row for source in sorted(read_corpus(corpus).items()) for row in source[1]]
        tree["blend"] = fit_blend(model, rows).to_json()
    return tree


def confidence_rows(
    rows_by_source: dict[str, list[Labelled]],
) -> list[tuple[str, float, bool, str]]:
    """(mechanism, raw confidence, right?, source) of every labelled ledger, its group
    passed as the section, as a trial balance's ledger would be classified."""
    out = []
    for source, rows in sorted(rows_by_source.items()):
        for row in rows:
            normalized = normalize_label(row.label)
            suggestion, mechanism = raw_suggestion(
                normalized, row.side, False, "trial_balance", row.group
            )
            out.append((mechanism, suggestion.confidence, suggestion.head == row.head, source))
    return out


def fit_confidence(
    corpus: Path, sources: Sequence[str] = DEVELOPMENT_SOURCES
) -> tuple[dict[str, Curve], list[str]]:
    """The confidence map fitted on these corpus sources only (the development split by
    default), and the sources actually read."""
    by_source = {s: rows for s, rows in read_corpus(corpus).items() if s in sources}
    return fit_map(confidence_rows(by_source)), sorted(by_source)


def agreement_rows(
    corpus: Path, sources: Sequence[str] = DEVELOPMENT_SOURCES
) -> list[tuple[Inputs, bool, str]]:
    """(what agreement.py reads, right?, source) of every scored ledger of these sources,
    once with its group as the section and once without, each source classified as it
    would be if it were a firm nobody had seen: by a confidence map fitted on the other
    sources and a second reader trained without it (held out, as the fit must be).
    Leaves the shipped map, reader and fit in use."""
    by_source = {s: rows for s, rows in read_corpus(corpus).items() if s in sources}
    readers: dict[str, SoftmaxModel] = {}
    out: list[tuple[Inputs, bool, str]] = []
    use_agreement_fit(None)
    try:
        for source, rows in sorted(by_source.items()):
            others = {s: r for s, r in by_source.items() if s != source}
            use_calibration(fit_map(confidence_rows(others)))
            # Only the project's own lists train the reader: another source is unseen.
            key = source if source.endswith(OWN_SUFFIX) else ""
            if key not in readers:
                own = own_rows(corpus, among=sources, leave_out=(key,))
                readers[key] = SoftmaxModel.from_json(fit_softmax(examples() + own))
            use_second_reader(readers[key])
            for row in rows:
                normalized = normalize_label(row.label)
                for section in dict.fromkeys((row.group, "")):
                    item = ExtractedItem("", row.label, Decimal(1), row.side, source, section)
                    suggestion = classify(item)
                    guess = rules_guess(normalized, row.side, section)
                    inputs = agreement_inputs(
                        suggestion, normalized, row.side, section, guess=guess
                    )
                    if inputs is not None:
                        out.append((inputs, suggestion.head == row.head, source))
    finally:
        use_calibration(None)
        use_second_reader(load_reader())
        use_agreement_fit(load_agreement())
    return out
