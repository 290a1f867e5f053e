"""The decision: statement totals set aside, the rule match (stock, rules, banks), the
section check, spelling correction and fuzzy fallback in `_machine` (cached), the
alternatives, and the public `classify` and `classify_all`, which add learned labels.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from functools import lru_cache

from projects.cma.classify.agreement import Agreement, use_agreement
from projects.cma.classify.amounts import weigh_amount
from projects.cma.classify.bank import bank_head
from projects.cma.classify.blend import Blend, Evidence, decide
from projects.cma.classify.confidence import GUESS_BELOW, Curve, calibrated, use_curves
from projects.cma.classify.constants import (
    AGREEMENT_BONUS,
    AGREEMENT_CAP,
    AHEAD_WORDS,
    BALANCE_WORDS,
    CERTAIN,
    COST_OF_SALES_PHRASES,
    FACTORY_WORDS,
    HEAD_NOUN_FACTOR,
    INVENTORY_HEADS,
    LEARNED_CONFIDENCE,
    MODIFIER_ONLY_CONFIDENCE,
    OWED_CONFIDENCE,
    SECTION_CONFLICT_FACTOR,
    WRONG_SIDE_FACTOR,
)
from projects.cma.classify.fuzzy import correct_word, fuzzy_heads
from projects.cma.classify.generic import GENERIC_OWED, shop_name, unknown_beside_generic
from projects.cma.classify.headnoun import head_noun
from projects.cma.classify.model import WordModel, load_model, load_tree
from projects.cma.classify.normalize import normalize_label, padded_phrase, padded_words
from projects.cma.classify.ocr import misread, read_label, unjoined
from projects.cma.classify.party import firm_view
from projects.cma.classify.qualifier import party_abroad, with_qualifier
from projects.cma.classify.reader import read_again, use_reader
from projects.cma.classify.regime import (
    REGIME_GROUP_HEADS,
    REGIME_TRADE_CONFIDENCE,
    names_trade,
    regime_only,
)
from projects.cma.classify.related import RELATED
from projects.cma.classify.related import alternatives as _alternatives
from projects.cma.classify.rule import Rule
from projects.cma.classify.rules import RULE_INDEX, RULES
from projects.cma.classify.rules_pl import ST
from projects.cma.classify.sections import Section, is_tally_chain, section_of, section_parts
from projects.cma.classify.softmax import SoftmaxModel
from projects.cma.classify.stock import names_stock_kind, section_stock_kind, stock_head
from projects.cma.classify.term import with_term
from projects.cma.classify.totals import is_total
from projects.cma.collector import collector_paused
from projects.cma.heads import HEADS, HEADS_BY_ID
from projects.cma.records import ExtractedItem, Side, Suggestion

# --------------------------------------------------------------------------------------
# The machine's suggestion (without learned labels), cached by what it depends on.
# --------------------------------------------------------------------------------------

# Where the bank rule stands in the table: facility wording (CC, term loan, FD,
# investments, deposits) above it wins; advances, capital, assets and cash below it lose.
_BANK_POSITION = next(i for i, r in enumerate(RULES) if padded_phrase("capital advance") in r.any)

_CURRENT_ACCOUNT = (" current account ", " current ac ")
_FACTORY_WORDS = tuple(padded_phrase(p) for p in (*FACTORY_WORDS, *COST_OF_SALES_PHRASES))


_OPERATING = frozenset(h.id for h in HEADS if h.group == "operating")


# Words that only say a balance is owed, not what for: with an unknown word beside them
# ("MLWF Payable", "Xyz Recoverable") the owed head is a guess a CA confirms.
def _rule_match(words: str, basis: str, side: Side) -> tuple[int, Rule, Rule | None] | None:
    """The first rule (in table order) that matches and speaks for this side, read by the
    label's head noun: a rule whose phrase only matched a modifier ("Export" in "Export
    Expenses") gives way to a later rule for the head noun, and says so (third item: the
    rule that gave way); with no such rule it stands, flagged as its own third item."""
    tokens = words.split()
    indices = sorted({i for w in tokens for i in RULE_INDEX.get(w, ())})
    if not indices:
        return None  # no rule names any of its words (most party names)
    owed = not BALANCE_WORDS.isdisjoint(tokens) or bool(tokens and tokens[0] in AHEAD_WORDS)
    noun = head_noun(words)
    modifier: tuple[int, Rule] | None = None
    for index in indices:
        rule = RULES[index]
        head_id = rule.dr if side == "Dr" else rule.cr
        if head_id is None or (owed and head_id in _OPERATING):
            continue
        if not ((rule.basis is None or rule.basis == basis) and rule.matches(words)):
            continue
        if noun is None:
            return index, rule, None
        found = rule.any if rule.exact else [p for p in rule.any if p in words]
        if any(noun.covered_by(p, words) for p in found) or (
            head_id not in noun.excludes and any(noun.in_segment(p, words) for p in found)
        ):
            return index, rule, modifier[1] if modifier else None
        if modifier is None:
            modifier = (index, rule)
    if modifier is not None:
        return modifier[0], modifier[1], modifier[1]
    return None


_OWED_HEADS = frozenset({"other_current_assets", "other_current_liabilities"})


def _owed_only(words: str, basis: str, side: Side) -> bool:
    """Whether the rule for these words matched only words that say a balance is owed
    ("... Receivable", "... Outstanding"), nothing that says what for."""
    matched = _rule_match(words, basis, side)
    if matched is None:
        return False
    found = [p for p in matched[1].any if p in words]
    return bool(found) and all(p in GENERIC_OWED for p in found)


def _owed_guess(words: str, basis: str, side: Side) -> bool:
    """Whether the rule for these words matched only "payable" beside an unknown word."""
    matched = _rule_match(words, basis, side)
    return matched is not None and unknown_beside_generic(matched[1], words)


def _by_rules(
    words: str,
    side: Side,
    closing: bool,
    basis: str,
    section: Section | None,
    stock_kind: str | None = None,
) -> tuple[str, float, list[tuple[str, float]]] | None:
    """(head, confidence, alternative candidates) from the stock, rule and bank tables;
    `stock_kind`: the kind of stock the section's title names, if one."""
    # A ledger under a stock group (Stock-in-Hand) that names its kind ("Stores and
    # Spares") is that stock, as a closing-stock line would be.
    in_stock_group = section is not None and section.dr in INVENTORY_HEADS
    stock = stock_head(
        words, side, closing or (in_stock_group and names_stock_kind(words)), stock_kind
    )
    if stock is not None:
        head_id, confidence, alts = stock
        return head_id, confidence, [(h, 1.0) for h in alts]
    matched = _rule_match(words, basis, side)
    if matched is None or matched[0] > _BANK_POSITION:
        bank = bank_head(words, side)
        if bank is not None:
            head_id, confidence, alts = bank
            related = RELATED.get(head_id, ())
            return head_id, confidence, [(h, 1.0) for h in (*alts, *related)]
    if matched is None:
        return None
    _, rule, gave_way = matched
    head_id = rule.dr if side == "Dr" else rule.cr
    assert head_id is not None
    confidence = rule.conf_dr if side == "Dr" else rule.conf_cr
    if rule.fixed and HEADS_BY_ID[head_id].normal != side:
        confidence *= WRONG_SIDE_FACTOR
    other = rule.cr if side == "Dr" else rule.dr
    candidates = [(h, 1.0) for h in (*rule.alts, other) if h]
    if gave_way is rule or (
        not rule.exact and (unknown_beside_generic(rule, words) or shop_name(rule, words))
    ):
        # Only a modifier matched and nothing speaks for the head noun, or only "payable"
        # beside a word the classifier does not know: a CA decides.
        confidence = min(confidence, MODIFIER_ONLY_CONFIDENCE)
    elif gave_way is not None:
        confidence *= HEAD_NOUN_FACTOR
        candidates.insert(0, ((gave_way.dr if side == "Dr" else gave_way.cr) or head_id, 1.0))
    kind = section.kind if section is not None else ""
    if rule.direct and " office " not in words and any(p in words for p in _FACTORY_WORDS):
        kind = "direct"  # "Rent - Factory", "Insurance on Machinery"
    if kind == "sales" and (
        side == "Dr" or " job " in words or " jobwork " in words or " conversion " in words
    ):
        # A debit under a sales group is a return, and work done on others' goods (job
        # work) is other operating income: their own words decide.
        kind = ""
    if kind:
        switched = {"direct": rule.direct, "indirect": rule.indirect}.get(kind, rule.sales)
        if switched and switched != head_id:
            candidates.insert(0, (head_id, 1.0))
            head_id, confidence = switched, max(confidence, 0.85)
        elif switched == head_id:
            confidence = max(confidence, 0.85)  # the group settles an ambiguous wording
    candidates.extend((h, 1.0) for h in RELATED.get(head_id, ()))
    return head_id, confidence, candidates


def _with_section(
    head_id: str,
    confidence: float,
    candidates: list[tuple[str, float]],
    side: Side,
    section: Section | None,
    path: str = "",
    words: str = "",
    basis: str = "",
) -> tuple[str, float, list[tuple[str, float]], str]:
    """A suggestion the item's section rules out is doubted, or replaced by the section's;
    the fourth item names what the section did (a `confidence.MECHANISMS` key).

    Every part of a group path counts ("Finance costs / on bank borrowings" allows
    interest). A party group (debtors, creditors, banks, cash) replaces what a party's
    name seems to say; any other group replaces only a label that is not certain. An
    income or expense label under a balance-sheet group is what is owed or prepaid for it
    ("Audit Fees" under liabilities)."""
    if section is None:
        return head_id, confidence, candidates, "rule"
    if head_id == (section.dr if side == "Dr" else section.cr):
        # Label and group, two separate pieces of evidence, name the same head; but an
        # inventory group never says which stock, so it adds nothing to a default kind.
        if head_id in INVENTORY_HEADS and not names_stock_kind(words):
            return head_id, confidence, candidates, "rule"
        return (
            head_id,
            max(confidence, min(AGREEMENT_CAP, confidence + AGREEMENT_BONUS)),
            candidates,
            "rule_group",
        )
    section_head = section.dr if side == "Dr" else section.cr
    section_conf = section.conf_dr if side == "Dr" else section.conf_cr
    if section.party and section_head and head_id in _OWED_HEADS and _owed_only(words, basis, side):
        # "Rent Receivable from Storers" under Sundry Debtors: the label says only that
        # something is owed, the party group by whom.
        return section_head, section_conf * 0.95, [(head_id, 1.0), *candidates], "override"
    if head_id in section.allowed:
        return head_id, confidence, candidates, "rule"
    party = section.party
    # A Tally party group speaks for its ledgers whatever primary group its chain ends in:
    # "Modern Tools" under "Sundry Debtors / Current Assets" is a debtor, not a tool.
    chained_party = party and is_tally_chain(path)
    if path and not chained_party and any(head_id in p.allowed for p in section_parts(path)):
        return head_id, confidence, candidates, "rule"
    if section_head is not None and section_conf >= 0.75 and (party or confidence < CERTAIN):
        # An income or expense under a group of dues or prepayments ("Audit Fees" under
        # Outstanding Expenses) is what is owed or paid ahead for it: measured apart.
        owing = head_id in _OPERATING and section_head in _OWED_HEADS
        return (
            section_head,
            section_conf * 0.95,
            [(head_id, 1.0), *candidates],
            "owed" if owing else "override",
        )
    if head_id in _OPERATING and _OPERATING.isdisjoint(section.allowed):
        owed = "other_current_assets" if side == "Dr" else "other_current_liabilities"
        if section_head not in (None, owed) and section_head not in _OPERATING:
            # A group with a head of its own ("Customer Payables", "Duties & Taxes"): owed
            # to or by whom the group says, likelier than not, but a CA confirms.
            return (
                section_head,
                min(OWED_CONFIDENCE, GUESS_BELOW - 0.05),
                [(owed, 1.0), (head_id, 1.0), *candidates],
                "override",
            )
        if section_head == owed and section_conf >= 0.75:
            # A group of dues ("Prepaid Expenses") a sure label did not give way to above.
            return owed, section_conf * 0.95, [(head_id, 1.0), *candidates], "owed"
        if owed in section.allowed:  # a current group allows it; names no dues
            return owed, OWED_CONFIDENCE, [(head_id, 1.0), *candidates], "owed_current"
    if section_head is not None:
        candidates = [(section_head, section_conf), *candidates]
    return head_id, confidence * SECTION_CONFLICT_FACTOR, candidates, "conflict"


def _more_specific(fixed_words: str, words: str, basis: str, side: Side) -> bool:
    """Whether the corrected words meet a rule earlier in the table (more specific)."""
    refound = _rule_match(fixed_words, basis, side)
    if refound is None:
        return False
    found = _rule_match(words, basis, side)
    return found is not None and refound[0] < found[0]


def _termed(
    head_id: str, candidates: list[tuple[str, float]], words: str, section: str
) -> tuple[str, list[tuple[str, float]]]:
    """The head moved to its current or non-current pair when the label or group says
    which; the unmoved head joins the alternatives."""
    moved, changed = with_term(head_id, words, section)
    if not changed:
        return head_id, candidates
    return moved, [(head_id, 1.0), *candidates]


@lru_cache(maxsize=65536)
def _machine(
    normalized: str, side: Side, closing: bool, basis: str, section: str
) -> tuple[Suggestion, bool]:
    """The calibrated suggestion, and whether the tables themselves call it a guess (a
    raw confidence below the review line: a CA's call by their author's word)."""
    suggestion, mechanism = raw_suggestion(normalized, side, closing, basis, section)
    guess = suggestion.confidence < GUESS_BELOW
    if basis == ST:
        # The map was measured on ledger names; a printed statement's captions are
        # Schedule III's fixed wording, which no corpus row measured.
        return suggestion, guess
    return calibrated(suggestion, mechanism), guess


def rules_guess(normalized: str, side: Side, section: str) -> bool:
    """Whether the rule table calls a ledger's suggestion a guess (see `_machine`)."""
    return _machine(normalized, side, False, "trial_balance", section)[1]


def raw_suggestion(
    normalized: str, side: Side, closing: bool, basis: str, section: str
) -> tuple[Suggestion, str]:
    """The machine's suggestion before calibration, and the mechanism that decided it (a
    `confidence.MECHANISMS` key): what the calibration is fitted on, per mechanism."""
    normalized = read_label(normalized)
    words = firm_view(padded_words(normalized))
    if not words.strip():
        return Suggestion(None, 0.0, "none"), "none"
    if is_total(words, basis):
        return Suggestion(None, 0.0, "none"), "none"
    hint = section_of(section) if section else None
    if hint is not None:
        regime_head = hint.dr if side == "Dr" else hint.cr
        if regime_head in REGIME_GROUP_HEADS and regime_only(normalized, regime_head):
            confidence = round(hint.conf_dr if side == "Dr" else hint.conf_cr, 4)
            if names_trade(normalized):
                # The label names the group's trade itself: two pieces of evidence agree.
                confidence = max(confidence, REGIME_TRADE_CONFIDENCE)
            others = [(h, 1.0) for h in RELATED.get(regime_head, ())]
            alternatives = _alternatives(regime_head, confidence, others)
            return Suggestion(regime_head, confidence, "section", alternatives), "group"
    if not closing and names_trade(normalized):
        # A ledger kept per tax rate ("Sales @ 18% GST", "To Purchases (GST)") names its
        # trade itself, where its group (if any) allows that trade.
        for trade_head in ("sales_domestic", "purchases_rm"):
            if regime_only(normalized, trade_head) and (hint is None or trade_head in hint.allowed):
                others = [(h, 1.0) for h in RELATED.get(trade_head, ())]
                alternatives = _alternatives(trade_head, REGIME_TRADE_CONFIDENCE, others)
                return Suggestion(trade_head, REGIME_TRADE_CONFIDENCE, "synonym", alternatives), (
                    "rule"
                )

    stock_kind = section_stock_kind(section) if section else None
    found = _by_rules(words, side, closing, basis, hint, stock_kind)
    method = "synonym"
    # Misspelt words ("Depriciation", "Proffesional Tax Payable"): correct them against
    # the rules' vocabulary and try again; a weak generic match, or a sure but generic one
    # ("payable") where the corrected words meet a more specific rule, gives way.
    originals = words.split()
    corrected = [correct_word(w) for w in originals]
    if any(w != o for (w, _), o in zip(corrected, originals, strict=True)):
        fixed_words = " " + " ".join(w for w, _ in corrected) + " "
        # A guess left to a CA ("Xyz Payable") counts as sure here: a corrected spelling
        # must meet a more specific rule, not merely any rule, to replace it.
        weak = found is not None and found[1] < 0.7 and not _owed_guess(words, basis, side)
        if found is None or weak or _more_specific(fixed_words, words, basis, side):
            refound = _by_rules(fixed_words, side, closing, basis, hint, stock_kind)
            if refound is not None:
                worst = min(score for _, score in corrected)
                factor = 0.9 if worst >= 92 else 0.82 if worst >= 88 else 0.75
                if found is None or found[1] >= 0.7 or refound[1] * factor > found[1]:
                    found = (refound[0], refound[1] * factor, refound[2])
                    method = "fuzzy"
            if found is None:
                words = fixed_words
    if found is not None:
        head_id, confidence, candidates, mechanism = _with_section(
            *found, side, hint, section, words=words, basis=basis
        )
        if method == "fuzzy":
            mechanism = "spelling"
        elif mechanism == "rule" and found[1] < GUESS_BELOW:
            mechanism = "rule_weak"
        if (
            head_id == found[0]
            and found[1] <= MODIFIER_ONLY_CONFIDENCE
            and _owed_guess(words, basis, side)
        ):
            # A guess the rules left to a CA ("Xyz Payable") stays one when a group only
            # agrees with it ("Current Liabilities"); a group that names another head
            # ("Payroll Deductions") has replaced it above.
            confidence = min(confidence, found[1])
        head_id, qualified = with_qualifier(head_id, found[0], words, normalized)
        if qualified:
            candidates = [(found[0], 1.0), *candidates]
        head_id, candidates = _termed(head_id, candidates, words, section)
        confidence = round(min(confidence, 0.97), 4)
        alternatives = _alternatives(head_id, confidence, candidates)
        return Suggestion(head_id, confidence, method, alternatives), mechanism

    ranked = fuzzy_heads(words, side)
    section_head, section_conf = None, 0.0
    if hint is not None:
        section_head = hint.dr if side == "Dr" else hint.cr
        section_conf = hint.conf_dr if side == "Dr" else hint.conf_cr
    if ranked and (section_head is None or ranked[0][1] >= section_conf):
        head_id, confidence = ranked[0]
        head_id = with_term(head_id, words, section)[0]
        if section_head == head_id:
            confidence = min(0.85, confidence + 0.15)  # label and group agree
        elif hint is not None and head_id not in hint.allowed:
            confidence *= SECTION_CONFLICT_FACTOR
        if confidence >= 0.2:
            others = ranked[1:] + [(h, 1.0) for h in RELATED.get(head_id, ())]
            if section_head:
                others.insert(0, (section_head, section_conf))
            confidence = round(confidence, 4)
            alternatives = _alternatives(head_id, confidence, others)
            return Suggestion(head_id, confidence, "fuzzy", alternatives), "fuzzy"
    if section_head is not None:
        confidence = round(section_conf, 4)
        section_head, moved = _termed(
            party_abroad(section_head, words, normalized), [], words, section
        )
        capital_group = hint is not None and hint.cr == "share_capital"
        if capital_group and any(p in words for p in _CURRENT_ACCOUNT):
            # A current account under the capital group is a partner's (the surplus, as
            # the samples' answer key has it), however the partner is named.
            section_head, moved = "pl_surplus", [("share_capital", 1.0), ("drawings", 1.0)]
        others = moved + ranked + [(h, 1.0) for h in RELATED.get(section_head, ())]
        alternatives = _alternatives(section_head, confidence, others)
        return Suggestion(section_head, confidence, "section", alternatives), "group"
    # Nothing plausible: the CA decides; offer the likeliest heads for the side.
    defaults = (
        ("sga_expenses", "other_current_assets", "other_noncurrent_assets")
        if side == "Dr"
        else ("other_current_liabilities", "non_operating_income", "other_term_liabilities")
    )
    guesses = [(h, c * 0.3) for h, c in ranked] + [(h, 0.05) for h in defaults]
    return Suggestion(None, 0.0, "none", _alternatives(None, 0.0, guesses)), "none"


# --------------------------------------------------------------------------------------
# The public functions.
# --------------------------------------------------------------------------------------

Learned = Mapping[tuple[str, str], str]


def blend_evidence(label: str, side: Side, section: str) -> tuple[str, Evidence] | None:
    """(normalized label, what the blend weighs besides the model) for a ledger; None for
    a line the blend leaves alone (a total, a blank label). Fitting uses it."""
    normalized = normalize_label(label)
    machine, _ = _machine(normalized, side, False, "", section)
    if machine.head is None and not machine.alternatives:
        return None
    rule_head = machine.head if machine.method in ("synonym", "fuzzy") else None
    hint = section_of(section) if section else None
    return normalized, Evidence(rule_head, machine.confidence if rule_head else 0.0, hint, side)


# The model and blend in use; `use_model` swaps them (the bench's held-out folds, tests).
_ACTIVE: dict[str, tuple[WordModel, Blend] | None] = {}


def use_model(model: WordModel | None, blend: Blend | None = None) -> None:
    """Classify with this model and blend from now on (None: the rules alone)."""
    _ACTIVE["model"] = (model, blend or Blend()) if model is not None else None
    _blended.cache_clear()


def use_calibration(curves: Mapping[str, Curve] | None) -> None:
    """Calibrate with these curves from now on ({}: raw confidences; None: the shipped
    calibration.json): the bench's held-out folds and the fit use it."""
    use_curves(curves)
    _machine.cache_clear()
    _blended.cache_clear()


def use_second_reader(model: SoftmaxModel | None) -> None:
    """Read the rules' approvals a second time with this model (None: not at all)."""
    use_reader(model)
    _blended.cache_clear()


def use_agreement_fit(fit: Agreement | None) -> None:
    """Re-weigh the confidence by how far the reader agrees with this fit (None: not)."""
    use_agreement(fit)
    _blended.cache_clear()


def _active() -> tuple[WordModel, Blend] | None:
    if "model" not in _ACTIVE:
        tree = load_tree()
        # Off unless the file says so: measured held out, the blend does not yet beat the
        # rule table among what it auto-approves (bench/RESULTS.md, MODEL.md). An inactive
        # model is not built at all: a worker's first classification does not pay for it.
        model = load_model() if tree and tree.get("active") else None
        blend = Blend.from_json(tree.get("blend") if tree else None)
        _ACTIVE["model"] = (model, blend) if model is not None else None
    return _ACTIVE["model"]


_SAID = {
    "synonym": "the ledger's name matches the wording of this head",
    "fuzzy": "the ledger's name, read with a spelling corrected, matches this head",
}


def _rule_evidence(machine: Suggestion, side: Side, section: str) -> tuple[str, ...]:
    """What the rule table went by, in a CA's words."""
    if machine.head is None:
        return ()
    return _evidence_words(machine.method, side, section)


# Cached: a book has a few methods, sides and groups, so one tuple serves many labels.
@lru_cache(maxsize=4096)
def _evidence_words(method: str, side: Side, section: str) -> tuple[str, ...]:
    said = f"the group '{section}' it sits under" if method == "section" else _SAID.get(method)
    out = [said] if said else []
    if section and method != "section":
        out.append(f"checked against the group '{section}'")
    out.append("a debit balance" if side == "Dr" else "a credit balance")
    return tuple(out)


@lru_cache(maxsize=65536)
def _blended(normalized: str, side: Side, closing: bool, basis: str, section: str) -> Suggestion:
    machine, guess = _machine(normalized, side, closing, basis, section)
    active = _active()
    # Totals and derived lines get no head; closing stock is the stock table's to decide;
    # statement lines (Schedule III wording) are the rule table's, which was written for
    # them, while the blend was fitted on ledger names; a party named only by its group
    # (Sundry Debtors) has nothing for the words to add.
    if (
        active is None
        or closing
        or basis == ST
        or machine.method == "section"
        or (machine.head is None and not machine.alternatives)
    ):
        # Built directly: dataclasses.replace costs more than the rest of this per label.
        evidence = _rule_evidence(machine, side, section)
        if machine.head is not None and (reading := misread(normalized)):
            evidence = (f"the name read as '{reading}' (letters a scan misreads)", *evidence)
        suggestion = Suggestion(
            machine.head, machine.confidence, machine.method, machine.alternatives, evidence
        )
        # The second reader (reader.py) reads ledger names: a total (no head, nothing
        # offered) is no ledger.
        ledger = machine.head is not None or bool(machine.alternatives)
        if active is None and ledger and not closing and basis != ST:
            return read_again(suggestion, read_label(normalized), side, section, guess=guess)
        return suggestion
    model, blend = active
    rule_head = machine.head if machine.method in ("synonym", "fuzzy") else None
    hint = section_of(section) if section else None
    evidence = Evidence(rule_head, machine.confidence if rule_head else 0.0, hint, side)
    return decide(blend, model, normalized, section, machine, evidence)


def classify(
    item: ExtractedItem, *, learned: Learned | None = None, book_total: Decimal | None = None
) -> Suggestion:
    """The head for one line item: learned label, rule, fuzzy match, section, or none;
    then doubted if its side or its share of `book_total` argues against the head."""
    normalized = normalize_label(item.label)
    reading = normalize_label(unjoined(item.label))  # a CA's decision: under the label
    machine = _blended(reading, item.side, item.closing_stock, item.basis, item.section)
    if learned:
        head_id = learned.get((normalized, item.side))
        # A closing-stock line and a ledger can share a label ("Raw Material"): a decision
        # about one must not move the other into or out of the inventories.
        if head_id in HEADS_BY_ID and (head_id in INVENTORY_HEADS) == item.closing_stock:
            others = [(machine.head, 1.0)] if machine.head else []
            others += list(machine.alternatives)
            others += [(h, 1.0) for h in RELATED.get(head_id, ())]
            return Suggestion(
                head_id,
                LEARNED_CONFIDENCE,
                "learned",
                _alternatives(head_id, LEARNED_CONFIDENCE, others),
                (f"this firm's earlier decision for '{normalized}' on the same side",),
            )
    return weigh_amount(machine, item, book_total)


def classify_all(
    items: Sequence[ExtractedItem],
    *,
    learned: Learned | None = None,
    progress: Callable[[int, int], None] | None = None,
    book_totals: Mapping[str, Decimal] | None = None,
) -> list[Suggestion]:
    """Every item's suggestion, in order; `progress(done, total)` about every 2 %.
    `book_totals`: the book's size per year (`amounts.totals_of`), when the caller holds
    the whole book; without it the amounts are not weighed."""
    total = len(items)
    step = max(1, total // 50)
    suggestions: list[Suggestion] = []
    totals = book_totals or {}
    with collector_paused():
        for done, item in enumerate(items, start=1):
            suggestions.append(classify(item, learned=learned, book_total=totals.get(item.year)))
            if progress is not None and (done % step == 0 or done == total):
                progress(done, total)
    return suggestions
