"""Book-level evidence: what else the client's books hold.

A stock ledger that does not say which stock it is ("Stock of Paddy", "Kapas Stock") is
only raw material by default (stock.py). A CA reads the rest of the books to decide: a
rice mill buys paddy and sells rice, so its paddy is raw material; a trader buys and sells
the same goods, which are stock-in-trade, i.e. finished goods. `BookReading` collects, as
the items are classified, the goods the book sells (its sales ledgers) and buys or
consumes (its purchase and consumption ledgers), then revises the stock lines whose goods
it finds there. Only suggestions the stock table made by default are revised: a firm's
learned decision, a kind the label names and every other head stand. The same reading
finds a service's revenue in a book with no sales ledger, the trade the revenue names and
its running costs (trade.py: a transporter's toll and drivers), and fuel bought by a firm
that sells none (its power and fuel).

The pipeline's classify step reads a book in chunks, so the reading is fed chunk by chunk
and revised once at the end; `classify_book` does both for a caller holding the book.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal

from projects.cma.classify.confidence import GUESS_BELOW
from projects.cma.classify.decide import Learned, classify_all
from projects.cma.classify.normalize import normalize_label, padded_words
from projects.cma.classify.sections import Section, section_of
from projects.cma.classify.stock import names_stock_kind
from projects.cma.classify.trade import fuels, trade_cost, trade_of
from projects.cma.records import ExtractedItem, Suggestion

# The heads whose ledgers say what the book sells, and buys or uses up.
_SOLD_HEADS = frozenset({"sales_domestic", "sales_export"})
_BOUGHT_HEADS = frozenset({"purchases_rm", "rm_consumed"})
# Costs only a maker has: a book with none of them is a trader's, whose stock is the goods
# it sells (stock-in-trade: finished goods).
# (Not stores and spares: a dealer buys spares to sell them. Not power and fuel: a shop
# and an office pay for electricity too. Not bringing goods in and handling them
# (freight inward, carriage, porters, packing): a trader's godown has them as a mill does.)
_MAKING_HEADS = frozenset({"rm_consumed", "direct_labour", "other_mfg_expenses"})
_CARRYING = (
    " freight ", " carriage ", " cartage ", " transport ", " octroi ", " hamali ",
    " palledari ", " loading ", " unloading ", " coolie ", " porterage ", " mathadi ",
    " packing ",
)  # fmt: skip
# Stores and spares, as the wording reads them, that a dealer may be selling.
_SPARES = {"inventory_spares": "inventory_fg", "spares_consumed": "purchases_rm"}
# How many sure making costs show a maker; a book with one is left undecided.
MAKER_LEDGERS = 2
# A stock line's default kind (stock.py) and what each finding makes of it.
_DEFAULT_KIND = {"inventory_rm": "inventory_fg", "opening_stock_rm": "opening_stock_fg"}
# How sure a revision is: the goods named in the sales ledgers, or in the purchases alone.
# Both are below the named-kind stock line's 0.9-0.95 (stock.py): the link is a word shared
# between two ledgers, which a CA confirms more readily than they would a guess.
SOLD_CONFIDENCE = 0.85
BOUGHT_CONFIDENCE = 0.85
TRADED_CONFIDENCE = 0.75  # a trader's: the absence of making costs is weaker evidence
# A trader's stock of goods its ledgers do not name: weaker still, yet a trader's stock is
# what it sells (stock-in-trade) whatever the goods.
TRADER_STOCK_CONFIDENCE = 0.72
# A running cost of the book's trade (trade.py), and fuel bought by a firm that does not
# sell it: read from the rest of the book, as a CA reads it.
TRADE_CONFIDENCE = 0.80
FUEL_CONFIDENCE = 0.75  # a maker may use coal as material
# A book with no sales ledger sells a service: its fees, charges and receipts are its
# revenue ("Storage Rent Received" of a cold storage, "Freight Receipts" of a
# transporter), which the words alone read as other income.
SERVICE_CONFIDENCE = 0.80
_OTHER_INCOME = frozenset({"non_operating_income", "other_operating_income"})
# In the rules' view (stemmed, padded): what a service's revenue is called ...
_EARNED = (
    " fee ", " charge received ", " charge recovered ", " commission received ",
    " commission income ", " receipt ", " revenue ", " billing ", " income ", " bill ",
    " rent received ", " commission ", " brokerage ", " aadhat ", " arhat ", " adat ",
    " dalali ",
)  # fmt: skip
# ... and what is income but never a business's revenue, or a maker's by-line.
_NOT_EARNED = (
    " interest ", " dividend ", " discount ", " profit ", " gain ", " exchange ", " rebate ",
    " subsidy ", " claim ", " insurance ", " scrap ", " other ", " miscellaneous ",
    " refund ", " written back ", " write back ", " sundry ", " incentive ", " drawback ",
    " job work ", " jobwork ", " processing ", " conversion ", " labour ", " tax ",
    " asset ", " investment ", " deposit ", " prior period ", " excess ", " provision ",
)  # fmt: skip
# Words that say how a ledger is kept, not what goods it is for.
_NOT_GOODS = frozenset(
    {
        "sale", "sales", "purchase", "purchases", "return", "returns", "domestic", "export",
        "exports", "local", "interstate", "intrastate", "inter", "intra", "state",
        "central", "gst", "igst", "cgst", "sgst", "utgst", "vat", "cst", "exempt",
        "exempted", "taxable", "nil", "zero", "rated", "percent", "of", "and", "the", "a",
        "an", "to", "by", "from", "for", "in", "at", "on", "with", "within", "outside",
        "account", "income", "receipt", "receipts", "consumed", "consumption", "stock",
        "stocks", "closing", "opening", "inventory", "inventories", "hand", "balance",
        "value", "valued", "cost", "less", "add", "year", "end", "beginning", "godown",
        "site", "cls", "op", "material", "raw", "finished", "goods", "good", "trade",
        "trading", "net", "gross", "total", "other", "others", "misc", "miscellaneous",
        "cash", "credit", "store",
    }
)  # fmt: skip


def goods_words(label: str) -> frozenset[str]:
    """The words of a label that may name goods ("Sales - Basmati Rice 5%" -> basmati, rice)."""
    return _goods(padded_words(normalize_label(label)))


def _goods(words: str) -> frozenset[str]:
    return frozenset(
        w for w in words.split() if len(w) > 2 and w not in _NOT_GOODS and not w.isdigit()
    )


@dataclass
class BookReading:
    """The goods a book sells and buys, and its stock lines of no stated kind."""

    sold: list[tuple[frozenset[str], str]] = field(default_factory=list)
    bought: list[tuple[frozenset[str], str]] = field(default_factory=list)
    stock: list[tuple[int, frozenset[str], Suggestion]] = field(default_factory=list)
    # Stores and spares lines, each with whether its group is a purchase group.
    spares: list[tuple[int, frozenset[str], Suggestion, bool]] = field(default_factory=list)
    making: int = 0  # sure making costs seen
    sells: bool = False  # a sales ledger seen
    # What would be a service's revenue, read as other income.
    earned: list[tuple[int, Suggestion]] = field(default_factory=list)
    # The words of the revenue ledgers (sales), and of what would be a service's revenue.
    revenue: list[str] = field(default_factory=list)
    earned_words: list[str] = field(default_factory=list)
    # Costs read as overheads that a trade may make its own (trade.py), with their words.
    running: list[tuple[int, str, Suggestion]] = field(default_factory=list)
    # Fuel read as a purchase of goods, and a purchase read as fuel: (index, goods, ...).
    fuel_bought: list[tuple[int, Suggestion]] = field(default_factory=list)
    fuel_burnt: list[tuple[int, frozenset[str], Suggestion]] = field(default_factory=list)

    def add(self, index: int, item: ExtractedItem, suggestion: Suggestion) -> None:
        head = suggestion.head
        if head in _MAKING_HEADS and suggestion.confidence >= GUESS_BELOW:
            words = padded_words(normalize_label(item.label))
            self.making += not any(w in words for w in _CARRYING)
        if head in _SOLD_HEADS and item.side == "Cr":
            self.sells = True
            self.revenue.append(padded_words(normalize_label(item.label)))
            if goods := goods_words(item.label):
                self.sold.append((goods, item.label))
        elif head in _BOUGHT_HEADS and item.side == "Dr":
            if goods := goods_words(item.label):
                self.bought.append((goods, item.label))
                if head == "purchases_rm" and suggestion.method != "learned" and fuels(goods):
                    hint = _group(item)
                    if hint is None or hint.dr != "purchases_rm":  # the firm's own purchase
                        self.fuel_bought.append((index, suggestion))
        elif suggestion.method == "learned":
            return  # the firm's decision stands
        elif head == "sga_expenses" and item.side == "Dr":
            hint = _group(item)
            if hint is None or hint.kind != "indirect":  # a group that says overheads stands
                self.running.append((index, padded_words(normalize_label(item.label)), suggestion))
        elif head == "power_fuel" and item.side == "Dr":
            words = padded_words(normalize_label(item.label))
            if " purchase " in words and (goods := _goods(words)) and fuels(goods):
                self.fuel_burnt.append((index, goods, suggestion))
        elif head in _DEFAULT_KIND:
            words = padded_words(normalize_label(item.label))
            # Plain "Stock" or "Closing Stock" keeps the stock table's convention (raw
            # material, as the samples' answer key has a trader's "Stock of Goods").
            if not names_stock_kind(words) and (goods := _goods(words)):
                self.stock.append((index, goods, suggestion))
        elif head in _OTHER_INCOME and item.side == "Cr":
            words = padded_words(normalize_label(item.label))
            if any(p in words for p in _EARNED) and not any(p in words for p in _NOT_EARNED):
                self.earned.append((index, suggestion))
                self.earned_words.append(words)
        elif head in _SPARES and item.side == "Dr":
            words = padded_words(normalize_label(item.label))
            purchase = head != "spares_consumed" or " purchase " in words
            if purchase and (goods := _goods(words)):
                hint = _group(item)
                bought_group = hint is not None and hint.dr == "purchases_rm"
                self.spares.append((index, goods, suggestion, bought_group))

    def revised(self) -> dict[int, Suggestion]:
        """What the rest of the book decides, by index: stock lines of no stated kind, a
        dealer's spares, and a service's revenue read as other income."""
        out: dict[int, Suggestion] = {}
        maker = self.making >= MAKER_LEDGERS
        trader = self.making == 0
        sold_by_word, bought_by_word = _by_word(self.sold), _by_word(self.bought)
        sold_words = frozenset().union(*(goods for goods, _ in self.sold))
        for index, words, suggestion in self.stock:
            sold = _containing(words, self.sold, sold_by_word)
            bought = _containing(words, self.bought, bought_by_word)
            if words and not sold and not bought and words <= sold_words:
                # "Broken Rice & Bran" beside "Sale of Broken Rice" and "Sale of Rice Bran".
                sold = [(words, " / ".join(label for g, label in self.sold if g & words))]
            # The same goods bought and sold as they are: a trade in them.
            traded = next((b for s, _ in sold for n, b in bought if s == n), None)
            default = suggestion.head or ""
            if traded is not None or (sold and not bought):
                # Sold, whether made or bought for resale: finished goods (stock-in-trade).
                head, confidence = _DEFAULT_KIND[default], SOLD_CONFIDENCE
                why = f"the books sell these goods ('{(sold[0][1])}')"
            elif bought and not sold and maker:
                head, confidence = default, BOUGHT_CONFIDENCE
                why = f"the books buy these goods to make others ('{bought[0][1]}')"
            elif bought and not sold and trader:
                head, confidence = _DEFAULT_KIND[default], TRADED_CONFIDENCE
                why = f"the books buy these goods ('{bought[0][1]}') and make nothing"
            elif not bought and not sold and trader and self.sells:
                head, confidence = _DEFAULT_KIND[default], TRADER_STOCK_CONFIDENCE
                why = "the books sell goods and make nothing: a trader's stock is stock-in-trade"
            else:
                continue  # sold and bought in other forms, or a book that says too little
            confidence = max(suggestion.confidence, confidence)
            out[index] = _revised(suggestion, head, confidence, why)
        # A dealer's spares, lubricants or accessories are the goods it sells: a book that
        # sells them and makes nothing, or buys them under its purchase accounts.
        sold_spares = [
            (index, suggestion, bought_group, sold[0][1])
            for index, words, suggestion, bought_group in self.spares
            if (sold := _containing(words, self.sold, sold_by_word))
        ]
        dealer = self.making < MAKER_LEDGERS or any(group for _, _, group, _ in sold_spares)
        for index, suggestion, _, sale in sold_spares if dealer else ():
            head = _SPARES[suggestion.head or ""]
            confidence = max(suggestion.confidence, SOLD_CONFIDENCE)
            why = f"the books sell these goods ('{sale}'): a dealer's stock"
            out[index] = _revised(suggestion, head, confidence, why)
        # No sales ledger: what the book earns is its revenue from a service.
        for index, suggestion in () if self.sells else self.earned:
            why = "the books have no sales ledger: fees and charges are a service's sales"
            confidence = max(suggestion.confidence, SERVICE_CONFIDENCE)
            out[index] = _revised(suggestion, "sales_domestic", confidence, why)
        out.update(self._trade_costs())
        out.update(self._fuel())
        return out

    def _trade_costs(self) -> dict[int, Suggestion]:
        """The running costs of the trade the book's revenue names (trade.py)."""
        trade = trade_of(self.revenue if self.sells else self.earned_words)
        if trade is None:
            return {}
        out: dict[int, Suggestion] = {}
        for index, words, suggestion in self.running:
            if head := trade_cost(trade, words):
                why = f"the books' revenue is a trade that {trade.name}: this is its running cost"
                out[index] = _revised(suggestion, head, TRADE_CONFIDENCE, why)
        return out

    def _fuel(self) -> dict[int, Suggestion]:
        """Fuel bought: the firm's fuel unless the books sell it, goods for sale if they do."""
        if not self.sells:
            return {}  # nothing sold to tell a fuel dealer from a firm burning it
        sold = {fuel: label for goods, label in self.sold for fuel in fuels(goods)}
        out: dict[int, Suggestion] = {}
        # A book selling any fuel is a fuel dealer's ("Sale - HSD" beside "Petrol Purchase"):
        # what it buys of any fuel is its goods.
        for index, suggestion in () if sold else self.fuel_bought:
            why = "the books sell no fuel: what they buy of it is burnt, not bought for sale"
            out[index] = _revised(suggestion, "power_fuel", FUEL_CONFIDENCE, why)
        for index, goods, suggestion in self.fuel_burnt:
            if sale := next((sold[f] for f in sorted(fuels(goods)) if f in sold), None):
                why = f"the books sell this fuel ('{sale}'): bought for sale"
                confidence = max(suggestion.confidence, SOLD_CONFIDENCE)
                out[index] = _revised(suggestion, "purchases_rm", confidence, why)
        return out


def _group(item: ExtractedItem) -> Section | None:
    """What the item's group says, None without one."""
    return section_of(item.section) if item.section else None


def _revised(suggestion: Suggestion, head: str, confidence: float, why: str) -> Suggestion:
    others = [(h, c) for h, c in suggestion.alternatives if h != head]
    if head != suggestion.head:
        others.insert(0, (suggestion.head or "", suggestion.confidence))
    return replace(
        suggestion,
        head=head,
        confidence=round(confidence, 4),
        method="book",
        alternatives=tuple(others[:3]),
        evidence=(why, *suggestion.evidence),
    )


def _by_word(ledgers: list[tuple[frozenset[str], str]]) -> dict[str, list[int]]:
    index: dict[str, list[int]] = {}
    for position, (words, _) in enumerate(ledgers):
        for word in words:
            index.setdefault(word, []).append(position)
    return index


def _containing(
    words: frozenset[str], ledgers: list[tuple[frozenset[str], str]], by_word: dict[str, list[int]]
) -> list[tuple[frozenset[str], str]]:
    """The ledgers whose goods words hold all of `words` (read through the rarest word)."""
    rarest = min(words, key=lambda w: len(by_word.get(w, ())))
    return [ledgers[p] for p in by_word.get(rarest, ()) if words <= ledgers[p][0]]


def classify_book(
    items: Sequence[ExtractedItem],
    *,
    learned: Learned | None = None,
    book_totals: Mapping[str, Decimal] | None = None,
) -> list[Suggestion]:
    """`classify_all` for a whole book, its stock lines then read against the rest."""
    suggestions = classify_all(items, learned=learned, book_totals=book_totals)
    reading = BookReading()
    for index, (item, suggestion) in enumerate(zip(items, suggestions, strict=True)):
        reading.add(index, item, suggestion)
    for index, suggestion in reading.revised().items():
        suggestions[index] = suggestion
    return suggestions
