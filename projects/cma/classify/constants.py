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

INVENTORY_HEADS = frozenset({"inventory_rm", "inventory_wip", "inventory_fg", "inventory_spares"})

# How a head was found (LineItem.method), as a CA reads it on the line-items page.
METHOD_LABELS = {
    "learned": "Firm's earlier decision",
    "synonym": "Ledger name",
    "fuzzy": "Ledger name, misspelt",
    "section": "Group it sat under",
    "model": "Name, group and side (learned model)",
}
