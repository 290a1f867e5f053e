"""The whole rule table, `RULES` (the two parts in order), and its index by first word,
so that a label only tries the rules one of whose phrases could start in it.
"""

from __future__ import annotations

from projects.cma.classify.rule import Rule
from projects.cma.classify.rules_bs import BS_RULES
from projects.cma.classify.rules_pl import PL_RULES

# --------------------------------------------------------------------------------------
# The rule table.
# --------------------------------------------------------------------------------------

# Specific before generic: the first matching rule wins.
RULES: tuple[Rule, ...] = (*PL_RULES, *BS_RULES)

# A rule is only tried when one of its first words is in the label.
RULE_INDEX: dict[str, list[int]] = {}
for _i, _rule in enumerate(RULES):
    for _first in {p.split()[0] for p in _rule.any if p.strip()}:
        RULE_INDEX.setdefault(_first, []).append(_i)
