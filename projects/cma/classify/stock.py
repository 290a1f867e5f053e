"""Stock lines: closing stock (the inventory heads) and opening stock, by what it is stock
of (raw material, work in progress, finished goods, stores and spares).
"""

from __future__ import annotations

from functools import lru_cache

from projects.cma.classify.constants import INVENTORY_HEADS, WRONG_SIDE_FACTOR
from projects.cma.classify.normalize import normalize_label, padded_phrase, padded_words
from projects.cma.records import Side

# --------------------------------------------------------------------------------------
# Stock: closing stock (inventory) and opening stock, by what it is stock of.
# --------------------------------------------------------------------------------------

# Checked in this order: "Packing Material" is stock in process and "Traded Goods" are
# finished goods in this product's convention (see the Mehta Traders sample); plain
# "Stock", "Goods" or "Closing Stock" is raw material, so that a trader's purchases
# (purchases_rm) and stock meet in "raw materials consumed".
_STOCK_KINDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("wip", tuple(padded_phrase(p) for p in (
        "work in progress", "work in process", "stock in process", "semi finished",
        "semi finish",
        "goods in process", "in process", "process stock", "packing material",
        "packaging material", "semi finished goods", "in transit processing",
    ))),
    ("spares", tuple(padded_phrase(p) for p in (
        "stores", "spares", "consumables", "spare parts", "stores and spares",
        "consumable stores", "fuel stock", "stationery stock", "loose tools",
    ))),
    ("fg", tuple(padded_phrase(p) for p in (
        "finished goods", "finished", "finish", "traded goods", "trading goods", "stock in trade",
        "goods for resale", "merchandise", "ready stock", "finished products", "products",
        "trading stock", "saleable", "awaiting dispatch", "ready for dispatch", "unsold",
        "display stock",
    ))),
    ("rm", tuple(padded_phrase(p) for p in (
        # Not "raw" alone: "Rice (Raw & Boiled)" is a mill's product, raw rice.
        "raw material", "raw materials", "materials", "input materials",
    ))),
)  # fmt: skip
_STOCK_WORDS = tuple(
    padded_phrase(p) for p in ("stock", "inventory", "goods", "closing balance of stock")
)
_OPENING = tuple(padded_phrase(p) for p in ("opening", "stock at commencement", "beginning"))
_CLOSING = tuple(
    padded_phrase(p)
    for p in (
        "closing stock", "closing inventory", "stock in hand", "stock on hand",
        "at the end of the year", "at the close of the year", "at the end of the period",
    )
)  # fmt: skip
_NOT_STOCK = tuple(
    padded_phrase(p)
    for p in (
        "purchase", "consumed", "consumption", "sale", "change", "increase", "decrease",
        "written off", "loss", "insurance", "transfer", "capital", "exchange", "broker",
        "creditor", "debtor", "opening balance difference", "stock audit", "expense",
        "adjustment", "cost of goods sold", "cost of sale",
    )
)  # fmt: skip
_STOCK_TOKENS = frozenset(
    w
    for phrases in (*(p for _, p in _STOCK_KINDS), _STOCK_WORDS, _OPENING, _CLOSING)
    for phrase in phrases
    for w in phrase.split()
) - {"in", "of", "and", "for", "at"}
_CLOSING_HEADS = {
    "rm": "inventory_rm", "wip": "inventory_wip", "fg": "inventory_fg",
    "spares": "inventory_spares",
}  # fmt: skip
# No opening-stock head for stores: opening stores are stores consumed (as the samples do).
_OPENING_HEADS = {
    "rm": "opening_stock_rm", "wip": "opening_stock_wip", "fg": "opening_stock_fg",
    "spares": "spares_consumed",
}  # fmt: skip
_OPENING_KINDS = frozenset(_OPENING_HEADS.values()) - {"spares_consumed"}


def stock_phrases() -> list[tuple[str, str, str]]:
    """(kind's phrase, opening head, closing head) of every stock kind the table names:
    what the word models learn stock lines from (training.py)."""
    return [
        (phrase.strip(), _OPENING_HEADS[kind], _CLOSING_HEADS[kind])
        for kind, phrases in _STOCK_KINDS
        for phrase in phrases
    ]


# A stock ledger whose kind the wording does not name ("Stock", "Inventory / Computers"):
# raw material is only the default; the split into raw material, work in progress and
# finished goods is the CA's to confirm.
_UNNAMED = 0.62


def _stock_kind(words: str) -> tuple[str, bool]:
    """The kind of stock and whether the wording named it (False: plain stock)."""
    found = [kind for kind, phrases in _STOCK_KINDS if any(p in words for p in phrases)]
    if not found:
        return "rm", False
    return found[0], True


@lru_cache(maxsize=1024)
def section_stock_kind(section: str) -> str | None:
    """The one kind of stock a section's title names ("Changes in Inventories of
    Stock-in-Trade": finished goods), None where it names none or several (Schedule III's
    "finished goods, work-in-progress and stock-in-trade")."""
    words = padded_words(normalize_label(section))
    found = {kind for kind, phrases in _STOCK_KINDS if any(p in words for p in phrases)}
    return found.pop() if len(found) == 1 else None


def names_stock_kind(words: str) -> bool:
    """Whether the wording says which stock it is (raw material, WIP, finished goods...)."""
    return _stock_kind(words)[1]


def by_convention(head_id: str | None, normalized: str) -> bool:
    """Whether the head is the stock table's convention, not the wording's: an opening
    stock of no stated kind ("Opening Stock" is raw material's, as a closing stock is),
    which no reading of the words could confirm or contradict."""
    return head_id in _OPENING_KINDS and not names_stock_kind(padded_words(normalized))


def stock_head(
    words: str, side: Side, closing_flag: bool, section_kind: str | None = None
) -> tuple[str, float, tuple[str, ...]] | None:
    """`section_kind`: the kind the item's section names, for a line that names none
    ("Inventories at the beginning of the year" under a note on stock-in-trade)."""
    if not closing_flag and _STOCK_TOKENS.isdisjoint(words.split()):
        return None
    opening = any(p in words for p in _OPENING)
    stockish = any(p in words for p in _STOCK_WORDS)
    said_closing = any(p in words for p in _CLOSING)
    kind, named = _stock_kind(words)
    if not named and section_kind is not None and (opening or stockish or closing_flag):
        # Only a line that is stock by its own words: "Machinery in transit" under
        # "Capital work-in-progress" is no work in progress of the goods.
        kind, named = section_kind, True
    if closing_flag and not opening:
        # A statement's closing-stock line: one stock, as the firm values it.
        head = _CLOSING_HEADS[kind]
        confidence = 0.95 if named else 0.85
    elif any(p in words for p in _NOT_STOCK):
        return None
    elif opening and (stockish or named):
        head = _OPENING_HEADS[kind]
        confidence = 0.95 if named else 0.88  # the default kind, as the closing line's
    elif said_closing or (stockish and side == "Dr"):
        head = _CLOSING_HEADS[kind]
        confidence = 0.9 if named else _UNNAMED
    elif named and kind == "wip" and "packing" not in words and side == "Dr":
        head, confidence = "inventory_wip", 0.8  # WIP is only ever a stock
    else:
        return None
    # A line that says it is the closing stock is one on either side: the credit side of a
    # trading account ("By Closing Stock"), deducted in a note ("Less: Closing Stock").
    if side == "Cr" and not (said_closing and head in INVENTORY_HEADS):
        confidence *= WRONG_SIDE_FACTOR
    alternatives = tuple(h for h in _stock_siblings(head) if h != head)
    return head, confidence, alternatives


def _stock_siblings(head: str) -> tuple[str, ...]:
    if head in INVENTORY_HEADS:
        return ("inventory_rm", "inventory_fg", "inventory_wip", "inventory_spares")
    return ("opening_stock_rm", "opening_stock_fg", "opening_stock_wip", "spares_consumed")
