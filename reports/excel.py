"""The monthly report as an Excel workbook: the form the head of the facility signs, then the list
of the month's events.

Sheet 1 is the paper form of the Russian/Kazakh office tradition (approval block top right,
centred title, numbered table, signature block), laid out for A4 portrait with 3 cm on the left.
Sheet 2 lists the events for filtering and checking, A4 landscape. Events by kind are not a sheet
of their own: they are rows 1.3… of the form, so the figures stand where they are signed.

The workbook is written in openpyxl's write-only mode: rows stream to the file, so a year of
events costs little more than the bare values. Every text goes through `text_cell`, so nothing
typed by a user (a place, a name) can ever become a formula.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import math
import re
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import Cell, WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.worksheet import Worksheet

from db.i18n import LANGUAGES, N_, translate
from reports import texts
from reports.files import write_atomically
from reports.model import EventLine, MonthlyReport, TableRow, summary_rows

# TRANSLATORS: name of the first sheet of the Excel report (31 characters at most): «Отчёт» /
# «Есеп»
SHEET_REPORT = N_("Report")
# TRANSLATORS: name of the sheet with the list of events: «Мероприятия» / «Іс-шаралар»
SHEET_EVENTS = N_("Events")
# TRANSLATORS: «Перечень проведённых мероприятий» / «Өткізілген іс-шаралар тізбесі»
LIST_TITLE = N_("List of events held")
# TRANSLATORS: column head in the list of events: «Время» / «Уақыты»
COL_TIME = N_("Time")
# TRANSLATORS: column head in the list of events, its values are «в учреждении» / «вне
# учреждения»: «В учреждении или вне» / «Мекемеде немесе одан тыс»
COL_INSIDE = N_("In or outside the facility")

DATE_FORMAT = "DD.MM.YYYY"
TEXT_FORMAT = "@"
DEFAULT_FONT = "Calibri"  # openpyxl's (and Excel's) default, used for the list of events
FORM_FONT = "Times New Roman"  # the font of official papers; Windows has it with Kazakh letters
MAX_CELL_TEXT = 32767  # Excel's limit; a longer text makes Excel repair the file
# A text starting with one of these is a formula (or DDE, or an error value like "#N/A") to a
# spreadsheet program when typed.
FORMULA_STARTS = ("=", "+", "-", "@", "#", "\t", "\r")
_HEADER_TEXT = 200  # Excel refuses (repairs) a page header longer than 255 characters
_CM = 1 / 2.54  # openpyxl margins are in inches


# --- cells -------------------------------------------------------------------------------------


class StreamCell(Cell):
    """A cell for a write-only sheet. append() first tries each value as a plain one and, for a
    cell, formats a ValueError message with the cell's repr before taking it as it is: a short
    repr makes that, the biggest cost of a styled cell, a small one."""

    __slots__ = ("_style_id",)

    def __repr__(self) -> str:
        return "<cell>"

    @property
    def style_id(self) -> int:
        # A cell reused row after row keeps one style: its id is looked up once, not for every
        # row (openpyxl hashes the whole style for each styled cell it writes).
        try:
            return self._style_id
        except AttributeError:
            self._style_id: int = Cell.style_id.fget(self)  # type: ignore[attr-defined]
            return self._style_id


def stream_cells_as_they_are(ws: WriteOnlyWorksheet) -> None:
    """Let `ws.append` take a cell in a row at once. openpyxl first tries every value as a
    plain one and builds an error message before it takes a cell, and starts a new cell after
    each styled one: for a year of events (thousands of dates and wrapping texts) that is a
    good part of the export's time. The conversion below is openpyxl's own otherwise; should
    openpyxl stop calling `_values_to_row`, its own is used again, only slower."""

    def values_to_row(values: Sequence[Any], row_idx: int) -> Iterator[Cell]:
        cell = WriteOnlyCell(ws)
        for col_idx, value in enumerate(values, 1):
            if value is None:
                continue
            if isinstance(value, Cell):
                value.column, value.row = col_idx, row_idx
                yield value
                continue
            cell.value = value
            cell.column, cell.row = col_idx, row_idx
            yield cell  # written out before the next value is taken
            if cell.has_style:
                cell = WriteOnlyCell(ws)

    ws._values_to_row = values_to_row  # type: ignore[method-assign]


def clean_text(text: str) -> str:
    """User text as Excel can store it: without the control characters XML forbids (pasted from
    other programs, they make openpyxl raise) and within Excel's length limit."""
    text = ILLEGAL_CHARACTERS_RE.sub("", text)
    return text[:MAX_CELL_TEXT]


def text_cell(ws: WriteOnlyWorksheet, text: str, style: StyleArray | None = None,
              quoted_style: StyleArray | None = None) -> Cell:
    """A cell whose value stays the literal text, never a formula: "=HYPERLINK(…)" or "+7 701…"
    typed by a user is shown as typed. `quoted_style` (the same style with quotePrefix) is used
    for text a spreadsheet would take for a formula, so editing the cell keeps it text too."""
    text = clean_text(text)
    risky = text.startswith(FORMULA_STARTS)
    cell = StreamCell(ws, row=1, column=1,
                      style_array=quoted_style if risky and quoted_style else style)
    if not text:
        return cell  # a blank (styled) cell: an empty inline string is not valid in the file
    cell.value = text
    cell.data_type = "s"  # openpyxl makes "=…" a formula; "s" writes it as an inline string
    if risky and quoted_style is None:
        cell.quotePrefix = True
    return cell


def identifier_cell(ws: WriteOnlyWorksheet, value: str | int, style: StyleArray | None = None
                    ) -> Cell:
    """An IIN or another number-like identifier: text formatted "@", so Excel neither drops its
    leading zeros nor shows it as 1.23E+11."""
    cell = text_cell(ws, str(value), style)
    cell.number_format = TEXT_FORMAT
    return cell


def date_value(value: dt.date | dt.datetime) -> dt.date | dt.datetime:
    """A date Excel can store: openpyxl refuses timezone-aware datetimes (TypeError)."""
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        return value.replace(tzinfo=None)
    return value


def number_value(value: float) -> int | float:
    """Whole figures as ints, so Excel shows 3, not 3.0, and a reader gets an int back."""
    return int(value) if float(value).is_integer() else float(value)


class CellStyles:
    """The workbook's cell styles, each registered once and then shared by its cells: setting a
    font or a border cell by cell costs more than writing the values."""

    def __init__(self, ws: WriteOnlyWorksheet) -> None:
        self._ws = ws
        self._made: dict[tuple[Any, ...], StyleArray] = {}

    def __call__(self, font: Font | None = None, alignment: Alignment | None = None,
                 border: Border | None = None, number_format: str = "General",
                 fill: PatternFill | None = None, quote: bool = False) -> StyleArray:
        key = (font, alignment, border, number_format, fill, quote)
        if key not in self._made:
            scratch = WriteOnlyCell(self._ws)
            if font is not None:
                scratch.font = font
            if alignment is not None:
                scratch.alignment = alignment
            if border is not None:
                scratch.border = border
            if fill is not None:
                scratch.fill = fill
            scratch.number_format = number_format
            scratch.quotePrefix = quote
            self._made[key] = StyleArray(scratch._style)
        return self._made[key]

    def text(self, **kwargs: Any) -> tuple[StyleArray, StyleArray]:
        """The style and its quotePrefix twin, as `text_cell` takes them."""
        return self(**kwargs), self(quote=True, **kwargs)


@dataclass
class Grid:
    """A small sheet collected before writing: in write-only mode merges, heights and widths
    must be known before the first row goes out."""

    rows: list[list[Cell | None]] = field(default_factory=list)
    heights: dict[int, float] = field(default_factory=dict)
    merges: list[str] = field(default_factory=list)

    def add(self, cells: Sequence[Cell | None] = (), height: float | None = None,
            merge: Sequence[tuple[int, int]] = ()) -> int:
        self.rows.append(list(cells))
        number = len(self.rows)
        if height is not None:
            self.heights[number] = height
        for first, last in merge:
            self.merges.append(f"{get_column_letter(first)}{number}:"
                               f"{get_column_letter(last)}{number}")
        return number

    def write(self, ws: WriteOnlyWorksheet) -> None:
        for number, height in self.heights.items():
            ws.row_dimensions[number].height = height
        for ref in self.merges:
            ws.merged_cells.add(ref)
        for cells in self.rows:
            ws.append(cells)


# Average widths of a character, in Excel width units (7 px, one digit of the default font), by
# kind: lower case, capital, digit, space or punctuation. Measured on the fonts' metric twins
# (Liberation Serif, Carlito) over the reference lists in Russian and Kazakh. Excel has no
# autofit for merged cells and LibreOffice does not fit row heights when it opens a file, so
# heights are computed from these.
_Metrics = tuple[float, float, float, float]
TIMES_12: _Metrics = (1.13, 1.57, 1.14, 0.72)
TIMES_12_BOLD: _Metrics = (1.21, 1.68, 1.14, 0.77)
TIMES_11: _Metrics = (1.04, 1.44, 1.05, 0.66)
TIMES_11_BOLD: _Metrics = (1.11, 1.54, 1.05, 0.71)
TIMES_14_BOLD: _Metrics = (1.41, 1.96, 1.33, 0.90)
CALIBRI_11: _Metrics = (1.03, 1.22, 1.06, 0.69)
CALIBRI_11_BOLD: _Metrics = (1.06, 1.25, 1.06, 0.72)
_NARROW = frozenset(" .,;:!'|()[]-/\"«»")
_PADDING = 0.4  # units a cell keeps free beside its text (a little more than Excel's 5 px)
_HYPHEN = re.compile(r"(?<=\w)-(?=\w)")


def _char_width(char: str, metrics: _Metrics) -> float:
    lower, upper, digit, narrow = metrics
    if char in _NARROW:
        return narrow
    if char.isdigit() or char == "_":
        return digit
    if char.isalpha() and not char.isupper():
        return lower
    return upper  # capitals, "№" and other signs: count them wide


# {metrics: {character: width}}: each character is classified once per font
_CHAR_WIDTHS: dict[_Metrics, dict[str, float]] = {}


def text_width(text: str, metrics: _Metrics) -> float:
    """The printed width of a one-line text, in Excel width units."""
    widths = _CHAR_WIDTHS.setdefault(metrics, {})
    total = 0.0
    for char in text:
        width = widths.get(char)
        if width is None:
            width = widths[char] = _char_width(char, metrics)
        total += width
    return total


def text_lines(text: str, width: float, metrics: _Metrics) -> int:
    """Lines `text` takes in a wrapping cell `width` units wide (breaks between words, as
    Excel does; a word wider than the cell is broken inside)."""
    usable = max(1.0, width - _PADDING)
    space = metrics[3]
    lines = 0
    for paragraph in text.split("\n"):
        lines += 1
        used = 0.0
        for word in paragraph.split():
            gap = space
            for piece in _HYPHEN.sub("-\n", word).split("\n"):  # a line may break after "-"
                size = text_width(piece, metrics)
                if used and used + gap + size > usable:
                    lines += 1
                    used = 0.0
                used += (gap if used else 0.0) + size
                gap = 0.0
                if used > usable:  # a word longer than the line is broken inside
                    extra = math.ceil(used / usable) - 1
                    lines += extra
                    used -= extra * usable
    return lines


def _header_footer_text(text: str) -> str:
    """Text for a page header or footer, where "&" starts a field code."""
    return text.replace("&", "&&")


def page_setup(ws: WriteOnlyWorksheet, *, landscape: bool, left_cm: float,
                title_rows: str, language: str, header: str = "") -> None:
    ws.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    # Fit every column on the page; as many pages down as the rows need.
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.page_margins.left = left_cm * _CM
    ws.page_margins.right = ws.page_margins.top = ws.page_margins.bottom = 2 * _CM
    ws.page_margins.header = ws.page_margins.footer = 0.8 * _CM
    ws.print_title_rows = title_rows
    footer = _header_footer_text(texts.page_of("\0P", "\0N", language))
    ws.oddFooter.center.text = footer.replace("\0", "&")  # &P page, &N pages: Excel's codes
    ws.oddFooter.center.size = 9
    if header:
        ws.oddHeader.center.text = _header_footer_text(clean_text(header)[:_HEADER_TEXT])
        ws.oddHeader.center.size = 9


# --- sheet 1: the form -------------------------------------------------------------------------

# Column widths of the form (Excel units, about one digit of the default font each): together
# about 16 cm, the width of A4 less 3 cm on the left and 2 cm on the right.
_FORM_WIDTHS = (6.5, 46.0, 15.5, 15.5)
_LINE_12 = 15.75  # points per line of 12 pt Times New Roman (the text around the table)
_LINE_11 = 15.0  # and of 11 pt, the table's, so that the usual form fits on one page
_GAP = 9.0  # height of an empty row between the blocks
# Points of A4 portrait between the 2 cm top and bottom margins, less a little because Excel and
# LibreOffice do not place rows to the point.
_PAGE_POINTS = (29.7 - 4) / 2.54 * 72 - 6
_KEEP_WITH_SIGNATURE = 2  # table rows that go to the next page with the signature block


def _write_form(ws: WriteOnlyWorksheet, report: MonthlyReport, language: str) -> None:
    style = CellStyles(ws)
    thin = Side(style="thin")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    regular = Font(name=FORM_FONT, size=12)
    bold = Font(name=FORM_FONT, size=12, bold=True)
    left = Alignment(horizontal="left", vertical="top", wrap_text=True)
    centre = Alignment(horizontal="center", vertical="center", wrap_text=True)
    plain = style.text(font=regular, alignment=left)
    heading = style.text(font=bold, alignment=centre)
    title = style.text(font=Font(name=FORM_FONT, size=14, bold=True), alignment=centre)
    facility = style.text(font=regular, alignment=centre)
    table_head = style.text(font=Font(name=FORM_FONT, size=11, bold=True), alignment=centre,
                            border=box)
    grid = Grid()

    def line(text: str, styles: tuple[StyleArray, StyleArray], first: int, last: int,
             *, metrics: _Metrics = TIMES_12, height: float = _LINE_12) -> int:
        """One text merged over columns first..last, its row as high as its wrapped lines."""
        # merged cells also share the 5 px padding of the columns they cover
        width = sum(_FORM_WIDTHS[first - 1:last]) + (last - first) * 5 / 7
        cells: list[Cell | None] = [None] * (first - 1)
        cells.append(text_cell(ws, text, *styles))
        return grid.add(cells, height=text_lines(text, width, metrics) * height,
                        merge=[(first, last)] if last > first else ())

    # Approval block, top right: the head approves the report by signing here.
    signature = report.signature
    head = texts.signature_name(signature.head_name) if signature.head_name.strip() else ""
    head_title = texts.head_title(report.facility.code, language)
    head_sign = f"{texts.SIGNATURE_LINE} {head or texts.NAME_LINE}"
    for text in (translate(texts.APPROVED, language), head_title, head_sign,
                 translate(texts.APPROVAL_DATE, language).format(year=texts.approval_year(report))):
        line(text, plain, 3, 4)
    grid.add(height=_GAP)

    # Title, centred.
    line(translate(texts.REPORT_TITLE, language), title, 1, 4, metrics=TIMES_14_BOLD,
         height=18.75)
    line(translate(texts.REPORT_SUBJECT, language), heading, 1, 4, metrics=TIMES_12_BOLD)
    line(texts.period_title(report.month, language), heading, 1, 4, metrics=TIMES_12_BOLD)
    line(report.facility.name, facility, 1, 4)
    grid.add(height=_GAP)

    # The numbered table.
    head_texts = [translate(msgid, language) for msgid in
                  (texts.COL_NUMBER, texts.COL_INDICATOR, texts.COL_MONTH, texts.COL_YEAR)]
    head_lines = max(text_lines(text, width, TIMES_11_BOLD)
                     for text, width in zip(head_texts, _FORM_WIDTHS, strict=True))
    header_row = grid.add([text_cell(ws, text, *table_head) for text in head_texts],
                          height=head_lines * _LINE_11 + 3)
    table_styles = {bold: TableStyles.make(style, box, bold) for bold in (False, True)}
    for row in summary_rows(report, language):
        label = translate(row.label, language) if row.translate_label else row.label
        # an indented label loses about 1.5 units to the indent
        lines = text_lines(label, _FORM_WIDTHS[1] - (1.5 if "." in row.number else 0),
                           TIMES_11_BOLD if row.bold else TIMES_11)
        last_table_row = grid.add(summary_cells(ws, table_styles[row.bold], row, label),
                                  height=lines * _LINE_11 + (2 if lines > 1 else 0))

    # Signature block: who prepared it, then the head's signature, the stamp and the date.
    grid.add(height=_GAP)
    prepared = [part for part in (signature.prepared_by.strip(), signature.position.strip())
                if part]
    if signature.phone.strip():
        prepared.append(translate(texts.PHONE, language).format(phone=signature.phone.strip()))
    line(f"{translate(texts.PREPARED_BY, language)} {', '.join(prepared) or texts.NAME_LINE}",
         plain, 1, 4)
    grid.add(height=12)
    width_ab, width_cd = sum(_FORM_WIDTHS[:2]), sum(_FORM_WIDTHS[2:])
    grid.add([text_cell(ws, head_title, *plain), None, text_cell(ws, head_sign, *plain)],
             height=_LINE_12 * max(text_lines(head_title, width_ab, TIMES_12),
                                   text_lines(head_sign, width_cd, TIMES_12)),
             merge=[(1, 2), (3, 4)])
    generated = translate(texts.DATE_LABEL, language).format(
        date=texts.format_date(report.generated_at))
    grid.add([text_cell(ws, translate(texts.STAMP_PLACE, language), *plain), None,
              text_cell(ws, generated, *plain)], height=_LINE_12, merge=[(1, 2), (3, 4)])

    # A signature alone on a page signs nothing: the last table rows go along with it.
    first_kept = max(header_row + 1, last_table_row + 1 - _KEEP_WITH_SIGNATURE)
    if _starts_new_page_needed(grid, header_row, first_kept):
        ws.row_breaks.append(Break(id=first_kept - 1))

    for index, width in enumerate(_FORM_WIDTHS, start=1):
        ws.column_dimensions[get_column_letter(index)].width = width
    ws.sheet_view.showGridLines = False  # on screen too it looks like the paper
    page_setup(ws, landscape=False, left_cm=3, title_rows=f"{header_row}:{header_row}",
                language=language)
    grid.write(ws)


def _starts_new_page_needed(grid: Grid, header_row: int, first_kept: int) -> bool:
    """Whether rows first_kept..end would not fit on the page where first_kept falls, laying
    the rows out as a printer does (the table's header repeated on every next page)."""
    def height(number: int) -> float:
        return grid.heights.get(number, _LINE_12)

    used, page_start = 0.0, 1
    for number in range(1, first_kept):
        if used + height(number) > _PAGE_POINTS:
            used, page_start = height(header_row), number
        used += height(number)
    rest = sum(height(number) for number in range(first_kept, len(grid.rows) + 1))
    return used + rest > _PAGE_POINTS and first_kept > page_start


@dataclass(frozen=True)
class TableStyles:
    """The styles of the numbered table's cells, made once: hashing a font to find its style
    costs more than a whole row."""

    number: tuple[StyleArray, StyleArray]
    label: tuple[StyleArray, StyleArray]
    sub_label: tuple[StyleArray, StyleArray]  # indented under its total
    whole: StyleArray
    one_decimal: StyleArray

    @classmethod
    def make(cls, style: CellStyles, box: Border, bold: bool) -> TableStyles:
        font = Font(name=FORM_FONT, size=11, bold=bold)
        centred = Alignment(horizontal="center", vertical="center")

        def label(indent: int) -> tuple[StyleArray, StyleArray]:
            return style.text(font=font, border=box, alignment=Alignment(
                horizontal="left", vertical="center", wrap_text=True, indent=indent))

        return cls(number=style.text(font=font, border=box, alignment=centred),
                   label=label(0), sub_label=label(1),
                   whole=style(font=font, border=box, alignment=centred, number_format="0"),
                   one_decimal=style(font=font, border=box, alignment=centred,
                                     number_format="0.0"))


def summary_cells(ws: WriteOnlyWorksheet, styles: TableStyles, row: TableRow, label: str
                   ) -> list[Cell | None]:
    # Sub-rows (1.1, 2.3…) are indented under their total, as on the paper forms.
    cells: list[Cell | None] = [
        text_cell(ws, row.number, *styles.number),
        text_cell(ws, label, *(styles.sub_label if "." in row.number else styles.label))]
    for value in (row.month, row.year):
        if value is None or row.heading:
            cells.append(text_cell(ws, texts.row_figure(row, value), *styles.number))
            continue
        decimals = texts.figure_decimals(row, value)
        cell = StreamCell(ws, row=1, column=1,
                    style_array=styles.one_decimal if decimals else styles.whole)
        cell.value = float(value) if decimals else number_value(value)
        cells.append(cell)
    return cells


# --- sheet 2: the list of events ---------------------------------------------------------------


@dataclass(frozen=True)
class _Column:
    msgid: str
    cap: float = 0  # widest a text column grows before its texts wrap; 0: a count
    fixed: float = 0  # a width that does not depend on the texts


_EVENT_COLUMNS = (
    _Column(texts.COL_NUMBER, fixed=4.5),
    _Column(N_("Date"), fixed=11),
    _Column(COL_TIME, fixed=6.5),
    _Column(N_("Kind"), cap=18),
    _Column(N_("Venue"), cap=22),
    _Column(COL_INSIDE, cap=11),
    _Column(N_("Topics"), cap=30),
    _Column(N_("Organizers"), cap=24),
    _Column(N_("Convicts")),
    _Column(N_("Released persons")),
    _Column(N_("Others")),
    _Column(N_("Audience, persons")),
    _Column(N_("Of them named")),
    _Column(N_("Volunteers involved")),
    _Column(N_("Responsible"), cap=18),
)
_TEXT_COLUMNS = (3, 4, 5, 6, 7, 14)  # 0-based: kind, place, in/out, topics, organizers, resp.
_COUNT_COLUMNS = range(8, 14)
_LINE = 15.0  # points per line of Calibri 11
_UNIT_POINTS = 7 * 0.75  # a width unit is 7 px; a pixel is 0.75 pt
# Room around a header's longest word: LibreOffice breaks a word that only just fits.
_HEAD_SLACK = 2.0


def _event_values(event: EventLine, index: int, language: str, where: tuple[str, str]
                  ) -> list[Any]:
    kk = language == "kk"
    return [
        index,
        date_value(event.event_date),
        event.event_time.strftime("%H:%M") if event.event_time else None,
        event.kind_kk if kk else event.kind_ru,
        event.place,
        where[0] if event.inside else where[1],
        "; ".join(event.topics_kk if kk else event.topics_ru),
        "; ".join(event.organizers_kk if kk else event.organizers_ru),
        event.count_serving,
        event.count_released,
        event.count_community,
        event.audience,
        event.named,
        event.volunteers,
        event.responsible,
    ]


def _event_widths(headers: list[str], rows: list[list[Any]]) -> list[float]:
    """Widths from the longest text of each column (there is no autofit), capped so that long
    texts wrap instead of shrinking the printed page to unreadable."""
    widths = []
    for index, (column, header) in enumerate(zip(_EVENT_COLUMNS, headers, strict=True)):
        if index in _COUNT_COLUMNS:  # the header is turned on its side; the figures set it
            digits = max((len(str(row[index])) for row in rows), default=1)
            widths.append(max(6.0, digits * CALIBRI_11[2] + 2))
            continue
        # A header wraps between words; its longest word must fit.
        longest_word = max((text_width(word, CALIBRI_11_BOLD) for word in header.split()),
                           default=0) + _HEAD_SLACK
        if column.fixed:
            widths.append(max(column.fixed, longest_word if index else 0))
            continue
        # By length only (a year of events is many texts): capitals are few in these texts.
        longest = max((len(row[index] or "") for row in rows), default=0)
        fitting = longest * CALIBRI_11[0] * 1.05 + _PADDING
        widths.append(max(longest_word, min(max(fitting, 6.0), column.cap)))
    return widths


def _header_height(headers: list[str], widths: list[float]) -> float:
    """A header row high enough for the upright heads wrapped in their columns and for the
    count heads turned on their side (each in as many lines as its column is wide)."""
    upright = max(text_lines(header, width, CALIBRI_11_BOLD) for index, (header, width) in
                  enumerate(zip(headers, widths, strict=True)) if index not in _COUNT_COLUMNS)
    height = upright * _LINE + 4
    for index in _COUNT_COLUMNS:
        # the longest word runs along the turned line whole, never broken inside
        longest = max((text_width(word, CALIBRI_11_BOLD) for word in headers[index].split()),
                      default=0)
        height = max(height, (longest + _HEAD_SLACK) * _UNIT_POINTS)
        lines = max(1, int(widths[index] * _UNIT_POINTS // _LINE))
        while text_lines(headers[index], height / _UNIT_POINTS, CALIBRI_11_BOLD) > lines \
                and height < 160:
            height += _LINE / 2
    return height


def _has_illegal(text: str) -> bool:
    return ILLEGAL_CHARACTERS_RE.search(text) is not None


_WRAP, _WRAP_SAFE, _KEEP_TEXT = 1, 2, 3  # how a text that is not a plain value goes in


def _plan_event_rows(rows: list[list[Any]], widths: list[float]
                     ) -> tuple[list[int], list[list[tuple[int, int]]]]:
    """For each row: the lines it needs, and its texts that cannot go in as plain values, as
    (column, how): _WRAP, a text wider than its column; _WRAP_SAFE, the same that a spreadsheet
    would not keep as text (a formula, an error value, a character XML forbids); _KEEP_TEXT,
    such a text that needs no wrapping."""
    # A text shorter than this fits whatever its letters; a longer one is measured, once: the
    # same kinds, topics and places come back on many rows.
    surely_fits = {index: (widths[index] - _PADDING) / CALIBRI_11[1] for index in _TEXT_COLUMNS}
    planned: dict[tuple[int, str], tuple[int, bool]] = {}  # (lines, unsafe) of each text
    all_lines: list[int] = []
    all_special: list[list[tuple[int, int]]] = []
    for values in rows:
        lines = 1
        special: list[tuple[int, int]] = []
        for index, limit in surely_fits.items():
            text = values[index]
            if not text:
                continue
            plan = planned.get((index, text))
            if plan is None:
                needed = 1
                if len(text) > limit or "\n" in text:
                    needed = text_lines(text, widths[index], CALIBRI_11)
                plan = planned[index, text] = (
                    needed, text.startswith(FORMULA_STARTS) or _has_illegal(text))
            needed, unsafe = plan
            if needed > 1:
                special.append((index, _WRAP_SAFE if unsafe else _WRAP))
                lines = max(lines, needed)
            elif unsafe:
                special.append((index, _KEEP_TEXT))
        all_lines.append(lines)
        all_special.append(special)
    return all_lines, all_special


def _write_events(ws: WriteOnlyWorksheet, report: MonthlyReport, language: str) -> None:
    stream_cells_as_they_are(ws)
    style = CellStyles(ws)
    thin = Side(style="thin")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    bold = Font(name=DEFAULT_FONT, size=11, bold=True)  # a font without a name is a serif
    grey = PatternFill("solid", fgColor="D9D9D9")
    head = style.text(font=bold, border=box, fill=grey, alignment=Alignment(
        horizontal="center", vertical="center", wrap_text=True))
    head_turned = style.text(font=bold, border=box, fill=grey, alignment=Alignment(
        horizontal="center", vertical="center", wrap_text=True, text_rotation=90))
    wrapped = style.text(alignment=Alignment(wrap_text=True))
    single = style.text()
    date_style = style(number_format=DATE_FORMAT, alignment=Alignment(horizontal="center"))
    total_text = style.text(font=bold)
    total_number = style(font=bold)

    where = (translate(N_("in the facility"), language),
             translate(N_("outside the facility"), language))
    rows = [_event_values(event, index, language, where)
            for index, event in enumerate(report.events, start=1)]
    headers = [translate(column.msgid, language) for column in _EVENT_COLUMNS]
    widths = _event_widths(headers, rows)

    # Settings first: a write-only sheet writes them before the rows.
    for index, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(index)].width = width
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(_EVENT_COLUMNS))}{len(rows) + 1}"
    # Gridlines print as the table's borders: a border on every cell would cost about as much
    # time as the values themselves.
    ws.print_options.gridLines = True
    period = texts.period_title(report.month, language)
    page_setup(ws, landscape=True, left_cm=2, title_rows="1:1", language=language,
                header=f"{report.facility.name}. {translate(LIST_TITLE, language)} {period}")

    # Which texts wrap, and how many lines each row needs (LibreOffice does not fit row heights
    # to wrapped text when it opens a file, so they are set here).
    lines, special = _plan_event_rows(rows, widths)
    # The most common height is the sheet's default: only the other rows carry their own.
    usual = Counter(lines).most_common(1)[0][0] if lines else 1
    ws.sheet_format.defaultRowHeight = usual * _LINE
    ws.sheet_format.customHeight = True

    ws.row_dimensions[1].height = _header_height(headers, widths)
    ws.append([text_cell(ws, header, *(head_turned if index in _COUNT_COLUMNS else head))
               for index, header in enumerate(headers)])
    # Only the cells that need it get a cell object: a date, a text that wraps, a text that
    # looks like a formula; the rest go in as plain values, the fast way. The date and the
    # wrapping cells are reused row after row: append() writes a row out before it returns.
    date_cell = StreamCell(ws, row=1, column=1, style_array=date_style)
    wrap_cells = {index: StreamCell(ws, row=1, column=1, style_array=wrapped[0])
                  for index in _TEXT_COLUMNS}
    for number, (values, needed, cells) in enumerate(zip(rows, lines, special, strict=True),
                                                     start=2):
        date_cell.value = values[1]
        values[1] = date_cell
        for index, how in cells:
            if how == _WRAP:
                cell = wrap_cells[index]
                cell.value = values[index]
                values[index] = cell
            else:
                values[index] = text_cell(ws, values[index],
                                          *(single if how == _KEEP_TEXT else wrapped))
        if needed != usual:
            ws.row_dimensions[number].height = needed * _LINE
        ws.append(values)
    ws.row_dimensions[len(rows) + 2].height = _LINE

    totals: list[Any] = [None, text_cell(ws, translate(N_("Total"), language), *total_text)]
    totals += [None] * (_COUNT_COLUMNS.start - 2)
    for index in _COUNT_COLUMNS:
        cell = StreamCell(ws, row=1, column=1, style_array=total_number)
        cell.value = sum(row[index] for row in rows)
        totals.append(cell)
    ws.append(totals)


# --- the workbook ------------------------------------------------------------------------------


def build_workbook(report: MonthlyReport, language: str = "ru") -> Workbook:
    """The report as an unsaved write-only workbook (saved once, by `write_monthly_xlsx`)."""
    if language not in LANGUAGES:
        raise ValueError(f"unknown language {language!r}")
    wb = Workbook(write_only=True)
    period = texts.period_title(report.month, language)
    wb.properties.title = (f"{translate(texts.REPORT_TITLE, language)} "
                           f"{translate(texts.REPORT_SUBJECT, language)} {period}. "
                           f"{report.facility.name}")[:255]
    wb.properties.subject = f"{report.facility.code} {report.month}"
    wb.properties.creator = "Qadam"
    wb.properties.lastModifiedBy = "Qadam"
    wb.properties.language = {"ru": "ru-RU", "kk": "kk-KZ"}[language]
    with discarded_on_failure(wb):
        _write_form(wb.create_sheet(translate(SHEET_REPORT, language)[:31]), report, language)
        _write_events(wb.create_sheet(translate(SHEET_EVENTS, language)[:31]), report,
                      language)
    return wb


def write_monthly_xlsx(report: MonthlyReport, path: Path, *, language: str = "ru") -> Path:
    """Write the monthly report to `path` (.xlsx), replacing it only once the new file is
    complete. Raises ExportError (with a message for the user) when the folder is missing or
    the file is open in Excel or read-only; the old file then stays as it was."""
    if language not in LANGUAGES:
        raise ValueError(f"unknown language {language!r}")

    return save_atomically(Path(path), lambda: build_workbook(report, language))


def discard_workbook(wb: Workbook) -> None:
    """After a failed save: end the sheets' streams and delete their temporary files now (left
    to themselves they complain when collected and stay on disk until the program exits)."""
    for ws in wb.worksheets:
        writer = getattr(ws, "_writer", None)
        if writer is None:
            continue
        with contextlib.suppress(Exception):
            if not ws.closed:
                ws.close()
        with contextlib.suppress(Exception):
            writer.cleanup()


@contextlib.contextmanager
def discarded_on_failure(wb: Workbook) -> Iterator[Workbook]:
    """Building `wb` in the block; if that fails (a full temporary folder, say), its streams
    are ended at once: left open they print tracebacks on stderr when collected."""
    try:
        yield wb
    except BaseException:
        discard_workbook(wb)
        raise


def save_atomically(path: Path, build: Callable[[], Workbook]) -> Path:
    """Build the workbook and save it through a temporary file that replaces `path` only when
    complete. Built inside, not before: a write-only sheet streams into a temporary file of its
    own at once, which only a save (or `discard_workbook`) removes."""

    def write(temporary: Path) -> None:
        wb = build()
        try:
            wb.save(temporary)
        except BaseException:
            discard_workbook(wb)
            raise

    return write_atomically(path, write)
