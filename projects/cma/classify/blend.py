"""The final decision: the rule table's answer, the word model's probabilities and the
group the ledger sits under, blended into one ranking, then a calibrated confidence and
the evidence a CA reads.

Each candidate head scores log P(head | words, group, side) from the word model, plus
`rule` times the rule's own confidence if the rule table chose it, plus `group` if the
item's group names it, minus `outside` if the group rules it out. The raw confidence is
the winner's logit margin over the runner-up; `calibration` (isotonic, fitted on
sources held out from the model) turns it into the probability of being right.
"""

from __future__ import annotations

import bisect
import math
from dataclasses import dataclass

from projects.cma.classify.model import WordModel
from projects.cma.classify.sections import Section
from projects.cma.heads import HEADS_BY_ID
from projects.cma.records import Side, Suggestion


@dataclass(frozen=True, slots=True)
class Blend:
    rule: float = 4.0
    group: float = 1.0
    outside: float = 2.0
    # Isotonic steps: (lowest raw confidence of the step, probability right), ascending.
    calibration: tuple[tuple[float, float], ...] = ()

    @classmethod
    def from_json(cls, tree: dict | None) -> Blend:
        if not tree:
            return cls()
        return cls(
            rule=tree["rule"],
            group=tree["group"],
            outside=tree["outside"],
            calibration=tuple((a, b) for a, b in tree["calibration"]),
        )

    def to_json(self) -> dict:
        return {
            "rule": self.rule,
            "group": self.group,
            "outside": self.outside,
            "calibration": [[round(a, 4), round(b, 4)] for a, b in self.calibration],
        }

    def calibrate(self, raw: float) -> float:
        """The probability of being right for a raw confidence (identity if uncalibrated)."""
        if not self.calibration:
            return raw
        lows = [low for low, _ in self.calibration]
        position = bisect.bisect_right(lows, raw) - 1
        return self.calibration[max(position, 0)][1]


@dataclass(frozen=True, slots=True)
class Evidence:
    """What the blend needs of one item besides its label."""

    rule_head: str | None
    rule_confidence: float
    section: Section | None
    side: Side


def ranked(
    blend: Blend, model_scores: list[tuple[str, float]], evidence: Evidence
) -> list[tuple[str, float]]:
    """Candidate heads with their logit, best first (rule, group and model top 6)."""
    section = evidence.section
    section_head = None
    if section is not None:
        section_head = section.dr if evidence.side == "Dr" else section.cr
    probabilities = dict(model_scores)
    candidates = [h for h, _ in model_scores[:6]]
    for extra in (evidence.rule_head, section_head):
        if extra and extra not in candidates and extra in HEADS_BY_ID:
            candidates.append(extra)
    logits = []
    for head_id in candidates:
        value = math.log(max(probabilities.get(head_id, 0.0), 1e-9))
        if head_id == evidence.rule_head:
            value += blend.rule * evidence.rule_confidence
        if head_id == section_head:
            value += blend.group
        if section is not None and head_id not in section.allowed:
            value -= blend.outside
        logits.append(value)
    return sorted(zip(candidates, logits, strict=True), key=lambda pair: -pair[1])


def margin(order: list[tuple[str, float]]) -> float:
    """The raw confidence: how far the winner's logit stands above the runner-up's."""
    if len(order) < 2:
        return 50.0
    return min(order[0][1] - order[1][1], 50.0)


def _side_words(side: Side) -> str:
    return "a debit balance" if side == "Dr" else "a credit balance"


def decide(
    blend: Blend,
    model: WordModel,
    label: str,
    section_text: str,
    machine: Suggestion,
    evidence: Evidence,
) -> Suggestion:
    """The blended suggestion: head, calibrated confidence, runners-up and evidence."""
    scores = model.scores(label, section_text, evidence.side)
    order = ranked(blend, scores, evidence)
    head_id = order[0][0]
    confidence = round(blend.calibrate(margin(order)), 4)
    # The runners-up share what the winner leaves, in proportion to their softmax weight.
    weights = [math.exp(logit - order[0][1]) for _, logit in order[1:4]]
    total = sum(weights) or 1.0
    alternatives = tuple(
        (h, max(round((1 - confidence) * w / total, 4), 0.0001))
        for (h, _), w in zip(order[1:4], weights, strict=True)
    )
    said: list[str] = []
    if head_id == evidence.rule_head:
        said.append("the ledger's name matches the wording of this head")
    words = model.evidence_words(label, head_id)
    if words:
        said.append("the words " + " and ".join(f"'{w}'" for w in words))
    section = evidence.section
    if section is not None and section_text:
        section_head = section.dr if evidence.side == "Dr" else section.cr
        if section_head == head_id:
            said.append(f"the group '{section_text}' points to this head")
        elif head_id in section.allowed:
            said.append(f"the group '{section_text}' allows this head")
        else:
            said.append(f"the group '{section_text}' does not usually hold this head")
    said.append(_side_words(evidence.side))
    if evidence.rule_head and evidence.rule_head != head_id:
        other = HEADS_BY_ID[evidence.rule_head].label
        said.append(f"the name alone suggested '{other}', outweighed by the rest")
    method = machine.method if head_id == machine.head else "model"
    return Suggestion(head_id, confidence, method, alternatives, tuple(said))
