"""The confidence constants the classifier shares: what a learned label is worth, the
penalties for a balance on the unusual side and for a rule its section contradicts, and
the inventory heads (closing stock), which stock, sections and learned labels treat apart.
"""

LEARNED_CONFIDENCE = 0.99
# A balance on the side its head does not normally carry: a salary ledger in credit, a
# cash balance in credit. Usually a payable, a reversal or a mistake: the CA looks.
WRONG_SIDE_FACTOR = 0.7
# A rule whose head the item's section rules out ("Sundry Debtors" group, rule says
# stores): the party was named like an expense; trust the group, but let a CA look.
SECTION_CONFLICT_FACTOR = 0.6
# A label this sure is not overridden by a group caption that rules its head out (only a
# party group, Sundry Debtors or a bank, overrides it): it is doubted instead.
CERTAIN = 0.9
# An income or expense label under a balance-sheet group: the amount owed or prepaid for
# it ("Audit Fees" under liabilities), at most this sure.
OWED_CONFIDENCE = 0.75
# A balance still owed or due ("Commission Payable", "Job Work Charges Receivable") is a
# balance-sheet item whatever it is for: a rule for the P&L item yields to the later ones.
BALANCE_WORDS = frozenset({"payable", "outstanding", "receivable", "accrued", "prepaid",
                           "recoverable"})  # fmt: skip
# A label that starts "Advance ..." or "Prepaid ..." is paid ahead for what follows
# ("Advance Professional Tax"): a balance, not the expense.
AHEAD_WORDS = frozenset({"advance", "prepaid"})
# A rule's head that is also the head its group gives (GST input under Duties & Taxes):
# on the development sources (gnucash_en_in, gnukhata, tally_teaching_pn) rule answers
# at 0.7-0.9 with a group were right 34 times of 35, more often than they said, so an
# agreement gains this much, up to the cap.
AGREEMENT_BONUS = 0.1
AGREEMENT_CAP = 0.93

# A rule for a label's head noun chosen over an earlier rule that matched only a modifier
# ("Debenture Redemption Reserve": the reserve, not the debentures).
HEAD_NOUN_FACTOR = 0.95
# Only a modifier matched ("Xyz Export Charges Recovered" with no rule for the head): at
# most this, below the review line.
MODIFIER_ONLY_CONFIDENCE = 0.6

# The headings of cost of sales in the rules' view (stemmed): one noun whose "of" is no
# cut (`headnoun`), and a factory word that makes a cost a manufacturing one (`decide`).
COST_OF_SALES_PHRASES = ("cost of sale", "cost of good sold", "cost of revenue")

INVENTORY_HEADS = frozenset({"inventory_rm", "inventory_wip", "inventory_fg", "inventory_spares"})

# How a head was found (LineItem.method), as a CA reads it on the line-items page.
METHOD_LABELS = {
    "learned": "Firm's earlier decision",
    "synonym": "Ledger name",
    "fuzzy": "Ledger name, misspelt",
    "section": "Group it sat under",
    "model": "Name, group and side (learned model)",
    "book": "Name, and what else the client's books hold",
}
# Words that place a cost in the factory ("Rent - Factory", "Die Repairing"): a rule's
# head under a manufacturing group is then the one it takes.
FACTORY_WORDS = (
    "factory", "plant", "machinery", "works", "production", "manufacturing", "mill",
    "workshop",
    # Production equipment: its repairs and running are the factory's.
    "die", "mould", "mold", "loom", "kiln", "furnace", "boiler", "lathe", "cnc", "expeller",
    "crusher", "compressor", "machine", "press tool", "pattern", "roller",
    # Extraction: a mine's or quarry's royalty and upkeep are its cost of production.
    "mine", "mining", "mineral", "quarry",
)  # fmt: skip
