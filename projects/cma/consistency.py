"""Whether a project's files belong together: one company, years that follow each other.

A CMA compares one company's consecutive years. A second company's books, or a file of a
year far from the others, mixed into a project silently produces figures that are right
for nobody; these checks find such a file so the extract step can set it aside with a
message the user can act on (and confirm, when it is right after all).

Pure Python: the caller passes what each file's extraction said.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz

from projects.cma.years import fiscal_year_label

# Legal forms and courtesy words that vary between a company's own documents.
_NOISE = re.compile(
    r"\b(?:m\s*/\s*s|messrs|the|private|pvt|limited|ltd|llp|opc|co|company|corporation|"
    r"corp|inc|firm|partnership|proprietorship|prop|india)\b\.?",
    re.IGNORECASE,
)
_FORMERLY = re.compile(r"\((?:formerly|earlier)\b[^)]*\)", re.IGNORECASE)
# Names this alike are the same company spelt two ways ("Shri"/"Shree", a dropped "&").
SAME_COMPANY = 88.0
# A title row taken for the company's name that is really the report's own words: no
# evidence of whose books these are, so never a reason to refuse a file.
_NOT_A_NAME = re.compile(
    r"\b(?:trial\s+balance|balance\s+sheet|statement|ledger|schedule|report|particulars|"
    r"as\s+(?:on|at)|for\s+the\s+(?:year|period)|closing|opening|group\s+summary|"
    r"account\s+books?|financial\s+year)\b|\d{2}[-./]\d{2}[-./]\d{2,4}",
    re.IGNORECASE,
)
_MOST_WORDS = 12


@dataclass(frozen=True)
class FileFacts:
    """What one readable file says about whose books it holds and which years."""

    key: int  # the caller's id for the file
    name: str  # the name the user uploaded it under
    company: str  # as printed; "" when the file names none
    years: tuple[str, ...]  # fiscal years it gives figures for, "2023-24"


@dataclass(frozen=True)
class Conflict:
    key: int
    message: str  # names the file, what contradicts what, and what to do


def company_key(name: str) -> str:
    """A company's name without its legal form, punctuation or case: for comparing; ""
    when ``name`` does not read as a name (a report's title, a date)."""
    if _NOT_A_NAME.search(name) or len(name.split()) > _MOST_WORDS:
        return ""
    plain = _FORMERLY.sub(" ", name.replace("&", " and "))
    plain = _NOISE.sub(" ", plain.lower())
    plain = re.sub(r"[^a-z0-9 ]+", " ", plain)
    return " ".join(plain.split())


def same_company(first: str, second: str) -> bool:
    a, b = company_key(first), company_key(second)
    if not a or not b:
        return True  # nothing left to compare: no evidence of a difference
    return a == b or fuzz.token_sort_ratio(a, b) >= SAME_COMPANY


def file_conflicts(files: Sequence[FileFacts], *, client_name: str = "") -> list[Conflict]:
    """The files that contradict the rest of the project, each with the reason.

    The project's company is the one most files name (ties go to the client's name as
    typed on the project, then to the earliest file); a file naming another is a
    conflict. The project's years are the longest run of consecutive years the files
    cover (ties go to the latest); a file with no year in that run is a conflict, since
    it would leave a gap a CMA cannot have.
    """
    conflicts: dict[int, str] = {}
    main_company = _main_company(files, client_name)
    if main_company:
        for facts in files:
            if facts.company and not same_company(facts.company, main_company):
                conflicts[facts.key] = (
                    f"{facts.name} is the books of \u201c{facts.company}\u201d, but the "
                    f"project's other files are of \u201c{main_company}\u201d. Remove it if it "
                    "was added by mistake, or confirm it if both names are the same company."
                )
    others = [f for f in files if f.key not in conflicts]
    span = _main_span(others)
    if span is not None:
        first, last = span
        for facts in others:
            starts = [int(year[:4]) for year in facts.years]
            if not starts or any(first <= start <= last for start in starts):
                continue
            covers = ", ".join(facts.years)
            conflicts[facts.key] = (
                f"{facts.name} covers {covers}, but the project's other files cover "
                f"{_span_text(first, last)}; a CMA compares consecutive years. Check the year "
                "chosen for it (or the file), or confirm it if it belongs to this report."
            )
    return [Conflict(key, message) for key, message in conflicts.items()]


def _main_company(files: Sequence[FileFacts], client_name: str) -> str:
    named = [f for f in files if company_key(f.company)]
    if not named:
        return ""
    groups: list[list[FileFacts]] = []
    for facts in named:
        for group in groups:
            if same_company(group[0].company, facts.company):
                group.append(facts)
                break
        else:
            groups.append([facts])

    def rank(group: list[FileFacts]) -> tuple[int, bool, int]:
        matches_client = bool(client_name) and same_company(group[0].company, client_name)
        return (len(group), matches_client, -named.index(group[0]))

    return max(groups, key=rank)[0].company


def _main_span(files: Sequence[FileFacts]) -> tuple[int, int] | None:
    """The run of consecutive years covered by the most files, as (first, last) starts."""
    starts = sorted({int(year[:4]) for f in files for year in f.years})
    if not starts:
        return None
    runs: list[list[int]] = [[starts[0]]]
    for start in starts[1:]:
        if start == runs[-1][-1] + 1:
            runs[-1].append(start)
        else:
            runs.append([start])

    def weight(run: list[int]) -> tuple[int, int]:
        covering = sum(1 for f in files if any(int(y[:4]) in run for y in f.years))
        return (covering, run[-1])

    best = max(runs, key=weight)
    return best[0], best[-1]


def _span_text(first: int, last: int) -> str:
    if first == last:
        return fiscal_year_label(first)
    return f"{fiscal_year_label(first)} to {fiscal_year_label(last)}"
