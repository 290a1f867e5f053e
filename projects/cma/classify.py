"""Classify line items (ledgers, statement lines) into CMA heads, with an honest confidence.

Order of evidence, strongest first:

1. the firm's learned labels: a CA's earlier decision for the same normalized label and
   side (0.99, "learned");
2. a curated, ordered rule table of Indian ledger and Schedule III wording, aware of the
   side ("synonym"): the first rule whose phrases occur in the label wins, so specific
   wording ("interest on CC", "provision for depreciation") sits above generic wording
   ("cc", "depreciation");
3. fuzzy matching ("fuzzy"): first misspelt words are corrected against the rules'
   vocabulary and the rules re-run, then the whole label is compared with every head's
   synonyms;
4. the section or Tally group the item sat under ("section"), low confidence;
5. nothing: head None, confidence 0, "none".

Confidence decides what a CA reviews (below 0.70 by default), so it is kept honest: a
wording that needs a guess (plain "Freight": inward or outward?) stays below 0.70, a
balance on the side its head does not normally carry is penalised, and so is a rule that
contradicts the item's section.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz, process

from projects.cma.heads import HEADS, HEADS_BY_ID
from projects.cma.records import ExtractedItem, Side, Suggestion

LEARNED_CONFIDENCE = 0.99
# A balance on the side its head does not normally carry: a salary ledger in credit, a
# cash balance in credit. Usually a payable, a reversal or a mistake: the CA looks.
WRONG_SIDE_FACTOR = 0.7
# A rule whose head the item's section rules out ("Sundry Debtors" group, rule says
# stores): the party was named like an expense; trust the group, but let a CA look.
SECTION_CONFLICT_FACTOR = 0.6

INVENTORY_HEADS = frozenset({"inventory_rm", "inventory_wip", "inventory_fg", "inventory_spares"})

# --------------------------------------------------------------------------------------
# normalize_label: the stored key of learned labels. It must never change behaviour once
# labels are stored, so it does only what makes two spellings of one ledger equal, with
# frozen word lists; the richer, evolving view the rules use is _words() below.
# --------------------------------------------------------------------------------------

_HONORIFICS = frozenset({"mr", "mrs", "ms", "miss", "shri", "smt", "sri", "kumari", "late"})
# A tail after these is one person's instance of a per-person ledger ("Partner Capital -
# R. Mehta", "Loan from Director - Mr. X"): collapsing it lets a CA's decision on one
# partner apply to the others. Without such a word (or an honorific) a tail stays,
# because it usually carries meaning ("Sales - Export", "Deposit - Electricity").
_PERSON_LEDGER_WORDS = frozenset(
    {
        "capital", "drawing", "drawings", "partner", "partners", "proprietor", "proprietors",
        "director", "directors", "relative", "relatives", "shareholder", "shareholders",
    }
)  # fmt: skip
# Words that show a tail is not a person's name (a firm, a lender, a stock marker).
_NOT_NAME_WORDS = frozenset(
    {
        "account", "accounts", "and", "bank", "bros", "brothers", "capital", "closing", "co",
        "company", "corporation", "current", "enterprises", "finance", "financial", "fixed",
        "fund", "huf", "india", "industries", "interest", "limited", "llp", "loan", "ltd",
        "opening", "private", "pvt", "remuneration", "salary", "savings", "sons", "stock",
        "traders", "trust",
    }
)  # fmt: skip
_SEPARATOR = re.compile(
    r"\s[-\u2013\u2014]\s|[:(\[]|\s[-\u2013\u2014](?=\S)|(?<=\S)[-\u2013\u2014]\s"
)
_SLASH_WORDS = (
    (re.compile(r"\ba\s*[/\\]\s*cs?\b\.?|\baccts?\b\.?"), " account "),
    (re.compile(r"\bo\s*/\s*d\b"), " od "),
    (re.compile(r"\bc\s*/\s*c\b"), " cc "),
    (re.compile(r"\bo\s*/\s*s\b"), " outstanding "),
    (re.compile(r"\bw\s*/\s*o\b"), " written off "),
    (re.compile(r"\bp\s*(?:/|and)\s*l\b"), " profit and loss "),
)
# "T.D.S.", "S.B.I.", "C.C." -> "tds", "sbi", "cc": two or more single letters with dots.
_INITIALISM = re.compile(r"\b(?:[^\W\d_]\.){2,}(?:[^\W\d_]\b)?")
_ENUMERATION = re.compile(r"^\s*(?:\(?\d{1,3}[.)]|\(?[a-h]\)|\(?[ivx]{1,4}[.)])\s+")
_YEAR = re.compile(
    r"\b(?:f\s*\.?\s*y|a\s*\.?\s*y)\.?\s*(?=\d)|\b(?:19|20)\d{2}\s*[-/\u2013]\s*(?:19|20)?\d{2}\b"
    r"|\b(?:19|20)\d{2}\b"
)
_ACCOUNT_NUMBER = re.compile(r"\b(?:no|number|num)?\.?\s*#?\s*(?:\d{5,}|x{2,}\d+)\b")
_NON_WORD = re.compile(r"[\W_]+")
_DIGIT = re.compile(r"\d")


def _is_person_tail(head_part: str, tail: str) -> bool:
    words = re.findall(r"[^\W_]+", tail)
    if not 1 <= len(words) <= 5 or any(w.isdigit() for w in words):
        return False
    honorific = words[0] in _HONORIFICS
    names = [w for w in words if w not in _HONORIFICS]
    if not names or any(w in _NOT_NAME_WORDS or not w.isalpha() for w in names):
        return False
    return honorific or bool(_PERSON_LEDGER_WORDS & set(re.findall(r"[^\W_]+", head_part)))


@lru_cache(maxsize=65536)
def normalize_label(label: str) -> str:
    """The key a label is learned under: "Partner Capital - R. Mehta" -> "partner capital".

    Lowercase; "&" -> "and"; "a/c", "acct" -> "account"; "o/d", "c/c", "o/s", "w/o", "p&l"
    spelt out; dotted initialisms joined ("T.D.S." -> "tds"); apostrophes, punctuation,
    leading enumerations ("1.", "(a)"), years ("FY 2023-24") and account numbers (5+
    digits) dropped; a trailing "account" dropped (not in "current/savings account").

    A personal-name tail after " - ", ":" or "(" is dropped only where that is safe: it
    starts with an honorific (Mr, Smt, Shri...) or the ledger is a per-person kind
    (capital, drawings, partner, director, relative), and the tail has no digits and no
    firm or accounting word ("Vehicle Loan - Tata Capital" keeps its lender). So one CA
    decision covers every partner's capital account, and the key never depends on the
    rule table below (it is stored; changing it would orphan learned labels).
    """
    text = unicodedata.normalize("NFKC", label).casefold()
    text = text.replace("\u2019", "").replace("'", "").replace("`", "")
    text = text.replace("&", " and ")
    if "/" in text or "\\" in text or "acct" in text or " and " in text:
        for pattern, replacement in _SLASH_WORDS:
            text = pattern.sub(replacement, text)
    if "." in text:
        text = _INITIALISM.sub(lambda m: " " + m.group().replace(".", "") + " ", text)
    if _DIGIT.search(text):  # most labels have none: skip three regexes
        text = _ENUMERATION.sub(" ", text)
        text = _YEAR.sub(" ", text)
        text = _ACCOUNT_NUMBER.sub(" ", text)
    elif text.lstrip().startswith("("):
        text = _ENUMERATION.sub(" ", text)
    separator = _SEPARATOR.search(text)
    if separator and separator.start() > 0:
        head_part, tail = text[: separator.start()], text[separator.end() :]
        if _is_person_tail(head_part, tail):
            text = head_part
    words = _NON_WORD.sub(" ", text).split()
    if len(words) > 1 and words[0] in {"to", "by"} and words[1] not in {"product", "products"}:
        words = words[1:]  # "To Salary", "By Sales": a P&L account's narration style
    while len(words) > 1 and words[-1] == "account" and words[-2] not in {"current", "savings"}:
        words.pop()
    return " ".join(words)


# --------------------------------------------------------------------------------------
# The rules' view of a label: abbreviations spelt out, plurals folded. Free to evolve
# (nothing stored depends on it), and a pure function of the normalized label, so
# results can be cached by it.
# --------------------------------------------------------------------------------------

_ABBREVIATIONS: dict[str, str] = {
    "exp": "expense", "exps": "expense", "expn": "expense", "expns": "expense",
    "expence": "expense", "expences": "expense", "expenditure": "expense",
    "chg": "charge", "chgs": "charge", "chrg": "charge", "chrgs": "charge",
    "dep": "depreciation", "depn": "depreciation", "depr": "depreciation",
    "deprn": "depreciation", "depriciation": "depreciation", "amortization": "amortisation",
    "int": "interest", "intt": "interest", "prov": "provision", "provn": "provision",
    "adv": "advance", "advn": "advance", "advt": "advertisement",
    "advertisment": "advertisement", "advertising": "advertisement",
    "recd": "received", "rcvd": "received", "recvd": "received", "receivables": "receivable",
    "misc": "miscellaneous", "miscl": "miscellaneous", "govt": "government",
    "tel": "telephone", "tele": "telephone", "conv": "conveyance",
    "conveyence": "conveyance", "stationary": "stationery", "ptg": "printing",
    "maint": "maintenance", "mtc": "maintenance", "mtce": "maintenance",
    "maintainance": "maintenance", "maintanance": "maintenance",
    "pur": "purchase", "purch": "purchase", "elec": "electricity", "elect": "electricity",
    "electricty": "electricity", "tpt": "transport", "transportation": "transport",
    "pvt": "private", "ltd": "limited", "coop": "cooperative", "sb": "savings",
    "saving": "savings", "fd": "fixed deposit", "fdr": "fixed deposit",
    "fds": "fixed deposit", "fdrs": "fixed deposit", "cwip": "capital work in progress",
    "wip": "work in progress", "fg": "finished good", "rm": "raw material",
    "epf": "pf", "epfo": "pf", "esic": "esi", "ppe": "property plant and equipment",
    "cgst": "gst", "sgst": "gst", "igst": "gst", "utgst": "gst",
    "itc": "input tax credit", "tl": "term loan", "occ": "cc", "eclgs": "gecl",
    "mf": "mutual fund", "dtl": "deferred tax liability", "dta": "deferred tax asset",
    "op": "opening", "opg": "opening", "cl": "closing", "clg": "closing", "stk": "stock",
    "sec": "security", "dir": "director", "dirs": "director", "bal": "balance",
    "inventories": "inventory", "taxes": "tax", "wages": "wage", "mould": "mould",
    "dies": "die", "sundries": "sundry", "progre": "progress", "pnl": "profit and loss",
    "acc": "accumulated", "accum": "accumulated", "drs": "debtor", "crs": "creditor",
    "kharch": "expense", "kharcha": "expense", "aavak": "income", "avak": "income",
    "majduri": "majdoori", "mazduri": "majdoori",
}  # fmt: skip
_NO_STEM = frozenset({"tds", "tcs", "gas", "bus", "ltds", "mls", "cess", "lakhs"})


@lru_cache(maxsize=8192)
def _stem(word: str) -> str:
    word = _ABBREVIATIONS.get(word, word)
    if " " in word or word in _NO_STEM or word.isdigit():
        return word
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) >= 4 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        word = word[:-1]
        return _ABBREVIATIONS.get(word, word)
    return word


# Schedule III qualifiers that say nothing about the head ("unsecured, considered good").
_QUALIFIERS = (" considered good ", " considered doubtful ", " credit impaired ")


def _words(normalized: str) -> str:
    """The label as the rules see it, padded with spaces: " sundry debtor "."""
    words = " " + " ".join(_stem(w) for w in normalized.split()) + " "
    for qualifier in _QUALIFIERS:
        words = words.replace(qualifier, " ")
    return words


def _phrase(text: str) -> str:
    return _words(normalize_label(text))


# --------------------------------------------------------------------------------------
# The rule table.
# --------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Rule:
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

    def matches(self, words: str) -> bool:
        if self.exact:
            if words not in self.any:
                return False
        elif not any(p in words for p in self.any):
            return False
        if any(p in words for p in self.unless):
            return False
        return all(any(p in words for p in group) for group in self.also)


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
) -> _Rule:
    """One rule: `when` phrases ("a|b"), `also` groups ("a|b;c"), `unless` phrases.

    `head` gives one head for both sides (penalised on the side it does not carry unless
    `either`); `dr`/`cr` give side-specific heads.
    """
    fixed = head is not None and not either
    return _Rule(
        any=tuple(_phrase(p) for p in when.split("|")),
        also=tuple(tuple(_phrase(p) for p in g.split("|")) for g in also.split(";") if g),
        unless=tuple(_phrase(p) for p in unless.split("|") if p),
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
    )


ST = "statements"
# Wording that makes an asset word a P&L item ("Generator Expenses", "Car Hire Charges").
_PL_WORDS = (
    "expense|charge|fee|paid|payment|income|received|interest|rent|loss|profit|return"
    "|running|repair|maintenance|hire|insurance|fuel|sale|tax|loan|depreciation"
)

# Specific before generic: the first matching rule wins.
# fmt: off
RULES: tuple[_Rule, ...] = (
    # -- Schedule III lines whose meaning differs from the same words in a ledger --------
    R("other income", "non_operating_income", c=0.92, exact=True, basis=ST),
    R("other expense", "sga_expenses", c=0.85, exact=True, basis=ST, alts="other_mfg_expenses"),
    R("employee benefit expense|employee benefit", "sga_expenses", c=0.85, basis=ST,
      alts="direct_labour"),
    R("short term provision", "provision_for_tax", c=0.72, basis=ST,
      alts="other_current_liabilities"),
    R("capital work in progress", "net_block", c=0.85, basis=ST, alts="gross_block"),
    R("property plant and equipment|tangible asset|fixed asset", "net_block", c=0.93, basis=ST,
      alts="gross_block"),
    R("tax expense|current tax|deferred tax|income tax expense|tax for earlier year",
      "tax_provision", c=0.95, either=True, basis=ST, unless="asset|liability"),
    R("inventory", "inventory_rm", c=0.6, exact=True, basis=ST, alts="inventory_fg"),
    # -- inventories moving through the P&L ---------------------------------------------
    R("change in inventory|change in stock|increase decrease in inventory|increase decrease"
      " in stock|decrease increase in inventory|decrease increase in stock|change in"
      " inventories of finished good", "changes_in_inventories", c=0.96, either=True),
    R("cost of material consumed|raw material consumed|material consumed|consumption of raw"
      " material|consumption of material|raw material consumption|cost of raw material",
      "rm_consumed", c=0.95, unless="packing|packaging"),
    # A "Raw Material" ledger without a closing-stock mark: purchases or stock? A CA says.
    R("raw material", dr="inventory_rm", c=0.6, exact=True,
      alts="purchases_rm rm_consumed"),
    R("cost of good sold|cost of sale", "rm_consumed", c=0.6, alts="purchases_rm"),
    R("purchase of store|store purchase|purchase of consumable|purchase of spare",
      "spares_consumed", c=0.9),
    R("store|spare|consumable|spare part|consumable store", "spares_consumed", c=0.93,
      unless="sale|income|payable|advance|deposit|received"),
    R("packing material|packaging material", "other_mfg_expenses", c=0.62,
      alts="purchases_rm sga_expenses"),
    # -- interest and finance costs ----------------------------------------------------
    R("interest on gst|interest on tds|interest on late payment|interest on income tax"
      "|interest on delayed payment|interest on statutory", dr="interest", c=0.75,
      alts="non_operating_expenses"),
    R("interest accrued|interest receivable|accrued interest|interest due",
      dr="other_current_assets", cr="other_current_liabilities", c=0.9),
    R("interest payable|interest outstanding", dr="other_current_assets",
      cr="other_current_liabilities", cdr=0.55, ccr=0.92),
    R("interest received|interest income|interest earned|interest on fixed deposit|interest"
      " on deposit|interest on income tax refund|interest on it refund|interest on security"
      " deposit|interest from|interest on loan given|interest on investment|interest on"
      " saving|interest on bond|interest on nsc|interest on ppf", dr="interest",
      cr="non_operating_income", cdr=0.55, ccr=0.95),
    R("interest on capital|interest to partner|interest on partner|interest paid to partner"
      "|interest to director|interest to proprietor", "interest", c=0.93),
    R("vyaj|byaj|bank vyaj|vyaj paid|vyaj received", dr="interest",
      cr="non_operating_income", c=0.9),
    R("interest|finance cost|finance charge|financial charge|financial expense|borrowing cost"
      "|bank charge|bank commission|bank guarantee commission|bg commission|lc charge|lc"
      " commission|loan processing|processing fee|bill discounting charge|discounting charge"
      "|commitment charge|bank processing", dr="interest", cr="non_operating_income",
      cdr=0.95, ccr=0.85, alts="sga_expenses non_operating_expenses", unless="tds|tcs"),
    # -- taxes --------------------------------------------------------------------------
    R("deferred tax liability", dr="other_noncurrent_assets", cr="other_term_liabilities",
      cdr=0.6, ccr=0.94),
    R("deferred tax asset", dr="other_noncurrent_assets", cr="other_term_liabilities",
      cdr=0.94, ccr=0.6),
    R("deferred tax", dr="tax_provision", cr="other_term_liabilities", cdr=0.75, ccr=0.75,
      alts="other_noncurrent_assets"),
    R("mat credit", "other_noncurrent_assets", c=0.75, alts="advance_tax"),
    R("tds payable|tcs payable|tds deducted payable|tds on salary payable",
      "statutory_liabilities", c=0.96),
    R("tds receivable|tds recoverable|tcs receivable|tds deducted by|tds refund|tds on fixed"
      " deposit|tds on interest|tds deducted on|tds asset", "advance_tax", c=0.95),
    R("advance tax|advance income tax|self assessment tax|tax paid in advance|prepaid tax",
      "advance_tax", c=0.95),
    R("tds|tcs|tax deducted at source|tax collected at source", dr="advance_tax",
      cr="statutory_liabilities", cdr=0.88, ccr=0.9),
    R("income tax refund|refund of income tax|it refund", "advance_tax", c=0.85,
      alts="other_current_assets"),
    R("provision for tax|provision for income tax|provision for taxation|income tax provision"
      "|provision for current tax|tax provision", dr="tax_provision", cr="provision_for_tax",
      cdr=0.93, ccr=0.95),
    R("current tax liability|income tax liability|tax liability", "provision_for_tax", c=0.85,
      unless="deferred|gst|tds|vat", alts="statutory_liabilities"),
    R("income tax payable|tax payable on income", "provision_for_tax", c=0.85,
      unless="gst|tds|tcs|professional|vat|sale"),
    R("current tax|tax expense|taxes on income|income tax expense|tax for earlier year"
      "|income tax earlier year|short provision for tax|mat", "tax_provision", c=0.93,
      either=True),
    # A proprietor's income tax is drawings, a company's or firm's is tax: a CA decides.
    R("income tax", dr="tax_provision", cr="provision_for_tax", cdr=0.65, ccr=0.8,
      alts="drawings advance_tax"),
    R("late fee|late filing fee|penalty|fine|penal", "non_operating_expenses", c=0.8,
      alts="sga_expenses interest"),
    R("input tax credit|gst input|input gst|gst receivable|gst credit|gst refund|electronic"
      " credit ledger|electronic cash ledger|gst cash ledger|cenvat|vat input|input vat|vat"
      " credit|gst recoverable|balance with gst|input", "other_current_assets", c=0.94,
      also="gst|tax|vat|cenvat|ledger|credit", alts="statutory_liabilities advance_tax"),
    R("gst payable|output gst|gst output|gst liability|vat payable|sale tax payable|cst payable"
      "|excise duty payable|service tax payable|rcm payable|gst rcm|output vat|output tax",
      "statutory_liabilities", c=0.96),
    R("pf payable|provident fund payable|esi payable|professional tax payable|profession tax"
      " payable|pt payable|labour welfare fund payable|lwf payable|employee contribution to"
      " pf|statutory due|statutory liability|statutory payable|duty and tax|esi and pf payable"
      "|pf and esi payable|pf esi payable|bonus and pf payable|government due|statutory"
      " remittance|statutory",
      "statutory_liabilities", c=0.95),
    R("excise duty|gst on sale|tax on sale", dr="duties_on_sales", cr="statutory_liabilities",
      cdr=0.85, ccr=0.6),
    R("gst|vat|cst|service tax|sale tax|cess", dr="other_current_assets",
      cr="statutory_liabilities", cdr=0.78, ccr=0.88, unless="expense|paid|ineligible"),
    R("pf|esi|provident fund|professional tax|profession tax|employee state insurance"
      "|labour welfare fund", dr="sga_expenses", cr="statutory_liabilities", cdr=0.85,
      ccr=0.88, direct="direct_labour", alts="direct_labour"),
    R("customs duty|import duty|basic custom duty", "purchases_rm", c=0.7,
      alts="other_mfg_expenses"),
    # -- depreciation --------------------------------------------------------------------
    R("accumulated depreciation|provision for depreciation|depreciation reserve|depreciation"
      " fund|accumulated amortisation|depreciation to date|less depreciation|accumulated"
      " dep", "accumulated_depreciation", c=0.96),
    R("preliminary expense written off|preliminary expense w o|deferred revenue expense"
      " written off|amortisation of", "depreciation", c=0.75, alts="non_operating_expenses"),
    R("miscellaneous expense asset|miscellaneous expenditure asset", "intangible_assets",
      c=0.85, alts="other_noncurrent_assets"),
    R("not written off|preliminary expense|preoperative expense|pre operative expense|deferred"
      " revenue expense", "intangible_assets", c=0.88, alts="other_noncurrent_assets"),
    R("depreciation|amortisation", dr="depreciation", cr="accumulated_depreciation",
      cdr=0.96, ccr=0.8),
    # -- non-operating items -------------------------------------------------------------
    R("profit on sale|gain on sale|profit on disposal|surplus on sale|profit from sale|gain"
      " on disposal|profit on redemption", dr="non_operating_expenses",
      cr="non_operating_income", cdr=0.7, ccr=0.95),
    R("loss on sale|loss on disposal|loss from sale|asset written off|asset discarded|loss by"
      " fire|loss by theft|loss due to|loss on account of|loss of stock|loss on redemption",
      "non_operating_expenses", c=0.93),
    R("prior period|earlier year", dr="non_operating_expenses", cr="non_operating_income",
      cdr=0.9, ccr=0.85),
    R("exceptional item|extraordinary item", dr="non_operating_expenses",
      cr="non_operating_income", c=0.8),
    R("donation|charity|csr expense|corporate social responsibility|csr", "non_operating_expenses",
      c=0.9, alts="sga_expenses"),
    R("foreign exchange|exchange rate difference|forex|exchange fluctuation|exchange"
      " difference|exchange gain|exchange loss", dr="non_operating_expenses",
      cr="non_operating_income", cdr=0.8, ccr=0.85),
    R("bad debt recovered|bad debt recovery", "non_operating_income", c=0.9),
    R("provision for doubtful debt|provision for bad debt|provision for bad and doubtful"
      "|reserve for doubtful debt|allowance for doubtful|expected credit loss|provision for"
      " doubtful", dr="sga_expenses", cr="receivables_domestic", cdr=0.8, ccr=0.8,
      alts="other_current_liabilities non_operating_expenses"),
    R("bad debt|debt written off|bad and doubtful debt", "sga_expenses", c=0.85,
      alts="non_operating_expenses"),
    R("written back|no longer required|liability written back", "non_operating_income",
      c=0.88),
    R("written off", "non_operating_expenses", c=0.8, alts="sga_expenses"),
    R("round off|rounding off|rounded off|kasar|short and excess|vatav|rounding",
      dr="non_operating_expenses", cr="non_operating_income", c=0.8),
    R("insurance claim|claim received|claim receivable", dr="other_current_assets",
      cr="non_operating_income", c=0.85),
    R("dividend payable|unclaimed dividend|unpaid dividend", "dividend_payable", c=0.95),
    R("dividend received|dividend income|dividend on share|dividend from|dividend on"
      " investment", "non_operating_income", c=0.95),
    R("dividend distribution tax|tax on dividend", "dividend", c=0.8),
    R("proposed dividend", dr="dividend", cr="dividend_payable", c=0.9),
    R("dividend", dr="dividend", cr="non_operating_income", cdr=0.88, ccr=0.85),
    R("rent received|rental income|rent income|lease rent received|rent receipt|rent"
      " recovered|income from rent|income from house property", "non_operating_income",
      c=0.95),
    R("commission received|commission income|brokerage received|brokerage income|commission"
      " earned", "non_operating_income", c=0.85, alts="other_operating_income"),
    R("discount received|discount earned|discount receipt", "non_operating_income", c=0.92,
      alts="purchases_rm"),
    R("discount allowed|discount paid|trade discount|cash discount|rebate and discount"
      "|rebate allowed|discount on sale|rate difference|rebate", dr="sga_expenses",
      cr="non_operating_income", cdr=0.88, ccr=0.75),
    R("discount", dr="sga_expenses", cr="non_operating_income", cdr=0.8, ccr=0.85),
    R("miscellaneous income|other income|sundry income|miscellaneous receipt|income from"
      " other source|non operating income|other non operating income",
      "non_operating_income", c=0.92),
    R("export incentive|duty drawback|drawback|meis|rodtep|rosctl|seis|export benefit|focus"
      " market|duty credit scrip", dr="other_current_assets", cr="other_operating_income",
      cdr=0.85, ccr=0.93),
    R("job work income|job work receipt|job work charge received|labour charge received"
      "|processing charge received|conversion charge received|job charge received|service"
      " charge received|income from job work|job work revenue|fabrication charge received",
      "other_operating_income", c=0.9),
    R("scrap sale|sale of scrap|scrap|wastage sale|sale of waste|sale of by product|by"
      " product sale|waste sale", "other_operating_income", c=0.92),
    R("other operating income|operating income|other operating revenue",
      "other_operating_income", c=0.93),
    R("sale of fixed asset|sale of asset|sale of car|sale of vehicle|sale of machinery|sale of"
      " investment|sale of old", "non_operating_income", c=0.65),
    R("direct income", "other_operating_income", c=0.75, alts="non_operating_income"),
    R("indirect income", "non_operating_income", c=0.85, alts="other_operating_income"),
    R("share of profit|profit from partnership|share in profit|profit from firm",
      dr="non_operating_expenses", cr="non_operating_income", c=0.85),
    R("unbilled revenue|unbilled receivable|accrued revenue|revenue accrued",
      "other_current_assets", c=0.85, alts="receivables_domestic"),
    # -- sales ---------------------------------------------------------------------------
    R("sale promotion|sales promotion|business promotion", "sga_expenses", c=0.93),
    R("freight outward|carriage outward|cartage outward|outward freight|outward carriage"
      "|freight on sale|delivery charge|delivery expense|transport outward|outward transport"
      "|forwarding charge|freight and forwarding|export freight|shipping charge|freight"
      " outwards|freight paid on sale|transport on sale", "sga_expenses", c=0.92),
    R("freight inward|carriage inward|cartage inward|inward freight|inward carriage|freight on"
      " purchase|transport inward|inward transport|octroi|entry tax|freight inwards|cartage"
      " on purchase|transport on purchase", "other_mfg_expenses", c=0.92),
    R("commission|brokerage|dalali", dr="sga_expenses", cr="non_operating_income", cdr=0.9,
      ccr=0.72, alts="other_operating_income"),
    R("export sale|sale export|overseas sale|foreign sale|sale outside india|export of good"
      "|export turnover|export", "sales_export", c=0.95, either=True,
      unless="debtor|receivable|incentive|freight|commission|packing credit|pcfc|payable",
      also="sale|turnover|revenue|export"),
    R("deemed export", "sales_export", c=0.8, alts="sales_domestic"),
    R("sale return|return inward|returns inward|sale returned", "sales_domestic", c=0.88,
      either=True),
    R("purchase return|return outward|returns outward|purchase returned", "purchases_rm",
      c=0.88, either=True),
    R("revenue from operation|sale of product|sale of good|sale of service|service income"
      "|service revenue|income from service|turnover|gross sale|net sale|domestic sale|local"
      " sale|interstate sale|inter state sale|intrastate sale|sale|contract receipt|contract"
      " revenue|contract income|work contract receipt|professional receipt|fee received"
      "|consultancy income|revenue|development income|software income|software service"
      "|it service|subscription income|service receipt", "sales_domestic", c=0.95,
      unless="tax|incentive|commission|salesman|promotion|debtor|receivable|advance|payable"
      "|job work|jobwork"),
    R("purchase of stock in trade|purchase of traded good|purchase of trading good|purchase"
      " of raw material|raw material purchase|purchase|material purchase|import purchase",
      "purchases_rm", c=0.95,
      unless="creditor|advance|payable|return|asset|machinery|capital"),
    # -- creditors for expenses before trade creditors, payables before expenses --------
    R("creditor for expense|creditors for expense|creditor for capital|creditor for service"
      "|creditor for other|creditor for fixed asset|creditor for job work",
      dr="other_current_assets", cr="other_current_liabilities", cdr=0.6, ccr=0.92),
    R("export debtor|foreign debtor|overseas debtor|export receivable|debtor export|export"
      " bill receivable|debtor for export|export customer|foreign customer",
      dr="receivables_export", cr="advances_from_customers", cdr=0.95, ccr=0.85),
    R("sundry debtor|debtor|trade receivable|account receivable|book debt|receivable from"
      " customer|bill receivable|customer", dr="receivables_domestic",
      cr="advances_from_customers", cdr=0.96, ccr=0.9,
      unless="advance from|advance received|deposit"),
    R("sundry creditor|creditor|trade payable|account payable|supplier|bill payable|payable to"
      " supplier", dr="advances_to_suppliers", cr="sundry_creditors", cdr=0.9, ccr=0.96,
      unless="advance to|advance paid|capital"),
    R("provision for gratuity|gratuity payable|provision for leave encashment|long term"
      " provision|provision for employee benefit|provision for retirement|gratuity fund"
      "|provision for superannuation", "other_term_liabilities", c=0.88,
      alts="other_current_liabilities"),
    R("bonus payable|salary payable|wage payable|salary and wage payable|remuneration payable"
      "|unpaid salary|salary outstanding|audit fee payable|rent payable|electricity payable"
      "|telephone payable|expense payable|outstanding expense|expense outstanding"
      "|outstanding liability|accrued expense|accrued liability|provision for expense"
      "|liability for expense|other payable|other liability|other current liability|current"
      " liability|sundry payable|payable|outstanding|provision for bonus|provision for leave"
      "|provision for audit fee|employee benefit payable|due to staff|due to employee",
      dr="other_current_assets", cr="other_current_liabilities", cdr=0.55, ccr=0.92),
    R("provision for warranty|provision", dr="sga_expenses", cr="other_current_liabilities",
      cdr=0.6, ccr=0.8),
    # -- labour and staff ----------------------------------------------------------------
    R("salary and wage|wage and salary", "sga_expenses", c=0.6, alts="direct_labour",
      direct="direct_labour"),
    R("labour welfare|worker welfare", "sga_expenses", c=0.75, alts="direct_labour",
      direct="direct_labour"),
    R("factory salary|factory staff|plant salary|production salary|worker salary|salary to"
      " worker|works salary|factory bonus|production staff|factory employee",
      "direct_labour", c=0.8, alts="sga_expenses"),
    R("salary", "sga_expenses", also="wage", c=0.6, alts="direct_labour",
      direct="direct_labour"),
    R("contribution to provident|contribution to pf|contribution to esi|employer contribution"
      "|contribution to fund|contribution to gratuity|contribution to superannuation",
      "sga_expenses", c=0.9, direct="direct_labour", alts="direct_labour"),
    R("wage|contract labour|labour charge|labour|casual labour|labour payment|hamali|coolie"
      "|cooly|mathadi|loading and unloading|loading unloading|loading charge|unloading"
      " charge|piece rate|production incentive|direct labour|majdoori|mazdoori|karigar"
      "|labour cost|contract worker|palledari|utrai|chadhai|tulai|tolai|weighing charge",
      dr="direct_labour", cr="other_current_liabilities", cdr=0.93, ccr=0.6),
    R("salary|staff cost|employee cost|employee benefit|personnel cost|remuneration|stipend"
      "|leave encashment|bonus|ex gratia|gratuity|staff welfare|employee welfare|welfare"
      "|staff training|recruitment|incentive|leave salary|overtime|staff mess|perquisite"
      "|allowance|hra|conveyance allowance|medical reimbursement", dr="sga_expenses",
      cr="other_current_liabilities", cdr=0.92, ccr=0.6, alts="direct_labour",
      direct="direct_labour", unless="advance|loan"),
    # -- power and fuel ------------------------------------------------------------------
    R("petrol|vehicle fuel|fuel for vehicle|diesel for vehicle|vehicle diesel|car fuel|fuel"
      " for car|fuel and conveyance", "sga_expenses", c=0.85, alts="power_fuel"),
    R("electricity|electric charge|power and fuel|power|fuel|diesel|furnace oil|coal|lignite"
      "|firewood|boiler|generator running|generator fuel|dg set running|dg running|lpg|png"
      "|power charge|mseb|msedcl|bescom|tneb|tangedco|pspcl|uppcl|dhbvn|uhbvn|torrent power"
      "|tata power|adani electricity|cesc|wbsedcl|kseb|tsspdcl|apspdcl|jvvnl|avvnl|pgvcl"
      "|ugvcl|mgvcl|dgvcl|bses|gas consumed|gas charge|husk|briquette|gas cylinder|gas"
      " expense|cooking gas|fuel and oil", "power_fuel",
      c=0.93, unless="deposit|payable|installation|fitting|generator set|advance"),
    # -- manufacturing expenses ----------------------------------------------------------
    R("repair to machinery|repairs to machinery|machinery repair|repair to plant|plant repair"
      "|repair and maintenance plant|repair to plant and machinery|machinery maintenance"
      "|plant and machinery repair|repair machinery|repair and maintenance machinery",
      "other_mfg_expenses", c=0.92),
    R("factory rent|factory expense|factory insurance|factory maintenance|factory lighting"
      "|factory upkeep|factory general|factory overhead|job work charge|job work|jobwork"
      "|job charge|processing charge|conversion charge|manufacturing expense|production"
      " expense|direct expense|other manufacturing expense|testing charge|laboratory|lab"
      " expense|quality control|die and mould expense|mould expense|tool expense|tools"
      " consumed|manufacturing overhead|fabrication charge|machining charge|dyeing|printing"
      " charge|embroidery|stitching|weaving|sizing|knitting|spinning|bleaching|polishing"
      "|cutting charge|electroplating|galvanizing|powder coating|heat treatment|assembling"
      "|sub contract|subcontract|labour job|site expense|contractor charge",
      dr="other_mfg_expenses",
      cr="other_operating_income", cdr=0.9, ccr=0.8),
    R("mandi tax|mandi fee|market fee|apmc|market cess|bardana|gunny bag",
      "other_mfg_expenses", c=0.75, alts="purchases_rm sga_expenses"),
    R("gaadi bhada|gadi bhada|motor bhada|bhada", "sga_expenses", c=0.6,
      alts="other_mfg_expenses", direct="other_mfg_expenses", indirect="sga_expenses"),
    R("generator expense|generator maintenance|dg expense|dg set expense|generator repair",
      "power_fuel", c=0.8, alts="sga_expenses other_mfg_expenses"),
    R("clearing and forwarding|clearing charge|custom clearing|c and f charge",
      "other_mfg_expenses", c=0.62, alts="sga_expenses"),
    R("godown rent|warehouse rent|warehousing", "sga_expenses", c=0.8,
      alts="other_mfg_expenses", direct="other_mfg_expenses", unless="deposit|advance"),
    # -- selling, general and administrative ---------------------------------------------
    R("rent|lease rent|house rent|rent rate and tax|kiraya|dukan bhada|shop bhada",
      dr="sga_expenses", cr="non_operating_income", cdr=0.92, ccr=0.75,
      unless="deposit|advance|prepaid", direct="other_mfg_expenses"),
    R("rate and tax|municipal tax|property tax|trade licence|trade license|licence fee|license"
      " fee|registration fee|renewal fee|roc fee|filing fee|stamp duty|land revenue|shop and"
      " establishment|gram panchayat tax|octroi", "sga_expenses", c=0.92),
    R("audit fee|auditor remuneration|auditors remuneration|payment to auditor|statutory"
      " audit|tax audit|internal audit|audit expense|audit", "sga_expenses", c=0.95),
    R("professional fee|professional charge|legal fee|legal and professional|legal expense"
      "|consultancy|consultation fee|consultant fee|retainership|accounting charge"
      "|accountancy|ca fee|advocate fee|technical fee|professional|legal|consultation",
      "sga_expenses", c=0.93),
    R("travelling|travel|conveyance|local conveyance|tour|boarding and lodging|lodging"
      "|hotel|taxi|air fare|airfare|railway fare|train fare|bus fare|cab", "sga_expenses",
      c=0.93),
    R("vehicle running|vehicle maintenance|vehicle expense|vehicle repair|car expense|car"
      " maintenance|motor car expense|scooter expense|vehicle insurance|vehicle tax|road tax"
      "|toll|parking|motor vehicle expense|car running|vehicle upkeep", "sga_expenses",
      c=0.9),
    R("advertisement|publicity|marketing|promotion|exhibition|trade fair|hoarding|branding"
      "|sponsorship|gift|diwali|festival|customer entertainment|entertainment|sample",
      "sga_expenses", c=0.93),
    R("freight|carriage|cartage|transport|lorry hire|truck hire|tempo hire|freight charge"
      "|lorry freight|transport charge", "sga_expenses", c=0.6, alts="other_mfg_expenses",
      direct="other_mfg_expenses", indirect="sga_expenses"),
    R("software expense|software subscription|software renewal|software charge|software"
      " maintenance|computer expense|computer maintenance|computer repair|amc|annual"
      " maintenance|website expense|domain|cloud|it expense|internet|broadband",
      "sga_expenses", c=0.92),
    R("mobile phone|mobile handset|cell phone", "gross_block", c=0.7, alts="sga_expenses"),
    # Personal for a proprietor (drawings), staff cover for a company: a CA decides.
    R("lic premium|life insurance|mediclaim|health insurance|lic", "sga_expenses", c=0.6,
      alts="drawings"),
    R("printing and stationery|printing|stationery|xerox|photocopy|postage|courier|telegram"
      "|telephone|mobile|communication|fax|office expense|office maintenance|office upkeep"
      "|general expense|administrative expense|administration expense|establishment"
      " expense|miscellaneous expense|sundry expense|other expense|petty expense|day to day"
      "|tea|refreshment|canteen|pantry|housekeeping|cleaning|sweeping|security charge|watch"
      " and ward|security guard|security service|newspaper|book and periodical|periodical"
      "|subscription|membership|pooja|puja|medical expense|uniform|guest house|meeting"
      " expense|agm expense|board meeting|selling expense|selling and distribution"
      "|distribution expense|staff welfare|research and development|royalty|packing expense"
      "|packing charge|packing and forwarding|packaging expense|water charge|water expense"
      "|water bill|insurance|repair|maintenance|recruitment|bank guarantee expense|interior"
      " expense", "sga_expenses", c=0.9, direct="other_mfg_expenses",
      unless="payable|advance|prepaid|claim|deposit"),
    # -- borrowings ----------------------------------------------------------------------
    R("long term loan and advance|other non current asset|non current asset|long term"
      " advance|long term deposit|loan and advance long term", "other_noncurrent_assets",
      c=0.92),
    R("short term loan and advance|loan and advance|other current asset",
      "other_current_assets", c=0.92, alts="other_noncurrent_assets",
      unless="related|director|partner|sister|subsidiary|associate"),
    R("current maturity|current maturities|current portion of long term|instalment due"
      " within|installment due within|repayable within one year|repayable within 12 month"
      "|term loan instalment due|cmltd|current maturities of long term debt",
      "term_loan_current_maturities", c=0.94),
    R("wctl|working capital term loan|gecl|covid loan|emergency credit line",
      "term_loans", c=0.85),
    R("loan against fixed deposit|od against fixed deposit|overdraft against fixed deposit"
      "|loan against fd", dr="cash_bank", cr="bank_borrowings_wc", cdr=0.7, ccr=0.9),
    R("packing credit|pcfc|pcl|bill discounted|bill discounting|bill purchased|wcdl|working"
      " capital demand loan|working capital loan|working capital limit|working capital"
      " facility|working capital|cash credit|cc limit|overdraft|od limit|od|cc|open cash"
      " credit|ebrd|post shipment credit|pre shipment credit|buyer credit|short term"
      " borrowing from bank|short term borrowing cash credit|loan repayable on demand"
      "|secured working capital|cc account|od account|bank od|bank cc|bank occ", dr="cash_bank",
      cr="bank_borrowings_wc", cdr=0.85, ccr=0.96,
      unless="credit card|cc camera|cctv|interest"),
    R("credit card", dr="cash_bank", cr="other_current_liabilities", cdr=0.6, ccr=0.8,
      alts="bank_borrowings_wc"),
    R("short term borrowing other|short term loan from other|short term loan|short term"
      " borrowing from other|loan repayable on demand from other|bridge loan",
      dr="other_current_assets", cr="st_borrowings_others", cdr=0.6, ccr=0.88),
    R("term loan|vehicle loan|car loan|auto loan|two wheeler loan|machinery loan|equipment"
      " loan|equipment finance|housing loan|home loan|property loan|loan against property"
      "|lap|mortgage loan|mudra loan|corporate loan|long term loan|vehicle finance|truck loan"
      "|tractor loan|commercial vehicle loan|cv loan|plant and machinery loan|solar loan"
      "|building loan|construction loan", dr="other_current_assets", cr="term_loans",
      cdr=0.55, ccr=0.93, alts="term_loan_current_maturities other_term_liabilities"),
    R("business loan|msme loan|secured loan|hire purchase|hp loan|personal loan|gold loan"
      "|loan from bank|bank loan|loan from nbfc", dr="other_current_assets", cr="term_loans",
      cdr=0.5, ccr=0.8, alts="st_borrowings_others other_term_liabilities"),
    R("long term borrowing", "term_loans", c=0.85, alts="other_term_liabilities"),
    R("deferred payment|deferred credit|dpg", "deferred_payment_credits", c=0.85),
    R("inter corporate deposit|icd|inter corporate loan", dr="other_current_assets",
      cr="st_borrowings_others", cdr=0.8, ccr=0.85),
    R("short term borrowing", dr="cash_bank", cr="bank_borrowings_wc", c=0.7,
      alts="st_borrowings_others"),
    R("unsecured loan|loan from director|loan from partner|loan from relative|loan from"
      " shareholder|loan from member|loan from promoter|loan from friend|loan from family"
      "|director loan|loan from related|deposit from director|loan from proprietor|loan"
      " from huf|quasi equity|subordinated loan|subordinate debt|loan from associate|loan"
      " from sister concern|partner loan|relative loan|loan from wife|loan from son|loan"
      " from father|loan from mother|loan from brother|loan from spouse",
      dr="other_noncurrent_assets", cr="other_term_liabilities", cdr=0.6, ccr=0.93),
    R("loan to director|advance to director|due from director|loan to partner|loan to related"
      "|advance to related|loan to relative|loan to sister concern|due from related"
      "|loan to associate|advance to partner", "other_noncurrent_assets", c=0.85),
    R("other long term liability|long term liability|other term liability|security deposit"
      " from|deposit from dealer|dealer deposit|deposit received|deposit from customer"
      "|deposit from agent|trade deposit received", "other_term_liabilities", c=0.85,
      unless="advance", alts="other_current_liabilities"),
    R("debenture", dr="noncurrent_investments", cr="debentures", cdr=0.75, ccr=0.9),
    R("preference share", "preference_shares", c=0.9, alts="share_capital",
      unless="investment|dividend"),
    R("tata capital|capital first|bajaj finance|bajaj finserv|aditya birla capital|aditya"
      " birla finance|mahindra finance|mahindra and mahindra financial|cholamandalam"
      "|sundaram finance|hdb financial|shriram finance|shriram transport|l and t finance"
      "|muthoot|manappuram|kotak mahindra prime|toyota financial|hero fincorp|iifl|piramal"
      "|indiabulls|lendingkart|neogrowth|ugro|fullerton|capri global|tata motor finance"
      "|fincorp|finserv|financial service|finance limited|finance company|nbfc",
      dr="other_current_assets", cr="term_loans", cdr=0.5, ccr=0.7,
      alts="st_borrowings_others other_term_liabilities"),
    # -- deposits, investments, cash -----------------------------------------------------
    R("fixed deposit|term deposit|margin money|recurring deposit|rd with|bank deposit|deposit"
      " with bank|flexi deposit|sweep deposit|fixed deposit receipt|guarantee margin"
      "|bank in deposit"
      "|bg margin|lc margin|margin with bank|margin against",
      dr="current_investments", cr="term_deposits", cdr=0.93, ccr=0.6,
      alts="cash_bank noncurrent_investments"),
    R("investment in subsidiary|investment in associate|investment in joint venture"
      "|investment in share|investment in equity|equity share of|share of|share in"
      "|investment in partnership|capital in partnership|capital in firm|long term investment"
      "|non current investment|investment in property|investment property|nsc|kvp|national"
      " saving certificate|kisan vikas patra|ppf|public provident fund|gold bond|sovereign"
      " gold|lic policy|keyman insurance policy|investment in bond|investment in debenture"
      "|investment in government|investment in gold|investment in land|bank share",
      "noncurrent_investments", c=0.9, alts="current_investments", unless=_PL_WORDS),
    R("mutual fund|current investment|liquid fund|short term investment|treasury bill"
      "|commercial paper|investment in mutual fund", "current_investments", c=0.88,
      alts="noncurrent_investments", unless=_PL_WORDS),
    R("investment", "noncurrent_investments", c=0.72, alts="current_investments",
      unless=_PL_WORDS),
    R("earnest money|emd|tender deposit|bid security|short term deposit",
      "other_current_assets", c=0.8, alts="other_noncurrent_assets"),
    R("security deposit|rent deposit|electricity deposit|telephone deposit|deposit with"
      "|deposit|lease deposit|gas deposit|water deposit|mseb deposit|sale tax deposit|vat"
      " deposit|utility deposit|godown deposit|office deposit|shop deposit",
      dr="other_noncurrent_assets", cr="other_term_liabilities", cdr=0.9, ccr=0.6,
      alts="other_current_assets other_current_liabilities"),
    # -- advances and other current assets ----------------------------------------------
    R("advance from customer|advance received|customer advance|advance against order"
      "|advance from buyer|advance from party|advance from client|customer deposit|advance"
      " against sale|income received in advance|unearned revenue|advance from debtor"
      "|advance booking|receipt in advance|advance from dealer",
      dr="receivables_domestic", cr="advances_from_customers", cdr=0.55, ccr=0.93,
      alts="other_current_liabilities"),
    R("capital advance|advance for capital|advance for machinery|advance for plant|advance"
      " for land|advance for building|advance for property|advance for fixed asset|advance"
      " against capital|advance for vehicle|advance for flat|advance for construction"
      "|advance against property|advance against land|advance against building|advance"
      " against machinery|advance against flat",
      "capital_advances", c=0.92, alts="advances_to_suppliers other_noncurrent_assets"),
    R("advance to supplier|supplier advance|advance to creditor|advance against purchase"
      "|advance paid|advance to vendor|vendor advance|trade advance|advance for purchase"
      "|advance for material|advance for raw material|advance to party|advance for good"
      "|advance to contractor", dr="advances_to_suppliers", cr="sundry_creditors",
      cdr=0.93, ccr=0.55),
    R("staff advance|advance to staff|advance to employee|salary advance|employee advance"
      "|loan to staff|loan to employee|staff loan|imprest|advance for expense|travel advance"
      "|tour advance|advance to worker|advance against salary|festival advance",
      "other_current_assets", c=0.92),
    R("prepaid|advance rent|rent paid in advance|expense paid in advance",
      "other_current_assets", c=0.95),
    R("accrued income|income receivable|income accrued|other receivable|claim receivable"
      "|subsidy receivable|incentive receivable|refund receivable|balance with government"
      "|balance with revenue|balance with statutory|balance with custom|receivable"
      "|recoverable|current asset|other advance|advance recoverable|sundry advance|advance",
      dr="other_current_assets", cr="advances_from_customers", cdr=0.82, ccr=0.55,
      alts="other_noncurrent_assets advances_to_suppliers"),
    # -- capital, reserves, surplus ------------------------------------------------------
    R("security premium|securities premium|share premium", "other_reserves", c=0.95),
    R("general reserve", "general_reserve", c=0.96),
    R("revaluation reserve", "revaluation_reserve", c=0.96),
    R("reserve and surplus", "pl_surplus", c=0.85, either=True,
      alts="other_reserves general_reserve"),
    R("capital reserve|capital redemption reserve|debenture redemption reserve|statutory"
      " reserve|investment allowance reserve|capital subsidy|central subsidy|state subsidy"
      "|investment subsidy|other reserve|reserve", "other_reserves", c=0.88,
      alts="general_reserve pl_surplus"),
    R("profit and loss|surplus|retained earning|accumulated profit|accumulated loss"
      "|net profit|net loss|profit and loss appropriation|balance in profit and loss",
      "pl_surplus", cdr=0.93, ccr=0.96, either=True),
    R("partner current account|current account of partner|current account partner"
      "|proprietor current account|partner current|partners current|director current"
      " account", "pl_surplus", cdr=0.8, ccr=0.9, either=True, alts="share_capital drawings"),
    R("drawing|personal expense|personal drawing|household expense|proprietor personal",
      "drawings", c=0.95, alts="share_capital"),
    R("share application money|share application|share warrant", "share_capital", c=0.78,
      alts="other_term_liabilities"),
    R("share capital|equity share capital|paid up capital|issued subscribed|equity share"
      "|capital|partner capital|proprietor capital|owner capital|owners equity|fixed capital"
      "|capital fund|capital introduced", "share_capital", cdr=0.8, ccr=0.95, either=True,
      alts="pl_surplus drawings",
      unless="expense|gain|goods|expenditure|work in progress|loss"),
    # -- fixed assets --------------------------------------------------------------------
    R("capital work in progress|capital wip|asset under construction|construction in"
      " progress|work in progress capital", "gross_block", c=0.9, alts="net_block"),
    R("goodwill|patent|trademark|trade mark|copyright|brand|software|computer software"
      "|intangible asset|intangible|technical know how|know how|franchise|license right"
      "|licence right", "intangible_assets", c=0.92, alts="gross_block", unless=_PL_WORDS),
    R("property plant and equipment|net block|tangible asset|fixed asset net|net fixed asset",
      "net_block", c=0.88, alts="gross_block"),
    R("gross block|fixed asset", "gross_block", c=0.85, alts="net_block"),
    R("land|freehold land|leasehold land|building|factory building|office building|office"
      " premise|premise|flat|godown|shed|plant and machinery|machinery|equipment|office"
      " equipment|furniture|furniture and fixture|fixture|fitting|electrical installation"
      "|electrical fitting|electric fitting|vehicle|motor vehicle|motor car|car|scooter"
      "|motorcycle|motor cycle|two wheeler|truck|tempo|lorry|tractor|forklift|crane|computer"
      "|computers and peripheral|laptop|printer|server|ups|air conditioner|refrigerator"
      "|cctv|camera|generator|dg set|die|mould|dies and mould|lab equipment|weighing scale"
      "|weighing machine|borewell|tubewell|tube well|compound wall|leasehold improvement"
      "|cycle|bicycle|solar|water tank|water cooler|television|tv|fan|inverter|battery"
      "|apparatus|instrument|workshop|warehouse|boundary wall|road|electrical equipment"
      "|fire extinguisher|fire fighting equipment|lift|elevator|photocopier|projector"
      "|plant|tool|tools and equipment|office premises|shop premise", "gross_block",
      c=0.93, alts="net_block accumulated_depreciation", unless=_PL_WORDS),
    # -- cash ----------------------------------------------------------------------------
    R("cheque in hand|cheque on hand|cheques in hand|rokad|rokad bahi", "cash_bank", c=0.88,
      alts="receivables_domestic"),
    R("cash in hand|cash balance|cash|petty cash|cash on hand|cash at bank|cash and bank"
      "|cash and cash equivalent|balance with bank|bank balance other than|cash at office"
      "|cash at shop", "cash_bank", c=0.96, alts="bank_borrowings_wc current_investments",
      unless="sale|purchase|credit|ledger|discount|memo|deposit"),
    # -- generic wording, last --------------------------------------------------------
    # Banks and finance companies are caught above: a loan from anyone else is unsecured.
    R("loan from", dr="other_current_assets", cr="other_term_liabilities", cdr=0.55, ccr=0.78,
      alts="st_borrowings_others term_loans"),
    R("profit for the year|profit for the period|current year profit|net profit for the year",
      "pl_surplus", c=0.8, either=True, alts="share_capital"),
    R("loan", dr="other_current_assets", cr="other_term_liabilities", c=0.55,
      alts="term_loans st_borrowings_others other_noncurrent_assets"),
    # Unknown "X Expenses": most are administrative, but site, kitchen or process costs
    # are not rare: below the review line.
    R("expense|cost|overhead", dr="sga_expenses", cr="other_current_liabilities", cdr=0.66,
      ccr=0.45, alts="other_mfg_expenses non_operating_expenses",
      direct="other_mfg_expenses", indirect="sga_expenses"),
    R("charge|fee|paid|hire|service", dr="sga_expenses", cr="other_operating_income",
      cdr=0.66, ccr=0.5, alts="other_mfg_expenses non_operating_expenses",
      direct="other_mfg_expenses", indirect="sga_expenses"),
    R("income|receipt|received|earned|gain", "non_operating_income", c=0.72,
      alts="other_operating_income"),
    R("suspense|difference in opening balance|opening balance difference|difference in trial"
      " balance|temporary", dr="other_current_assets", cr="other_current_liabilities",
      c=0.2),
)
# fmt: on

# A rule is only tried when one of its first words is in the label.
_RULE_INDEX: dict[str, list[int]] = {}
for _i, _rule in enumerate(RULES):
    for _first in {p.split()[0] for p in _rule.any if p.strip()}:
        _RULE_INDEX.setdefault(_first, []).append(_i)

# --------------------------------------------------------------------------------------
# Stock: closing stock (inventory) and opening stock, by what it is stock of.
# --------------------------------------------------------------------------------------

# Checked in this order: "Packing Material" is stock in process and "Traded Goods" are
# finished goods in this product's convention (see the Mehta Traders sample); plain
# "Stock", "Goods" or "Closing Stock" is raw material, so that a trader's purchases
# (purchases_rm) and stock meet in "raw materials consumed".
_STOCK_KINDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("wip", tuple(_phrase(p) for p in (
        "work in progress", "work in process", "stock in process", "semi finished",
        "goods in process", "in process", "process stock", "packing material",
        "packaging material", "semi finished goods", "in transit processing",
    ))),
    ("spares", tuple(_phrase(p) for p in (
        "stores", "spares", "consumables", "spare parts", "stores and spares",
        "consumable stores", "fuel stock", "stationery stock",
    ))),
    ("fg", tuple(_phrase(p) for p in (
        "finished goods", "finished", "traded goods", "trading goods", "stock in trade",
        "goods for resale", "merchandise", "ready stock", "finished products", "products",
        "trading stock", "saleable",
    ))),
    ("rm", tuple(_phrase(p) for p in (
        "raw material", "raw materials", "materials", "raw", "input materials",
    ))),
)  # fmt: skip
_STOCK_WORDS = tuple(
    _phrase(p) for p in ("stock", "inventory", "goods", "closing balance of stock")
)
_OPENING = tuple(_phrase(p) for p in ("opening", "stock at commencement", "beginning"))
_CLOSING = tuple(_phrase(p) for p in ("closing stock", "closing inventory", "stock in hand"))
_NOT_STOCK = tuple(
    _phrase(p)
    for p in (
        "purchase", "consumed", "consumption", "sale", "change", "increase", "decrease",
        "written off", "loss", "insurance", "transfer", "capital", "exchange", "broker",
        "creditor", "debtor", "opening balance difference", "stock audit", "expense",
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


def _stock_kind(words: str) -> tuple[str, bool]:
    """The kind of stock and whether the wording named it (False: plain stock)."""
    found = [kind for kind, phrases in _STOCK_KINDS if any(p in words for p in phrases)]
    if not found:
        return "rm", False
    return found[0], True


def _stock(words: str, side: Side, closing_flag: bool) -> tuple[str, float, tuple[str, ...]] | None:
    if not closing_flag and _STOCK_TOKENS.isdisjoint(words.split()):
        return None
    opening = any(p in words for p in _OPENING)
    stockish = any(p in words for p in _STOCK_WORDS)
    kind, named = _stock_kind(words)
    if closing_flag and not opening:
        head = _CLOSING_HEADS[kind]
        confidence = 0.95 if named else 0.85
    elif any(p in words for p in _NOT_STOCK):
        return None
    elif opening and (stockish or named):
        head = _OPENING_HEADS[kind]
        confidence = 0.95 if named else 0.88
    elif any(p in words for p in _CLOSING) or (stockish and side == "Dr"):
        head = _CLOSING_HEADS[kind]
        confidence = 0.9 if named else 0.82
    elif named and kind == "wip" and "packing" not in words and side == "Dr":
        head, confidence = "inventory_wip", 0.8  # WIP is only ever a stock
    else:
        return None
    if side == "Cr":
        confidence *= WRONG_SIDE_FACTOR
    alternatives = tuple(h for h in _stock_siblings(head) if h != head)
    return head, confidence, alternatives


def _stock_siblings(head: str) -> tuple[str, ...]:
    if head in INVENTORY_HEADS:
        return ("inventory_rm", "inventory_fg", "inventory_wip", "inventory_spares")
    return ("opening_stock_rm", "opening_stock_fg", "opening_stock_wip", "spares_consumed")


# --------------------------------------------------------------------------------------
# Banks: a bank account is cash in debit and a borrowing in credit. Facility wording
# (CC, OD, term loan, FD) is decided by the rules above; this handles the rest.
# --------------------------------------------------------------------------------------

_BANK_NAMES = tuple(
    _phrase(p)
    for p in (
        "bank", "sbi", "state bank", "hdfc", "icici", "axis", "kotak", "pnb", "bob", "idbi",
        "indusind", "idfc", "yes bank", "rbl", "dcb", "uco", "iob", "boi", "canara",
        "saraswat", "cosmos", "tjsb", "svc", "citi", "hsbc", "standard chartered", "dbs",
        "federal bank", "union bank", "indian bank", "central bank", "karur vysya", "kvb",
        "city union", "tmb", "bandhan", "au small finance", "equitas", "ujjivan",
        "janata sahakari", "sahakari", "nagrik", "urban cooperative", "cooperative bank",
        "co operative bank", "dena", "vijaya", "syndicate", "andhra bank", "allahabad",
        "oriental bank", "obc", "corporation bank", "south indian", "karnataka bank",
        "jk bank", "j and k bank", "lakshmi vilas", "catholic syrian", "csb", "deutsche",
        "barclays", "paytm", "eefc", "escrow",
    )
)  # fmt: skip
_BANK_TOKENS = frozenset(p.split()[0] for p in _BANK_NAMES)
_BANK_NOT = tuple(
    _phrase(p) for p in ("charges", "commission", "interest", "guarantee", "reconciliation")
)


def _bank(words: str, side: Side) -> tuple[str, float, tuple[str, ...]] | None:
    if _BANK_TOKENS.isdisjoint(words.split()):
        return None
    if not any(p in words for p in _BANK_NAMES) or any(p in words for p in _BANK_NOT):
        return None
    if " loan " in words:
        return ("term_loans", 0.7, ("bank_borrowings_wc", "st_borrowings_others"))
    if side == "Dr":
        return ("cash_bank", 0.95, ("current_investments", "bank_borrowings_wc"))
    return ("bank_borrowings_wc", 0.93, ("cash_bank", "term_loans"))


# --------------------------------------------------------------------------------------
# Statement totals and the like are not line items: they get no head.
# --------------------------------------------------------------------------------------

_TOTAL_PREFIXES = ("total ", "sub total ", "subtotal ", "grand total ", "net total ")
_STATEMENT_DERIVED = tuple(
    _phrase(p)
    for p in (
        "profit before tax", "profit after tax", "profit for the year", "profit for the period",
        "loss for the year", "loss for the period", "profit loss for the", "earnings per share",
        "basic", "diluted", "total comprehensive income", "profit before exceptional",
        "profit from continuing", "profit before interest",
    )
)  # fmt: skip

# --------------------------------------------------------------------------------------
# Related heads: what a CA most often picks instead of each head (alternatives).
# --------------------------------------------------------------------------------------

_RELATED: dict[str, tuple[str, ...]] = {
    "sales_domestic": ("sales_export", "other_operating_income", "non_operating_income"),
    "sales_export": ("sales_domestic", "other_operating_income", "receivables_export"),
    "duties_on_sales": ("statutory_liabilities", "sga_expenses", "sales_domestic"),
    "other_operating_income": ("non_operating_income", "sales_domestic", "sales_export"),
    "opening_stock_rm": ("opening_stock_fg", "opening_stock_wip", "purchases_rm"),
    "opening_stock_wip": ("opening_stock_rm", "opening_stock_fg", "spares_consumed"),
    "opening_stock_fg": ("opening_stock_rm", "opening_stock_wip", "purchases_rm"),
    "purchases_rm": ("rm_consumed", "spares_consumed", "other_mfg_expenses"),
    "rm_consumed": ("purchases_rm", "spares_consumed", "changes_in_inventories"),
    "changes_in_inventories": ("rm_consumed", "opening_stock_fg", "inventory_fg"),
    "spares_consumed": ("other_mfg_expenses", "purchases_rm", "inventory_spares"),
    "power_fuel": ("other_mfg_expenses", "sga_expenses", "spares_consumed"),
    "direct_labour": ("sga_expenses", "other_mfg_expenses", "other_current_liabilities"),
    "other_mfg_expenses": ("sga_expenses", "direct_labour", "purchases_rm"),
    "depreciation": ("accumulated_depreciation", "non_operating_expenses", "sga_expenses"),
    "sga_expenses": ("other_mfg_expenses", "non_operating_expenses", "direct_labour"),
    "interest": ("sga_expenses", "non_operating_expenses", "non_operating_income"),
    "non_operating_income": ("other_operating_income", "sales_domestic", "interest"),
    "non_operating_expenses": ("sga_expenses", "interest", "tax_provision"),
    "tax_provision": ("provision_for_tax", "advance_tax", "non_operating_expenses"),
    "dividend": ("dividend_payable", "non_operating_income", "pl_surplus"),
    "bank_borrowings_wc": ("cash_bank", "st_borrowings_others", "term_loans"),
    "st_borrowings_others": ("bank_borrowings_wc", "other_term_liabilities", "term_loans"),
    "sundry_creditors": (
        "other_current_liabilities",
        "advances_to_suppliers",
        "advances_from_customers",
    ),
    "advances_from_customers": (
        "receivables_domestic",
        "other_current_liabilities",
        "sundry_creditors",
    ),
    "provision_for_tax": ("tax_provision", "other_current_liabilities", "statutory_liabilities"),
    "dividend_payable": ("dividend", "other_current_liabilities", "pl_surplus"),
    "statutory_liabilities": (
        "other_current_liabilities",
        "provision_for_tax",
        "other_current_assets",
    ),
    "term_loan_current_maturities": (
        "term_loans",
        "bank_borrowings_wc",
        "other_current_liabilities",
    ),
    "other_current_liabilities": (
        "statutory_liabilities",
        "sundry_creditors",
        "other_term_liabilities",
    ),
    "debentures": ("term_loans", "other_term_liabilities", "preference_shares"),
    "preference_shares": ("share_capital", "debentures", "other_term_liabilities"),
    "term_loans": ("term_loan_current_maturities", "other_term_liabilities", "bank_borrowings_wc"),
    "deferred_payment_credits": ("term_loans", "other_term_liabilities", "sundry_creditors"),
    "term_deposits": ("other_term_liabilities", "st_borrowings_others", "current_investments"),
    "other_term_liabilities": ("term_loans", "st_borrowings_others", "other_current_liabilities"),
    "share_capital": ("pl_surplus", "drawings", "other_term_liabilities"),
    "drawings": ("share_capital", "pl_surplus", "other_current_assets"),
    "general_reserve": ("other_reserves", "pl_surplus", "revaluation_reserve"),
    "revaluation_reserve": ("other_reserves", "general_reserve", "gross_block"),
    "other_reserves": ("general_reserve", "pl_surplus", "share_capital"),
    "pl_surplus": ("share_capital", "other_reserves", "general_reserve"),
    "cash_bank": ("bank_borrowings_wc", "current_investments", "other_current_assets"),
    "current_investments": ("cash_bank", "noncurrent_investments", "other_current_assets"),
    "receivables_domestic": (
        "receivables_export",
        "advances_from_customers",
        "other_current_assets",
    ),
    "receivables_export": ("receivables_domestic", "advances_from_customers", "sales_export"),
    "inventory_rm": ("inventory_fg", "inventory_wip", "inventory_spares"),
    "inventory_wip": ("inventory_rm", "inventory_fg", "inventory_spares"),
    "inventory_fg": ("inventory_rm", "inventory_wip", "inventory_spares"),
    "inventory_spares": ("inventory_rm", "inventory_wip", "spares_consumed"),
    "advances_to_suppliers": ("sundry_creditors", "capital_advances", "other_current_assets"),
    "advance_tax": ("other_current_assets", "provision_for_tax", "statutory_liabilities"),
    "other_current_assets": ("other_noncurrent_assets", "advances_to_suppliers", "advance_tax"),
    "gross_block": ("net_block", "intangible_assets", "capital_advances"),
    "accumulated_depreciation": ("depreciation", "gross_block", "net_block"),
    "net_block": ("gross_block", "intangible_assets", "accumulated_depreciation"),
    "noncurrent_investments": (
        "current_investments",
        "other_noncurrent_assets",
        "capital_advances",
    ),
    "capital_advances": ("advances_to_suppliers", "gross_block", "other_noncurrent_assets"),
    "other_noncurrent_assets": (
        "other_current_assets",
        "noncurrent_investments",
        "capital_advances",
    ),
    "intangible_assets": ("gross_block", "other_noncurrent_assets", "net_block"),
}


# --------------------------------------------------------------------------------------
# Sections and Tally groups: a fallback when the label says nothing, a check otherwise.
# --------------------------------------------------------------------------------------


def _ids(where: Callable[[str, str, str], bool]) -> frozenset[str]:
    return frozenset(h.id for h in HEADS if where(h.id, h.group, h.normal))


_ASSETS = _ids(lambda i, g, n: g == "assets")
_LIABILITIES = _ids(lambda i, g, n: g == "liabilities") | {"accumulated_depreciation"}
_EXPENSES = _ids(lambda i, g, n: g == "operating" and n == "Dr") | {"changes_in_inventories"}
_INCOMES = _ids(lambda i, g, n: g == "operating" and n == "Cr") | {"changes_in_inventories"}
_NET_WORTH = frozenset(
    {"share_capital", "drawings", "general_reserve", "revaluation_reserve", "other_reserves",
     "pl_surplus", "preference_shares"}
)  # fmt: skip
_FIXED = frozenset(
    {"gross_block", "accumulated_depreciation", "net_block", "intangible_assets",
     "capital_advances"}
)  # fmt: skip
_BORROWINGS = frozenset(
    {"bank_borrowings_wc", "st_borrowings_others", "term_loan_current_maturities", "term_loans",
     "debentures", "deferred_payment_credits", "term_deposits", "other_term_liabilities",
     "cash_bank"}
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class _Section:
    phrases: tuple[str, ...]
    dr: str | None
    cr: str | None
    conf_dr: float
    conf_cr: float
    allowed: frozenset[str]
    kind: str = ""  # "direct" / "indirect" expenses: picks a rule's direct/indirect head


def S(
    when: str,
    dr: str | None,
    cr: str | None,
    cdr: float,
    ccr: float,
    allowed: frozenset[str] | set[str],
    kind: str = "",
) -> _Section:
    # "^capital": the whole part must be this ("Capital Account", not "Working Capital").
    phrases = tuple(
        ("^" if p.startswith("^") else "") + _phrase(p.lstrip("^")) for p in when.split("|")
    )
    return _Section(phrases, dr, cr, cdr, ccr, frozenset(allowed) | {dr, cr} - {None}, kind)


_RECEIVABLES = {"receivables_domestic", "receivables_export", "advances_from_customers"}
_CURRENT_ASSETS = _ASSETS - _FIXED - {"noncurrent_investments"}
_CURRENT_LIABILITIES = _LIABILITIES - _NET_WORTH - {"accumulated_depreciation"}

# Specific groups first; a section path ("Balance Sheet / ASSETS / Sundry Debtors") is
# read from its most specific part. Tally's party groups decide a party's head outright.
# fmt: off
SECTIONS: tuple[_Section, ...] = (
    S("sundry debtor|trade receivable|debtor", "receivables_domestic",
      "advances_from_customers", 0.8, 0.78, _RECEIVABLES | {"other_current_assets"}),
    S("sundry creditor|trade payable|creditor", "advances_to_suppliers", "sundry_creditors",
      0.75, 0.8, {"other_current_liabilities", "capital_advances", "other_current_assets"}),
    S("bank od|bank occ|bank cc|cash credit|overdraft", "cash_bank", "bank_borrowings_wc",
      0.78, 0.8, {"term_loans"}),
    S("bank account|bank balance|balance with bank|bank", "cash_bank", "bank_borrowings_wc",
      0.8, 0.75, {"current_investments", "term_loans"}),
    S("cash in hand|cash", "cash_bank", None, 0.78, 0.0, {"current_investments"}),
    S("duty and tax|statutory|gst|tds|sale tax|vat|tax payable", "other_current_assets",
      "statutory_liabilities", 0.6, 0.78, {"advance_tax", "provision_for_tax", "duties_on_sales"}),
    S("fixed asset|property plant and equipment|tangible asset|block", "gross_block",
      "accumulated_depreciation", 0.75, 0.7, _FIXED),
    S("investment", "noncurrent_investments", None, 0.65, 0.0,
      {"current_investments", "cash_bank", "other_noncurrent_assets"}),
    S("stock in hand|inventory|closing stock", "inventory_rm", None, 0.55, 0.0,
      INVENTORY_HEADS),
    S("^capital account|share capital|partner capital|proprietor capital|owner fund"
      "|shareholder fund|shareholders equity|equity share",
      "drawings", "share_capital", 0.6, 0.7, _NET_WORTH | {"other_term_liabilities"}),
    S("reserve and surplus|reserve", None, "pl_surplus", 0.0, 0.6, _NET_WORTH),
    S("advance from customer|advance received|customer advance", None,
      "advances_from_customers", 0.0, 0.7, _RECEIVABLES | {"other_current_liabilities"}),
    S("deposit asset|deposit", "other_noncurrent_assets", None, 0.6, 0.0, _CURRENT_ASSETS),
    S("loan and advance asset|loan and advance|advance", "other_current_assets", None, 0.6,
      0.0, _ASSETS - {"gross_block", "accumulated_depreciation", "net_block"}),
    S("secured loan", None, "term_loans", 0.0, 0.65, _BORROWINGS),
    S("unsecured loan", None, "other_term_liabilities", 0.0, 0.7, _BORROWINGS),
    S("loan liability|loan|borrowing", None, "term_loans", 0.0, 0.5, _BORROWINGS),
    S("provision", None, "other_current_liabilities", 0.0, 0.6,
      _CURRENT_LIABILITIES | {"accumulated_depreciation", "receivables_domestic",
                               "other_term_liabilities"}),
    S("miscellaneous expense asset|miscellaneous expenditure|misc expense asset",
      "intangible_assets", None, 0.6, 0.0, {"other_noncurrent_assets"}),
    S("direct expense|manufacturing|factory|production|direct cost", "other_mfg_expenses",
      None, 0.6, 0.0, _EXPENSES, "direct"),
    S("indirect expense|administrative|administration|establishment|selling|distribution"
      "|office expense|general expense", "sga_expenses", None, 0.6, 0.0, _EXPENSES,
      "indirect"),
    S("finance cost|financial expense", "interest", None, 0.65, 0.0, _EXPENSES),
    S("direct income", None, "other_operating_income", 0.0, 0.6, _INCOMES),
    S("indirect income|other income", None, "non_operating_income", 0.0, 0.65, _INCOMES),
    S("sale account|sale|revenue from operation|revenue", None, "sales_domestic", 0.0, 0.6,
      _INCOMES),
    S("purchase account|purchase", "purchases_rm", None, 0.6, 0.0, _EXPENSES),
    S("current liability|current liabilities and provision", None,
      "other_current_liabilities", 0.0, 0.5, _CURRENT_LIABILITIES),
    S("current asset", "other_current_assets", None, 0.5, 0.0, _ASSETS),
    S("non current liability|long term liability|term liability", None,
      "other_term_liabilities", 0.0, 0.5, _CURRENT_LIABILITIES),
    S("non current asset", "other_noncurrent_assets", None, 0.5, 0.0, _ASSETS),
    S("expense|expenditure", "sga_expenses", None, 0.45, 0.0, _EXPENSES),
    S("income", None, "non_operating_income", 0.0, 0.45, _INCOMES),
    S("liability|equity and liability|source of fund", None, "other_current_liabilities",
      0.0, 0.3, _LIABILITIES),
    S("asset|application of fund", "other_current_assets", None, 0.3, 0.0, _ASSETS),
    S("profit and loss|trading account|income statement", "sga_expenses",
      "non_operating_income", 0.3, 0.3, _EXPENSES | _INCOMES),
)
# fmt: on
_SECTION_PARTS = re.compile(r"\s*[/>|\u00bb\\]\s*|\s+-\s+")


@lru_cache(maxsize=1024)
def _section(section: str) -> _Section | None:
    for part in reversed(_SECTION_PARTS.split(section)):
        words = _words(normalize_label(part))
        if words.strip():
            for candidate in SECTIONS:
                if any(p[1:] == words if p[0] == "^" else p in words for p in candidate.phrases):
                    return candidate
    return None


# --------------------------------------------------------------------------------------
# Fuzzy matching: misspelt words corrected against the rules' vocabulary, then the whole
# label against every head's synonyms.
# --------------------------------------------------------------------------------------


def _synonyms() -> list[tuple[str, str]]:
    pairs: set[tuple[str, str]] = set()
    for head in HEADS:
        texts = [head.label, *re.split(r"[,;]", re.sub(r"\([^)]*\)", "", head.typical))]
        for text in texts:
            words = _words(normalize_label(text)).strip()
            if words:
                pairs.add((words, head.id))
    for rule in RULES:
        if rule.conf_dr < 0.7 and rule.conf_cr < 0.7:
            continue  # a guess is no synonym
        for phrase in rule.any:
            for head_id in {rule.dr, rule.cr} - {None}:
                pairs.add((phrase.strip(), head_id))
    return sorted(pairs)


_SYNONYM_PAIRS = _synonyms()
_SYNONYM_TEXTS = [text for text, _ in _SYNONYM_PAIRS]
_SYNONYM_INDEX: dict[str, list[int]] = {}
_STOPWORDS = frozenset(
    {"of", "and", "the", "to", "in", "for", "on", "from", "with", "at", "by", "a", "an", "other",
     "less"}
)  # fmt: skip
for _i, (_text, _) in enumerate(_SYNONYM_PAIRS):
    for _word in set(_text.split()) - _STOPWORDS:
        _SYNONYM_INDEX.setdefault(_word, []).append(_i)
# Common words of party and firm names: known, so never "corrected" into a ledger word.
_NAME_WORDS = frozenset(
    {
        "trader", "enterprise", "industry", "agency", "brother", "son", "corporation",
        "company", "limited", "private", "shree", "shri", "sri", "om", "sai", "balaji",
        "ganesh", "laxmi", "lakshmi", "krishna", "traders", "mehta", "shah", "patel", "sharma",
        "gupta", "agarwal", "jain", "kumar", "singh", "international", "export", "import",
        "overseas", "global", "india", "indian", "national", "new", "modern", "royal", "star",
        "super", "united", "associate", "marketing",
    }
)  # fmt: skip
_VOCABULARY = sorted(
    {w for text in _SYNONYM_TEXTS for w in text.split() if len(w) >= 4 and w.isalpha()}
)
_KNOWN_WORDS = frozenset(w for text in _SYNONYM_TEXTS for w in text.split()) | _NAME_WORDS


@lru_cache(maxsize=16384)
def _correct(word: str) -> tuple[str, float]:
    """The vocabulary word a misspelt word most likely is, with the similarity (0-100)."""
    if word in _KNOWN_WORDS or len(word) < 5 or not word.isalpha():
        return word, 100.0
    cutoff = 88.0 if len(word) <= 6 else 84.0
    match = process.extractOne(word, _VOCABULARY, scorer=fuzz.ratio, score_cutoff=cutoff)
    if match is None:
        return word, 100.0
    return match[0], float(match[1])


def _fuzzy_heads(words: str, side: Side) -> list[tuple[str, float]]:
    """Heads whose synonyms resemble the label, best first, with a confidence each."""
    tokens = words.split()
    candidates = sorted({i for t in tokens for i in _SYNONYM_INDEX.get(t, ())})
    if not candidates:
        return []
    query = " ".join(tokens)
    choices = {i: _SYNONYM_TEXTS[i] for i in candidates}
    best: dict[str, float] = {}
    for _, score, index in process.extract(
        query, choices, scorer=fuzz.token_sort_ratio, limit=12, score_cutoff=50
    ):
        head_id = _SYNONYM_PAIRS[index][1]
        # Scaled so that only a near-identical wording reaches the auto-approve band.
        confidence = max(0.0, (score - 50.0) / 50.0) ** 1.6 * 0.82
        if HEADS_BY_ID[head_id].normal != side:
            confidence *= 0.6
        best[head_id] = max(best.get(head_id, 0.0), confidence)
    ranked = sorted(best.items(), key=lambda kv: -kv[1])
    if len(ranked) > 1 and ranked[0][1] - ranked[1][1] < 0.05:
        ranked[0] = (ranked[0][0], ranked[0][1] * 0.85)  # two heads as likely: unsure
    return ranked


# --------------------------------------------------------------------------------------
# The machine's suggestion (without learned labels), cached by what it depends on.
# --------------------------------------------------------------------------------------

# Where the bank rule stands in the table: facility wording (CC, term loan, FD,
# investments, deposits) above it wins; advances, capital, assets and cash below it lose.
_BANK_POSITION = next(i for i, r in enumerate(RULES) if _phrase("capital advance") in r.any)

_SHARES = (0.6, 0.25, 0.15)
_FACTORY_WORDS = tuple(
    _phrase(p)
    for p in (
        "factory",
        "plant",
        "machinery",
        "works",
        "production",
        "manufacturing",
        "mill",
        "workshop",
    )
)


def _alternatives(
    primary: str | None, confidence: float, candidates: Sequence[tuple[str, float]]
) -> tuple[tuple[str, float], ...]:
    """Up to three other heads; they share what the primary leaves (1 - confidence)."""
    remaining = max(0.0, 1.0 - confidence)
    seen = {primary}
    result: list[tuple[str, float]] = []
    for head_id, raw in candidates:
        if head_id in seen or head_id not in HEADS_BY_ID:
            continue
        seen.add(head_id)
        share = _SHARES[len(result)] * remaining
        value = round(min(raw, share, confidence - 0.001 if primary else 1.0), 4)
        result.append((head_id, max(value, 0.0001)))
        if len(result) == 3:
            break
    return tuple(result)


# A balance still owed or due ("Commission Payable", "Job Work Charges Receivable") is a
# balance-sheet item whatever it is for: a rule for the P&L item yields to the later ones.
_BALANCE_WORDS = frozenset({"payable", "outstanding", "receivable", "accrued", "prepaid",
                            "recoverable"})  # fmt: skip
_OPERATING = frozenset(h.id for h in HEADS if h.group == "operating")


def _rule_match(words: str, basis: str, side: Side) -> tuple[int, _Rule] | None:
    """The first rule (in table order) that matches and speaks for this side."""
    tokens = words.split()
    indices = sorted({i for w in tokens for i in _RULE_INDEX.get(w, ())})
    owed = not _BALANCE_WORDS.isdisjoint(tokens)
    for index in indices:
        rule = RULES[index]
        head_id = rule.dr if side == "Dr" else rule.cr
        if head_id is None or (owed and head_id in _OPERATING):
            continue
        if (rule.basis is None or rule.basis == basis) and rule.matches(words):
            return index, rule
    return None


def _by_rules(
    words: str, side: Side, closing: bool, basis: str, section: _Section | None
) -> tuple[str, float, list[tuple[str, float]]] | None:
    """(head, confidence, alternative candidates) from the stock, rule and bank tables."""
    stock = _stock(words, side, closing)
    if stock is not None:
        head_id, confidence, alts = stock
        return head_id, confidence, [(h, 1.0) for h in alts]
    matched = _rule_match(words, basis, side)
    if matched is None or matched[0] > _BANK_POSITION:
        bank = _bank(words, side)
        if bank is not None:
            head_id, confidence, alts = bank
            related = _RELATED.get(head_id, ())
            return head_id, confidence, [(h, 1.0) for h in (*alts, *related)]
    if matched is None:
        return None
    _, rule = matched
    head_id = rule.dr if side == "Dr" else rule.cr
    assert head_id is not None
    confidence = rule.conf_dr if side == "Dr" else rule.conf_cr
    if rule.fixed and HEADS_BY_ID[head_id].normal != side:
        confidence *= WRONG_SIDE_FACTOR
    other = rule.cr if side == "Dr" else rule.dr
    candidates = [(h, 1.0) for h in (*rule.alts, other) if h]
    kind = section.kind if section is not None else ""
    if rule.direct and any(p in words for p in _FACTORY_WORDS):
        kind = "direct"  # "Rent - Factory", "Insurance on Machinery"
    if kind:
        switched = rule.direct if kind == "direct" else rule.indirect
        if switched and switched != head_id:
            candidates.insert(0, (head_id, 1.0))
            head_id, confidence = switched, max(confidence, 0.85)
        elif switched == head_id:
            confidence = max(confidence, 0.85)  # the group settles an ambiguous wording
    candidates.extend((h, 1.0) for h in _RELATED.get(head_id, ()))
    return head_id, confidence, candidates


def _with_section(
    head_id: str,
    confidence: float,
    candidates: list[tuple[str, float]],
    side: Side,
    section: _Section | None,
) -> tuple[str, float, list[tuple[str, float]]]:
    """A suggestion the item's section rules out is doubted, or replaced by the section's."""
    if section is None or head_id in section.allowed:
        return head_id, confidence, candidates
    section_head = section.dr if side == "Dr" else section.cr
    section_conf = section.conf_dr if side == "Dr" else section.conf_cr
    if section_head is not None and section_conf >= 0.75:
        return section_head, section_conf * 0.95, [(head_id, 1.0), *candidates]
    if section_head is not None:
        candidates = [(section_head, section_conf), *candidates]
    return head_id, confidence * SECTION_CONFLICT_FACTOR, candidates


@lru_cache(maxsize=65536)
def _machine(normalized: str, side: Side, closing: bool, basis: str, section: str) -> Suggestion:
    words = _words(normalized)
    if not words.strip():
        return Suggestion(None, 0.0, "none")
    padded = words.strip() + " "
    if padded.startswith(_TOTAL_PREFIXES) or words.strip() == "total":
        return Suggestion(None, 0.0, "none")
    if basis == "statements" and any(words.startswith(p) for p in _STATEMENT_DERIVED):
        return Suggestion(None, 0.0, "none")
    hint = _section(section) if section else None

    found = _by_rules(words, side, closing, basis, hint)
    method = "synonym"
    if found is None or found[1] < 0.7:
        # Misspelt words ("Depriciation", "Telephon Expenses"): correct them against the
        # rules' vocabulary and try again; a weak generic match may give way to a strong one.
        corrected = [_correct(w) for w in words.split()]
        originals = words.split()
        if any(w != o for (w, _), o in zip(corrected, originals, strict=True)):
            fixed_words = " " + " ".join(w for w, _ in corrected) + " "
            refound = _by_rules(fixed_words, side, closing, basis, hint)
            if refound is not None:
                worst = min(score for _, score in corrected)
                factor = 0.9 if worst >= 92 else 0.82 if worst >= 88 else 0.75
                if found is None or refound[1] * factor > found[1]:
                    found = (refound[0], refound[1] * factor, refound[2])
                    method = "fuzzy"
            if found is None:
                words = fixed_words
    if found is not None:
        head_id, confidence, candidates = _with_section(*found, side, hint)
        confidence = round(min(confidence, 0.97), 4)
        return Suggestion(
            head_id, confidence, method, _alternatives(head_id, confidence, candidates)
        )

    ranked = _fuzzy_heads(words, side)
    section_head, section_conf = None, 0.0
    if hint is not None:
        section_head = hint.dr if side == "Dr" else hint.cr
        section_conf = hint.conf_dr if side == "Dr" else hint.conf_cr
    if ranked and (section_head is None or ranked[0][1] >= section_conf):
        head_id, confidence = ranked[0]
        if section_head == head_id:
            confidence = min(0.85, confidence + 0.15)  # label and group agree
        elif hint is not None and head_id not in hint.allowed:
            confidence *= SECTION_CONFLICT_FACTOR
        if confidence >= 0.2:
            others = ranked[1:] + [(h, 1.0) for h in _RELATED.get(head_id, ())]
            if section_head:
                others.insert(0, (section_head, section_conf))
            confidence = round(confidence, 4)
            return Suggestion(
                head_id, confidence, "fuzzy", _alternatives(head_id, confidence, others)
            )
    if section_head is not None:
        confidence = round(section_conf, 4)
        others = ranked + [(h, 1.0) for h in _RELATED.get(section_head, ())]
        return Suggestion(
            section_head, confidence, "section", _alternatives(section_head, confidence, others)
        )
    # Nothing plausible: the CA decides; offer the likeliest heads for the side.
    defaults = (
        ("sga_expenses", "other_current_assets", "other_noncurrent_assets")
        if side == "Dr"
        else ("other_current_liabilities", "non_operating_income", "other_term_liabilities")
    )
    guesses = [(h, c * 0.3) for h, c in ranked] + [(h, 0.05) for h in defaults]
    return Suggestion(None, 0.0, "none", _alternatives(None, 0.0, guesses))


# --------------------------------------------------------------------------------------
# The public functions.
# --------------------------------------------------------------------------------------

Learned = Mapping[tuple[str, str], str]


def classify(item: ExtractedItem, *, learned: Learned | None = None) -> Suggestion:
    """The head for one line item: learned label, rule, fuzzy match, section, or none."""
    normalized = normalize_label(item.label)
    machine = _machine(normalized, item.side, item.closing_stock, item.basis, item.section)
    if learned:
        head_id = learned.get((normalized, item.side))
        # A closing-stock line and a ledger can share a label ("Raw Material"): a decision
        # about one must not move the other into or out of the inventories.
        if head_id in HEADS_BY_ID and (head_id in INVENTORY_HEADS) == item.closing_stock:
            others = [(machine.head, 1.0)] if machine.head else []
            others += list(machine.alternatives)
            others += [(h, 1.0) for h in _RELATED.get(head_id, ())]
            return Suggestion(
                head_id,
                LEARNED_CONFIDENCE,
                "learned",
                _alternatives(head_id, LEARNED_CONFIDENCE, others),
            )
    return machine


def classify_all(
    items: Sequence[ExtractedItem],
    *,
    learned: Learned | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> list[Suggestion]:
    """Every item's suggestion, in order; `progress(done, total)` about every 2 %."""
    total = len(items)
    step = max(1, total // 50)
    suggestions: list[Suggestion] = []
    for done, item in enumerate(items, start=1):
        suggestions.append(classify(item, learned=learned))
        if progress is not None and (done % step == 0 or done == total):
            progress(done, total)
    return suggestions
