"""Label normalisation: `normalize_label`, the stored key of learned labels (frozen word
lists, never to change behaviour), and the rules' richer view of a label (`_stem`, the
abbreviations, `padded_words`, `padded_phrase`), free to evolve because nothing stored
depends on it.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# --------------------------------------------------------------------------------------
# normalize_label: the stored key of learned labels. It must never change behaviour once
# labels are stored, so it does only what makes two spellings of one ledger equal, with
# frozen word lists; the richer, evolving view the rules use is padded_words() below.
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
_P_AND_L = re.compile(r"\bp\s*(?:/|and)\s*l\b")
_SLASH_WORDS = (
    (re.compile(r"\ba\s*[/\\]\s*cs?\b\.?|\baccts?\b\.?"), " account "),
    (re.compile(r"\bo\s*/\s*d\b"), " od "),
    (re.compile(r"\bc\s*/\s*c\b"), " cc "),
    (re.compile(r"\bo\s*/\s*s\b"), " outstanding "),
    (re.compile(r"\bw\s*/\s*o\b"), " written off "),
    (_P_AND_L, " profit and loss "),
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
_WORD = re.compile(r"[^\W_]+")
_DIGIT = re.compile(r"\d")
# What _YEAR and _ACCOUNT_NUMBER cannot match without: a cheaper search, first, spares
# most labels with digits ("Branch 4", a party's "1234") the costlier substitution.
_MAY_BE_YEAR = re.compile(r"(?:19|20)\d\d|y\.?\s*\d")
_MAY_BE_ACCOUNT_NUMBER = re.compile(r"\d{5}|xx\d")


def _is_person_tail(head_part: str, tail: str) -> bool:
    words = _WORD.findall(tail)
    if not 1 <= len(words) <= 5 or any(w.isdigit() for w in words):
        return False
    honorific = words[0] in _HONORIFICS
    names = [w for w in words if w not in _HONORIFICS]
    if not names or any(w in _NOT_NAME_WORDS or not w.isalpha() for w in names):
        return False
    return honorific or not _PERSON_LEDGER_WORDS.isdisjoint(_WORD.findall(head_part))


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
    rule table (it is stored; changing it would orphan learned labels).
    """
    # NFKC leaves ASCII as it is, and casefold() of ASCII is lower(), which is cheaper.
    text = label.lower() if label.isascii() else unicodedata.normalize("NFKC", label).casefold()
    text = text.replace("\u2019", "").replace("'", "").replace("`", "")
    text = text.replace("&", " and ")
    if "/" in text or "\\" in text or "acct" in text:
        for pattern, replacement in _SLASH_WORDS:
            text = pattern.sub(replacement, text)
    elif " and " in text:  # no slash nor "acct": of those patterns only "p and l" can match
        text = _P_AND_L.sub(" profit and loss ", text)
    if "." in text:
        text = _INITIALISM.sub(lambda m: " " + m.group().replace(".", "") + " ", text)
    if _DIGIT.search(text):  # most labels have none: skip three regexes
        text = _ENUMERATION.sub(" ", text)
        if _MAY_BE_YEAR.search(text):
            text = _YEAR.sub(" ", text)
        if _MAY_BE_ACCOUNT_NUMBER.search(text):
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
    "amort": "amortisation", "accr": "accrued", "cogs": "cost of good sold",
    "witholding": "withholding", "soh": "stock on hand", "labor": "labour",
    "rental": "rent", "rentals": "rent", "vendor": "supplier", "vendors": "supplier",
    "prepayment": "prepaid", "prepayments": "prepaid",
    "kharch": "expense", "kharcha": "expense", "aavak": "income", "avak": "income",
    "majduri": "majdoori", "mazduri": "majdoori", "majuri": "majdoori", "mazdoori": "majdoori",
    "majoori": "majdoori",
    # The words India's local accountants write for the same ledgers in other languages,
    # transliterated (Hindi, Gujarati, Marathi, Bengali, Punjabi, Tamil, Telugu, Kannada,
    # Malayalam): wages, salary, rent, interest, purchase, sale, partner's accounts.
    "kooli": "coolie", "kuli": "coolie",
    "sambalam": "salary", "sambala": "salary", "jeetham": "salary", "tankhah": "salary",
    "tankha": "salary", "tanakha": "salary", "pagar": "salary", "vetan": "salary",
    "bhara": "rent", "kiraya": "rent", "kiraaya": "rent", "vadaka": "rent",
    "vaadagai": "rent", "vadagai": "rent", "baadige": "rent",
    "vaddi": "interest", "vatti": "interest", "sood": "interest",
    "vyaja": "interest",
    "kharidi": "purchase", "kharid": "purchase", "kharedi": "purchase", "kena": "purchase",
    "kolmudhal": "purchase",
    "bikri": "sales", "bikree": "sales", "vikri": "sales", "vechan": "sales",
    "virpanai": "sales", "vikray": "sales",
    "kharchu": "expense", "kharche": "expense", "kharcho": "expense",
    "bhagidar": "partner", "bhagidaar": "partner", "chalu": "current", "khata": "account",
    "khaata": "account", "mudi": "capital",
    "dharmada": "donation", "dharmadaa": "donation", "ghasaro": "depreciation",
    "bhangar": "scrap", "kolsa": "coal", "koyla": "coal", "kaasu": "cash",
    # Spellings of a few common words.
    "repairing": "repair", "repairings": "repair",
    # How Indian ledgers shorten a balance's state and a few common words.
    "pybl": "payable", "pyble": "payable", "payble": "payable", "pble": "payable",
    "rcvbl": "receivable", "rcvble": "receivable", "recvbl": "receivable",
    "recble": "receivable", "rcvb": "receivable",
    "accrd": "accrued", "acrd": "accrued", "frt": "freight", "frght": "freight",
    "admin": "administrative", "admn": "administrative", "mfg": "manufacturing",
    "opr": "operating", "oprn": "operating", "sal": "salary", "slry": "salary",
    # ERP short texts (SAP's 20 characters, Oracle's and Dynamics' account names).
    "consumptn": "consumption", "consmptn": "consumption", "consumpn": "consumption",
    "matl": "material", "matls": "material", "mtrl": "material", "matrl": "material",
    "eqpt": "equipment", "eqpmt": "equipment", "equipments": "equipment",
    "exch": "exchange", "xchg": "exchange", "cust": "customer", "custs": "customer",
    "cur": "current", "inwd": "inward", "inwrd": "inward", "outwd": "outward",
    "outwrd": "outward", "liab": "liability", "liabs": "liability", "mgmt": "management",
    "mgt": "management", "regn": "registration", "trf": "transfer", "trfr": "transfer",
    "bldg": "building", "bldgs": "building", "furn": "furniture", "veh": "vehicle",
    "machy": "machinery", "mchy": "machinery", "insur": "insurance", "pkg": "packing",
    "pkng": "packing", "recon": "reconciliation", "cap": "capital", "cls": "closing",
    "ncd": "non convertible debenture", "ncds": "non convertible debenture",
    "rou": "right of use",
}  # fmt: skip
# Initials of two-word assets ("P&M", "F&F"), as normalize_label leaves them.
_INITIAL_PAIRS = ((" p and m ", " plant and machinery "), (" f and f ", " furniture and fixture "))
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


# What a deposit is of, where "Dep." follows it (the rules' view: stemmed).
_DEPOSITED = ("security", "earnest money", "emd", "caution", "tender", "rent", "electricity",
              "telephone", "fixed", "licence", "license", "consent")  # fmt: skip
# Phrases an ERP's short account texts and foreign charts write another way (the rules'
# view: stemmed): "Chg in Inv - FG", "Gen Reserve", "Inv in Equity Shares", "Deferred
# Income Taxes".
_PHRASES = (
    (" charge in inv ", " change in inventory "),
    (" charge in inventory ", " change in inventory "),
    (" change in inv ", " change in inventory "),
    (" gen reserve ", " general reserve "),
    (" inv in transit ", " inventory in transit "),
    (" inv in process ", " inventory in process "),
    (" inv in ", " investment in "),
    (" deferred income tax ", " deferred tax "),
)
# Schedule III qualifiers that say nothing about the head ("unsecured, considered good").
_QUALIFIERS = (" considered good ", " considered doubtful ", " credit impaired ")
# The tax regime a sale, purchase or party ledger is kept under ("Trade Debtors / Exports
# - GST free"): it says nothing of the head unless it is all the label says ("Non-GST",
# whose group then decides).
_REGIME_QUALIFIERS = (
    " gst free ", " gst exempt ", " gst exempted ", " vat exempt ", " zero rated ",
    " nil rated ", " non gst ", " nongst ", " exempt supply ",
)  # fmt: skip


def padded_words(normalized: str) -> str:
    """The label as the rules see it, padded with spaces: " sundry debtor "."""
    words = " " + " ".join(map(_stem, normalized.split())) + " "
    if " and " in words:
        for initials, spelt in _INITIAL_PAIRS:
            words = words.replace(initials, spelt)
    if " depreciation " in words:
        # "Dep." after what is deposited is a deposit: "Security Dep.", "Rent Dep.".
        for kind in _DEPOSITED:
            words = words.replace(f" {kind} depreciation ", f" {kind} deposit ")
    for short, spelt in _PHRASES:
        if short in words:
            words = words.replace(short, spelt)
    if " i tax " in words:
        # "I.Tax", "I. Tax": how ledgers shorten income tax ("Provn. for I.Tax").
        words = words.replace(" i tax ", " income tax ")
    if " u s " in words:
        # "u/s 45-IC": a section of an Act qualifies what comes before it.
        words = words.replace(" u s ", " under section ")
    for qualifier in _QUALIFIERS:
        words = words.replace(qualifier, " ")
    for qualifier in _REGIME_QUALIFIERS:
        if qualifier in words:
            rest = words.replace(qualifier, " ")
            if rest.strip():
                words = rest
    return words


def padded_phrase(text: str) -> str:
    return padded_words(normalize_label(text))


def rule_words(label: str) -> list[str]:
    """A raw label's words as the rules see them: "Telephone Exps." -> telephone, expense."""
    return padded_words(normalize_label(label)).split()
