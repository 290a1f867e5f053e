"""Ledgers named by a tax regime ("Sales IGST 5%", "Non-GST", "Exempt") under a group
that says what they are: the regime names no head, the group does."""

# A sales, purchase or party ledger named only by its tax regime ("GST", "Non-GST",
# "Exempt", "Interstate") under its group: the group says what it is.
_REGIME_WORDS = frozenset(
    {"gst", "nongst", "non", "vat", "cst", "exempt", "exempted", "taxable", "nil", "zero",
     "rated", "local", "interstate", "inter", "intra", "intrastate", "state", "percent",
     "igst", "cgst", "sgst", "utgst"}
)  # fmt: skip
_REGIME_CORE = frozenset({"gst", "nongst", "vat", "cst", "exempt", "exempted", "taxable",
                          "rated", "interstate", "intrastate", "local"})  # fmt: skip
# GST's parts name a regime only beside the trade ("Sales IGST"); alone ("IGST") they are
# the tax's own ledger, whatever group it sits under.
_GST_PARTS = frozenset({"igst", "cgst", "sgst", "utgst"})
# Tally firms keep one sales and one purchase ledger per tax rate ("Sales IGST 5%",
# "Purchase GST 28%"): the trade word names the group's own head, the rest the regime.
_REGIME_TRADE = {
    "sales": frozenset({"sales_domestic", "sales_export"}),
    "sale": frozenset({"sales_domestic", "sales_export"}),
    "purchase": frozenset({"purchases_rm"}),
    "purchases": frozenset({"purchases_rm"}),
}
REGIME_TRADE_CONFIDENCE = 0.9
REGIME_GROUP_HEADS = frozenset(
    {"sales_domestic", "sales_export", "purchases_rm", "receivables_domestic",
     "receivables_export", "sundry_creditors", "other_operating_income"}
)  # fmt: skip


def regime_only(words: str, group_head: str | None = None) -> bool:
    """Whether the label names only a tax regime, or its group's trade and a regime."""
    tokens = words.split()
    trade = [t for t in tokens if group_head in _REGIME_TRADE.get(t, ())]
    named = not _REGIME_CORE.isdisjoint(tokens) or (
        bool(trade) and not _GST_PARTS.isdisjoint(tokens)
    )
    return named and all(t in _REGIME_WORDS or t.isdigit() or t in trade for t in tokens)


def names_trade(words: str) -> bool:
    """Whether the label names a trade ("sales", "purchase") beside its regime."""
    return not _REGIME_TRADE.keys().isdisjoint(words.split())


def per_tax_rate(head_id: str | None, normalized: str) -> bool:
    """Whether the head is a trade the label names beside its tax regime only ("IGST Sales
    28%", "Purchase @ 5%"): a ledger kept per tax rate, which the rates and tax words
    of the label cannot contradict."""
    return (
        head_id in ("sales_domestic", "purchases_rm")
        and names_trade(normalized)
        and regime_only(normalized, head_id)
    )
