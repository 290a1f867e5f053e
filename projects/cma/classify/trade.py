"""The trade a book earns its living by, and the running costs that are that trade's.

A transporter's toll, lorry hire and truck repairs are what its freight income costs: a
CA files them as direct (manufacturing) expenses and its drivers' wages as direct labour.
The same words in a trader's books are selling costs. Nothing in the ledger itself tells
the two apart; the book's revenue ledgers do. Likewise coal or diesel bought by a firm that
does not sell it is its fuel, not a purchase of goods.

Plain functions over words (the rules' view: normalised, stemmed, padded with spaces);
`book.BookReading` feeds them and revises the suggestions.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Trade:
    name: str  # how the evidence names it: "carries goods for hire"
    earns: tuple[str, ...]  # what its revenue ledgers say (padded phrases)
    # What its running costs say, with the head each is, first match wins.
    costs: tuple[tuple[str, str], ...]


_DIRECT = "other_mfg_expenses"
_CREW = "direct_labour"

_CARRIER_EARNS = (
    " freight ", " transport ", " transportation ", " lorry ", " truck ", " trucking ",
    " haulage ", " cartage ", " carriage ", " logistic ", " cargo ", " tanker ", " trailer ",
    " bhada ", " fleet ",
)  # fmt: skip
_CARRIER_COSTS = (
    (" driver ", _CREW), (" cleaner ", _CREW), (" khalasi ", _CREW), (" bata ", _CREW),
    (" bhatta ", _CREW), (" crew ", _CREW),
    (" toll ", _DIRECT), (" lorry ", _DIRECT), (" truck ", _DIRECT), (" tanker ", _DIRECT),
    (" trailer ", _DIRECT), (" vehicle hire ", _DIRECT), (" hired vehicle ", _DIRECT),
    (" market vehicle ", _DIRECT), (" permit ", _DIRECT), (" vehicle repair ", _DIRECT),
    (" vehicle maintenance ", _DIRECT), (" vehicle running ", _DIRECT),
    (" freight ", _DIRECT), (" loading ", _DIRECT), (" unloading ", _DIRECT),
    (" hamali ", _DIRECT), (" fastag ", _DIRECT), (" weighbridge ", _DIRECT),
)  # fmt: skip

TRADES: tuple[Trade, ...] = (
    Trade("carries goods for hire", earns=_CARRIER_EARNS, costs=_CARRIER_COSTS),
)

# A revenue ledger that passes a cost on is not the trade: "Freight Recovered" of a trader.
_PASSED_ON = (
    " recovered ", " recovery ", " collected ", " reimbursed ", " reimbursement ", " charged ",
    " outward ", " inward ", " on sale ",
)  # fmt: skip
# How many of the revenue ledgers must name the trade: most of them.
TRADE_SHARE = 0.5

# Fuel a firm burns, each word with the fuel it names: bought by a firm that does not sell
# it, it is power and fuel. ("MS", petrol's trade name, is too short to be read as goods.)
_FUELS = {
    "coal": "coal", "diesel": "diesel", "hsd": "diesel", "lignite": "lignite",
    "furnace": "furnace oil", "ldo": "diesel", "lpg": "lpg", "petcoke": "coke",
    "coke": "coke", "firewood": "firewood", "husk": "husk", "briquette": "briquette",
    "petrol": "petrol", "fuel": "fuel",
}  # fmt: skip


def trade_of(revenue: Sequence[str]) -> Trade | None:
    """The trade most of a book's revenue ledgers (their padded words) name, if one does."""
    if not revenue:
        return None
    for trade in TRADES:
        named = sum(
            1
            for words in revenue
            if any(p in words for p in trade.earns) and not any(p in words for p in _PASSED_ON)
        )
        if named and named / len(revenue) >= TRADE_SHARE:
            return trade
    return None


def trade_cost(trade: Trade, words: str) -> str | None:
    """The head a running cost's words make it in `trade`'s books, None if not its cost."""
    return next((head for phrase, head in trade.costs if phrase in words), None)


def fuels(goods: frozenset[str]) -> frozenset[str]:
    """The fuels a ledger's goods words name ("HSD" and "Diesel" are one)."""
    return frozenset(_FUELS[w] for w in goods if w in _FUELS)
