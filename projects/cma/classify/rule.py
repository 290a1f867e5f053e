"""One rule of the table (`Rule`) and its shorthand constructor `R`, which turns the
table's "a|b" phrase strings into padded phrases in the rules' view of a label.
"""

from __future__ import annotations

from dataclasses import dataclass

from projects.cma.classify.normalize import padded_phrase


@dataclass(frozen=True, slots=True)
class Rule:
    any: tuple[str, ...]  # padded phrases, one of which must occur in the label
    also: tuple[tuple[str, ...], ...]  # groups; each must have a phrase in the label
    unless: tuple[str, ...]  # none of these may occur
    dr: str | None  # head when the balance is a debit (None: the rule does not apply)
    cr: str | None
    conf_dr: float
    conf_cr: float
    fixed: bool  # one head for both sides: the side its head does not carry is penalised
    exact: bool  # the phrase must be the whole label
    basis: str | None  # only for items of this basis
    alts: tuple[str, ...]
    direct: str | None  # the head under a "Direct Expenses"/manufacturing section
    indirect: str | None  # the head under an "Indirect Expenses"/administrative section
    sales: str | None  # the head of a credit under a "Sales Accounts"/revenue section

    def matches(self, words: str) -> bool:
        # Plain loops, not any()/all() over generators: every label tries several rules,
        # and the generators cost more than the substring tests.
        if self.exact:
            if words not in self.any:
                return False
        else:
            for phrase in self.any:
                if phrase in words:
                    break
            else:
                return False
        for phrase in self.unless:
            if phrase in words:
                return False
        for group in self.also:
            for phrase in group:
                if phrase in words:
                    break
            else:
                return False
        return True


def R(
    when: str,
    head: str | None = None,
    *,
    dr: str | None = None,
    cr: str | None = None,
    c: float = 0.93,
    cdr: float | None = None,
    ccr: float | None = None,
    also: str = "",
    unless: str = "",
    alts: str = "",
    exact: bool = False,
    either: bool = False,
    basis: str | None = None,
    direct: str | None = None,
    indirect: str | None = None,
    sales: str | None = None,
) -> Rule:
    """One rule: `when` phrases ("a|b"), `also` groups ("a|b;c"), `unless` phrases.

    `head` gives one head for both sides (penalised on the side it does not carry unless
    `either`); `dr`/`cr` give side-specific heads.
    """
    fixed = head is not None and not either
    return Rule(
        any=tuple(padded_phrase(p) for p in when.split("|")),
        also=tuple(tuple(padded_phrase(p) for p in g.split("|")) for g in also.split(";") if g),
        unless=tuple(padded_phrase(p) for p in unless.split("|") if p),
        dr=head if head is not None else dr,
        cr=head if head is not None else cr,
        conf_dr=cdr if cdr is not None else c,
        conf_cr=ccr if ccr is not None else c,
        fixed=fixed,
        exact=exact,
        basis=basis,
        alts=tuple(a for a in alts.split() if a),
        direct=direct,
        indirect=indirect,
        sales=sales,
    )
