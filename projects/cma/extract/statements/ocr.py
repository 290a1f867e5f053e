"""Scanned statement pages read by OCR, then by the same reader as a text layer.

A page without a text layer is rendered to an image, straightened, and read by the
Tesseract engine (its word boxes and per-word confidences, from its TSV output). The
words become the reader's own words and lines, in PDF points, so headers, year columns,
units, wrapped labels and every checksum apply to a scan exactly as to a text layer.

Figures damaged the usual ways by OCR are repaired where the repair is unambiguous (a
letter for a digit inside a figure, a comma read as a full stop inside Indian grouping,
a rupee sign read as "%", a table rule read as "|"); anything still wrong is left for
the checksums to catch. Every item read from a scan carries ``ocr_confidence``: the
lowest confidence among the words of its label and of its own figure.
"""

from __future__ import annotations

import csv
import io
import re
import shutil
import subprocess
from dataclasses import dataclass, field, replace
from pathlib import Path

import pdfplumber
from PIL import Image, ImageOps

from projects.cma.extract.numbers import parse_amount
from projects.cma.extract.statements.lines import Line, Word
from projects.cma.extract.statements.page import State, read_page
from projects.cma.records import ExtractedItem, ExtractionError

__all__ = [
    "RESOLUTION",
    "REVIEW_BELOW",
    "OcrUnavailableError",
    "OcrWord",
    "ScannedPages",
    "deskew",
    "line_confidence",
    "ocr_available",
    "ocr_lines",
    "read_scanned_page",
    "recognise",
    "repair_amount",
]

# Tesseract reads best with letters 20-40 pixels tall: 9-11 pt type at 300 dpi.
RESOLUTION = 300
# Items read with less confidence than this go to review (see bench/RESULTS.md, "OCR").
REVIEW_BELOW = 0.80
# A figure repaired by guessing a digit for a letter is never more certain than this.
REPAIRED_CONFIDENCE = 0.75
# A page that takes longer than this is damaged or not a page of text.
_TIMEOUT_SECONDS = 180
# Skews a hand-fed scanner produces; a page turned further than this is not straightened.
_MAX_SKEW_DEGREES = 3.0
_SKEW_STEP = 0.2

_TESSERACT = "tesseract"
# Page segmentation 6, "a single uniform block of text": each printed row of a statement
# comes back as one line across the label, note and year columns.
_TESSERACT_ARGS = ("--psm", "6", "-l", "eng", "-c", "tessedit_do_invert=0")

# A doubtful word read again alone (page segmentation 7, one line), as a figure only.
_FIGURE_ARGS = ("--psm", "7", "-l", "eng", "-c", "tessedit_char_whitelist=0123456789,.()-")
# Enough for every figure of a page that scanned badly; past it the page is a photograph.
_MAX_REREADS = 60

# What OCR reads in place of a digit, in a token that is otherwise a figure.
_LOOKALIKES = str.maketrans(
    {"O": "0", "o": "0", "D": "0", "Q": "0", "l": "1", "I": "1", "i": "1", "|": "1", "!": "1"}
    | {"S": "5", "s": "5", "B": "8", "Z": "2", "z": "2"}
)
# A rupee sign as eng-trained Tesseract reads it, glued to the figure after it.
_RUPEE_LOOKALIKE = re.compile(r"^[%&\u20b9=\u00a5]+(?=[\d(OoIlS])")
_FIGURE_CHARS = re.compile(r"^[\dOoDQlIi|!SsBZz.,]+$")
# A table rule drawn through a row, read as a word of its own.
_RULE = re.compile(r"^[|\[\]{}!_\u2014\u2013~]+$")


class OcrUnavailableError(ExtractionError):
    """The OCR engine is not installed on this server."""


@dataclass
class OcrWord(Word):
    """A word read by OCR: the reader's word with how sure the engine was of it (0..1)."""

    confidence: float = 1.0


def ocr_available() -> bool:
    """Whether the Tesseract engine can be run on this server."""
    return shutil.which(_TESSERACT) is not None


def unavailable_error(name: str) -> OcrUnavailableError:
    """The message for a scanned file on a server without OCR."""
    return OcrUnavailableError(
        f"{name} has no text layer (it looks scanned), and OCR is not installed on the "
        "server to read it. Ask the administrator to install it (on Debian or Ubuntu: "
        "apt-get install tesseract-ocr tesseract-ocr-eng), or upload the PDF as exported "
        "from the accounting software, or the trial balance as Excel."
    )


# ----------------------------------------------------------------------------------------
# Reading a scanned page
# ----------------------------------------------------------------------------------------


def read_scanned_page(
    page: pdfplumber.page.Page,
    number: int,
    state: State,
    items: list[ExtractedItem],
    fiscal_year: str | None,
    path: Path,
    *,
    name: str | None = None,
    resolution: int = RESOLUTION,
) -> int:
    """Read one scanned page into ``items`` as the text-layer reader would; lines read.

    Raises OcrUnavailableError when the engine is missing, and ExtractionError when it
    fails on the page.
    """
    name = name or path.name
    if not ocr_available():
        raise unavailable_error(name)
    image = page.to_image(resolution=resolution).original
    # Points per pixel, from the page's own width: exact whatever the rendering rounded.
    scale = float(page.width) / image.width
    lines = ocr_lines(image, number, scale, name=name)
    start = len(items)
    read_page(number, lines, state, items, fiscal_year, path)
    # Where the reader turns lines into items as it goes, they take their line's
    # confidence here; where it keeps rows for later, each row carries it from its line.
    confidence = {line.number: line_confidence(line) for line in lines}
    for position in range(start, len(items)):
        item = items[position]
        if item.ocr_confidence is None:
            read_from = _line_number(item.source) or 0
            items[position] = replace(item, ocr_confidence=confidence.get(read_from, 0.0))
    return len(lines)


def ocr_lines(image: Image.Image, number: int, scale: float, *, name: str = "") -> list[Line]:
    """The page's printed lines as the reader's lines, word boxes in PDF points."""
    straight = deskew(image)
    words = _reread_doubtful_figures(straight, recognise(straight, name=name))
    rows: dict[tuple[int, int, int], list[tuple[str, float, int, int, int, int]]] = {}
    for text, confidence, key, box in words:
        rows.setdefault(key, []).append((text, confidence, *box))
    lines: list[list[OcrWord]] = []
    for row in sorted(rows.values(), key=lambda row: min(word[3] for word in row)):
        line = _line_words(row, scale)
        if not line:
            continue
        previous = lines[-1] if lines else None
        # Two engine lines at the same height are one printed row (a wide gap split it).
        if previous is not None and abs(line[0].top - previous[0].top) < line[0].height * 0.5:
            top, height = previous[0].top, previous[0].height
            previous.extend(replace(word, top=top, height=height) for word in line)
            previous.sort(key=lambda word: word.x0)
        else:
            lines.append(line)
    read = []
    for index, words in enumerate(lines, start=1):
        line = Line(number, index, _merge_split_figures(words))
        line.confidence = line_confidence(line)
        read.append(line)
    return read


def line_confidence(line: Line) -> float:
    """How sure the engine was of a line: its least sure word, label or figure.

    One misread digit makes a figure wrong however sure the rest is, so the least sure
    word, not an average, says whether a person should look.
    """
    return round(min((_confidence(word) for word in line.words), default=0.0), 3)


def _line_words(row: list[tuple[str, float, int, int, int, int]], scale: float) -> list[OcrWord]:
    kept = []
    for text, confidence, left, top, width, height in sorted(row, key=lambda word: word[2]):
        if _RULE.match(text):
            continue  # a table rule, not a word
        repaired = repair_amount(text)
        if repaired is not None and repaired != text:
            text, confidence = repaired, min(confidence, REPAIRED_CONFIDENCE)
        text = text.strip("|")
        if text:
            kept.append((text, confidence, left, top, width, height))
    kept = _drop_rupee_words(kept)
    if not kept:
        return []
    # One top and height for the whole row, as a text layer gives every word of a line:
    # box tops differ between "EQUITY" and "surplus" by the height of a lower-case letter.
    top = min(word[3] for word in kept)
    bottom = max(word[3] + word[5] for word in kept)
    return [
        OcrWord(
            text,
            left * scale,
            (left + width) * scale,
            top * scale,
            max(bottom - top, 1) * scale,
            confidence,
        )
        for text, confidence, left, _top, width, _height in kept
    ]


def _drop_rupee_words(
    words: list[tuple[str, float, int, int, int, int]],
) -> list[tuple[str, float, int, int, int, int]]:
    """A "%" or "&" standing alone just before a figure is a rupee sign, not a word."""
    kept = []
    for index, word in enumerate(words):
        following = words[index + 1] if index + 1 < len(words) else None
        if (
            word[0] in {"%", "&", "\u20b9", "=", "\u00a5"}
            and following is not None
            and following[2] - (word[2] + word[4]) < max(word[5], following[5]) * 1.5
            and _is_printed_figure(following[0])
        ):
            continue
        kept.append(word)
    return kept


def _is_printed_figure(text: str) -> bool:
    # Grouped or with paise: a note number or a year alone is not taken for a figure.
    return parse_amount(text) is not None and any(mark in text for mark in ",.")


def _merge_split_figures(words: list[OcrWord]) -> list[OcrWord]:
    """ "12,34," and "567.89" read as two words when a comma's gap looked like a space."""
    merged: list[OcrWord] = []
    for word in words:
        last = merged[-1] if merged else None
        if (
            last is not None
            and last.text.endswith(",")
            and word.x0 - last.x1 < word.height * 0.6
            and parse_amount(last.text + word.text) is not None
        ):
            merged[-1] = replace(
                last,
                text=last.text + word.text,
                x1=word.x1,
                confidence=min(last.confidence, word.confidence),
            )
        else:
            merged.append(word)
    return merged


# ----------------------------------------------------------------------------------------
# The engine
# ----------------------------------------------------------------------------------------


def recognise(
    image: Image.Image, *, name: str = ""
) -> list[tuple[str, float, tuple[int, int, int], tuple[int, int, int, int]]]:
    """Tesseract's words: (text, confidence 0..1, line key, (left, top, width, height))."""
    if not ocr_available():
        raise unavailable_error(name or "This file")
    try:
        result = subprocess.run(
            [_TESSERACT, "stdin", "stdout", *_TESSERACT_ARGS, "tsv"],
            input=_png(image),
            capture_output=True,
            timeout=_TIMEOUT_SECONDS,
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        raise ExtractionError(
            f"OCR of a scanned page of {name or 'the file'} took too long; the scan may be "
            "damaged. Scan the page again, or upload the trial balance as Excel."
        ) from exc
    if result.returncode != 0:
        detail = result.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or [""]
        raise ExtractionError(
            f"OCR failed on a scanned page of {name or 'the file'} ({detail[0]}). Scan the "
            "page again, or upload the trial balance as Excel."
        )
    words = []
    reader = csv.DictReader(
        io.StringIO(result.stdout.decode("utf-8", "replace")),
        delimiter="\t",
        quoting=csv.QUOTE_NONE,
    )
    for row in reader:
        text = (row.get("text") or "").strip()
        if row.get("level") != "5" or not text:
            continue
        confidence = max(0.0, min(float(row["conf"]), 100.0)) / 100
        key = (int(row["block_num"]), int(row["par_num"]), int(row["line_num"]))
        box = (int(row["left"]), int(row["top"]), int(row["width"]), int(row["height"]))
        words.append((text, confidence, key, box))
    return words


def _reread_doubtful_figures(
    image: Image.Image,
    words: list[tuple[str, float, tuple[int, int, int], tuple[int, int, int, int]]],
) -> list[tuple[str, float, tuple[int, int, int], tuple[int, int, int, int]]]:
    """Doubtful words with digits read again as figures alone ("2.77" first read "20F").

    Reading the word's box with only digits, separators and brackets allowed removes the
    letters a blurred digit is taken for; the second reading is kept only if it is a figure.
    """
    doubtful = [
        index
        for index, (text, confidence, _key, _box) in enumerate(words)
        if confidence < REVIEW_BELOW
        and any(char.isdigit() for char in text)
        and repair_amount(text) in (None, text)
        and parse_amount(text) is None
    ][:_MAX_REREADS]
    for index in doubtful:
        _text, _confidence, key, (left, top, width, height) = words[index]
        pad = max(height // 2, 4)
        crop = image.crop((left - pad, top - pad, left + width + pad, top + height + pad))
        try:
            result = subprocess.run(
                [_TESSERACT, "stdin", "stdout", *_FIGURE_ARGS],
                input=_png(crop),
                capture_output=True,
                timeout=_TIMEOUT_SECONDS,
                check=False,
            )
        except subprocess.TimeoutExpired:
            continue
        again = result.stdout.decode("utf-8", "replace").strip()
        if result.returncode == 0 and again and " " not in again and parse_amount(again):
            # A figure, but from a guess: never surer than a repaired one.
            words[index] = (again, REPAIRED_CONFIDENCE, key, (left, top, width, height))
    return words


def _png(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.convert("L").save(buffer, format="PNG")
    return buffer.getvalue()


def deskew(image: Image.Image) -> Image.Image:
    """The page turned straight: a scanner's skew tilts rows across the year columns.

    The angle is the one whose rows of ink are sharpest (the projection profile): on a
    straight page every printed row is a dense band and every gap between rows empty.
    """
    gray = image.convert("L")
    # Small enough to try every angle quickly, large enough to keep rows apart.
    small = gray.resize((max(gray.width // 3, 1), max(gray.height // 3, 1)))
    ink = ImageOps.invert(small).point(lambda value: 255 if value > 96 else 0)
    best_angle, best_score = 0.0, _profile_sharpness(ink)
    steps = int(_MAX_SKEW_DEGREES / _SKEW_STEP)
    for step in range(-steps, steps + 1):
        angle = step * _SKEW_STEP
        if step == 0:
            continue
        score = _profile_sharpness(ink.rotate(angle, resample=Image.Resampling.NEAREST))
        if score > best_score * 1.01:  # straight unless another angle is clearly better
            best_angle, best_score = angle, score
    if best_angle == 0.0:
        return gray
    return gray.rotate(best_angle, resample=Image.Resampling.BICUBIC, fillcolor=255)


def _profile_sharpness(ink: Image.Image) -> float:
    # Each row's share of ink (a one-pixel-wide resize averages the row); sharp rows
    # make the squares of these large.
    column = ink.resize((1, ink.height), Image.Resampling.BOX)
    return float(sum(value * value for value in column.tobytes()))


# ----------------------------------------------------------------------------------------
# Repairing figures
# ----------------------------------------------------------------------------------------


def repair_amount(text: str) -> str | None:
    """A figure damaged by OCR, repaired; None when ``text`` is no damaged figure.

    "1.23.456.78" -> "1,23,456.78", "l2,3O4" -> "12,304", "%1,500.00" -> "1,500.00",
    "(2.71" -> "(2.71)". A figure that already reads is returned as it is.
    """
    if parse_amount(text) is not None:
        return text
    core = text.strip("|").strip()
    core = _RUPEE_LOOKALIKE.sub("", core)
    opening = core.startswith("(")
    closing = core.endswith(")")
    minus = core.startswith("-")
    body = core.strip("()-").rstrip(".,")
    if not body or _FIGURE_CHARS.match(body) is None:
        return None
    digits = sum(char.isdigit() for char in body)
    letters = sum(char.isalpha() or char in "|!" for char in body)
    # A word or a code ("IS", "S1") is not a figure with a letter misread in it: without
    # grouping or paise to show a figure's shape, most of the token must be digits.
    if digits == 0 or (letters >= digits and not re.search(r"[.,]", body)):
        return None
    body = body.translate(_LOOKALIKES)
    body = _separators(body)
    if body is None:
        return None
    # A bracket whose partner was lost to the scan still marks a negative figure.
    repaired = f"({body})" if opening or closing else (f"-{body}" if minus else body)
    return repaired if parse_amount(repaired) is not None else None


def _separators(body: str) -> str | None:
    """Commas and the decimal point put back where full stops and commas were misread."""
    groups = re.split(r"[.,]", body)
    if len(groups) == 1 or any(not group for group in groups[1:]):
        return body if len(groups) == 1 else None
    last = groups[-1]
    if len(last) in (1, 2):
        # Paise: the last separator is the decimal point, every earlier one a grouping.
        return ",".join(groups[:-1]) + "." + last
    if len(last) == 3 and (len(groups) > 2 or "," in body):
        return ",".join(groups)  # grouping throughout, no paise printed
    return None  # "1.234": a thousand, or one and a bit; the scan cannot say


# ----------------------------------------------------------------------------------------
# Confidence
# ----------------------------------------------------------------------------------------


def _confidence(word: Word) -> float:
    return word.confidence if isinstance(word, OcrWord) else 1.0


def _line_number(source: str) -> int | None:
    match = re.search(r"line (\d+)", source)
    return int(match.group(1)) if match else None


# ----------------------------------------------------------------------------------------
# A PDF's scanned pages
# ----------------------------------------------------------------------------------------


@dataclass
class ScannedPages:
    """The scanned pages of one PDF: those read by OCR, and whether the engine was missing."""

    read: list[int] = field(default_factory=list)
    engine_missing: bool = False

    def read_page(
        self,
        page: pdfplumber.page.Page,
        number: int,
        state: State,
        items: list[ExtractedItem],
        fiscal_year: str | None,
        path: Path,
        *,
        name: str | None = None,
    ) -> bool:
        """Read a scanned page by OCR; False when the engine is not installed."""
        if not ocr_available():
            self.engine_missing = True
            return False
        read_scanned_page(page, number, state, items, fiscal_year, path, name=name)
        self.read.append(number)
        return True

    def no_statement_error(self, name: str, pages: int) -> ExtractionError | None:
        """For a PDF whose every page is a scan: the engine is missing, or read nothing."""
        if self.engine_missing and not self.read:
            return unavailable_error(name)
        if self.read and len(self.read) == pages:
            return ExtractionError(
                f"{name} has no text layer (it looks scanned). OCR read its "
                f"{_pages(self.read)} but found no balance sheet or statement of profit and "
                'loss with year columns (such as "As at 31.03.2025"). Scan it again at 300 '
                "dpi, upright, or upload the trial balance as Excel."
            )
        return None

    def warnings(self, name: str) -> list[str]:
        notes = []
        if self.read:
            verbs = "is scanned and was" if len(self.read) == 1 else "are scanned and were"
            notes.append(
                f"{_pages(self.read).capitalize()} of {name} {verbs} read by OCR; check the "
                "figures marked for review against the scan."
            )
        if self.engine_missing:
            notes.append(
                f"Scanned pages of {name} were not read because OCR is not installed on the "
                "server (on Debian or Ubuntu: apt-get install tesseract-ocr tesseract-ocr-eng)."
            )
        return notes


def _pages(numbers: list[int]) -> str:
    listed = ", ".join(str(number) for number in numbers)
    return f"page {listed}" if len(numbers) == 1 else f"pages {listed}"
