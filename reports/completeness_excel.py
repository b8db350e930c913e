"""The completeness grid (facilities × months) as an Excel sheet, coloured as in the window.

One row a facility, one column a month; a cell says the status and, when received, the revision
and the day it came ("р. 2 · 03.11.2026"). Under the grid: how many of the facility-months are
received, and a legend of the colours. Landscape, fitted to one page wide."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell import Cell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from db.i18n import LANGUAGES, N_, translate
from db.months import Month, month_name
from reports import texts
from reports.completeness import (
    LATE_COLOUR,
    LEGEND_ITEMS,
    MISSING_COLOUR,
    NOT_DUE_COLOUR,
    RECEIVED_COLOUR,
    CompletenessRow,
    Status,
    colour_of,
    label_of,
)
from reports.excel import (
    CALIBRI_11,
    DEFAULT_FONT,
    CellStyles,
    Grid,
    discarded_on_failure,
    page_setup,
    save_atomically,
    text_cell,
    text_lines,
)

# TRANSLATORS: title of the exported completeness grid: «Полнота представления отчётов
# учреждений» / «Мекемелер есептерінің толық ұсынылуы»
GRID_TITLE = N_("Completeness of the facilities' reports")
# TRANSLATORS: name of the sheet (31 characters at most): «Полнота» / «Толықтық»
SHEET_COMPLETENESS = N_("Completeness")
# TRANSLATORS: under the title: «Срок: {day}-е число следующего месяца. По состоянию на {date}.»
DEADLINE_NOTE = N_("Deadline: day {day} of the next month. As of {date}.")
# TRANSLATORS: a short form of "revision" in a cell of the grid: «ред. {n}» / «{n}-ред.»
REVISION_SHORT = N_("rev. {n}")
# TRANSLATORS: the summary under the grid: «Получено {received} из {total} (с опозданием:
# {late}), не получено: {missing}»
GRID_SUMMARY = N_("Received {received} of {total} (late: {late}); not received: {missing}.")
# TRANSLATORS: the heading of the legend of colours: «Обозначения» / «Белгілер»
LEGEND = N_("Legend")
COL_FACILITY = N_("Facility")

_FACILITY_WIDTH, _MONTH_WIDTH = 34.0, 13.0
_LINE = 15.0


def cell_text(row: CompletenessRow, language: str, *, short: bool = False) -> str:
    """The status, then the revision and the day of receipt when known (`short`: the day
    without its year, for the narrow cells of the window)."""
    words = translate(label_of(row), language)
    details = []
    if row.revision is not None:
        details.append(translate(REVISION_SHORT, language).format(n=row.revision))
    if row.received_at is not None:
        day = texts.format_date(row.received_at)
        details.append(day[:5] if short else day)
    # the window's cells are narrow but short; the sheet's get a line each
    return "\n".join([words, " · ".join(details)] if short and details else [words, *details])


def month_heading(month: Month, language: str) -> str:
    return f"{month_name(month.month, language)}\n{month.year}"


def grid_summary(rows: list[CompletenessRow], language: str) -> str:
    received = sum(row.status != Status.MISSING for row in rows)
    late = sum(row.status == Status.LATE for row in rows)
    missing = sum(row.status == Status.MISSING and row.overdue for row in rows)
    return translate(GRID_SUMMARY, language).format(
        received=received, total=len(rows), late=late, missing=missing)


def _write_sheet(ws: WriteOnlyWorksheet, rows: list[CompletenessRow], months: list[Month],
                 deadline_day: int, today: dt.date, language: str) -> None:
    style = CellStyles(ws)
    thin = Side(style="thin", color="808080")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    centre = Alignment(horizontal="center", vertical="center", wrap_text=True)
    left = Alignment(horizontal="left", vertical="center", wrap_text=True)
    plain_font = Font(name=DEFAULT_FONT, size=11)
    bold_font = Font(name=DEFAULT_FONT, size=11, bold=True)
    head = style.text(font=bold_font, alignment=centre, border=box,
                      fill=PatternFill("solid", fgColor="D9D9D9"))
    name_style = style.text(font=plain_font, alignment=left, border=box)
    fills = {colour: style.text(font=plain_font, alignment=centre, border=box,
                                fill=PatternFill("solid", fgColor=colour))
             for colour in (RECEIVED_COLOUR, LATE_COLOUR, MISSING_COLOUR, NOT_DUE_COLOUR)}
    line_style = style.text(font=plain_font, alignment=Alignment(horizontal="left",
                                                                 vertical="center"))
    title_style = style.text(font=Font(name=DEFAULT_FONT, size=14, bold=True),
                             alignment=Alignment(horizontal="left", vertical="center"))
    last = len(months) + 1
    grid = Grid()

    def line(text: str, chosen: tuple[object, object], height: float = _LINE) -> None:
        grid.add([text_cell(ws, text, *chosen)], height=height,  # type: ignore[arg-type]
                 merge=[(1, last)] if last > 1 else [])

    line(translate(GRID_TITLE, language), title_style, 20.0)
    line(translate(DEADLINE_NOTE, language).format(day=deadline_day,
                                                   date=texts.format_date(today)), line_style)
    grid.add(height=8.0)
    header_row = grid.add(
        [text_cell(ws, translate(COL_FACILITY, language), *head)]
        + [text_cell(ws, month_heading(month, language), *head) for month in months],
        height=2 * _LINE + 2)

    by_facility: dict[tuple[str, str], dict[Month, CompletenessRow]] = {}
    for row in rows:
        by_facility.setdefault((row.facility_code, row.facility_name), {})[row.month] = row
    for (code, name), cells_of in by_facility.items():
        facility = f"№{code} — {name}"
        cells: list[Cell | None] = [text_cell(ws, facility, *name_style)]
        lines = text_lines(facility, _FACILITY_WIDTH, CALIBRI_11)
        for month in months:
            found = cells_of.get(month)
            if found is None:
                cells.append(text_cell(ws, "", *name_style))
                continue
            text = cell_text(found, language)
            lines = max(lines, text_lines(text, _MONTH_WIDTH, CALIBRI_11))
            cells.append(text_cell(ws, text, *fills[colour_of(found)]))
        grid.add(cells, height=lines * _LINE + 2)

    grid.add(height=8.0)
    line(grid_summary(rows, language), line_style)
    grid.add(height=8.0)
    line(translate(LEGEND, language), style.text(font=bold_font))
    for colour, msgid in LEGEND_ITEMS:
        grid.add([text_cell(ws, translate(msgid, language), *fills[colour])], height=_LINE)

    ws.column_dimensions["A"].width = _FACILITY_WIDTH
    for index in range(2, last + 1):
        ws.column_dimensions[get_column_letter(index)].width = _MONTH_WIDTH
    ws.freeze_panes = f"B{header_row + 1}"
    ws.sheet_view.showGridLines = False
    page_setup(ws, landscape=True, left_cm=1.5, title_rows=f"{header_row}:{header_row}",
               language=language)
    grid.write(ws)


def build_completeness_workbook(rows: list[CompletenessRow], months: list[Month], *,
                                deadline_day: int, today: dt.date,
                                language: str = "ru") -> Workbook:
    if language not in LANGUAGES:
        raise ValueError(f"unknown language {language!r}")
    wb = Workbook(write_only=True)
    wb.properties.title = translate(GRID_TITLE, language)
    wb.properties.creator = wb.properties.lastModifiedBy = "Qadam"
    wb.properties.language = {"ru": "ru-RU", "kk": "kk-KZ"}[language]
    with discarded_on_failure(wb):
        _write_sheet(wb.create_sheet(translate(SHEET_COMPLETENESS, language)[:31]), rows,
                     months, deadline_day, today, language)
    return wb


def write_completeness_xlsx(rows: list[CompletenessRow], months: list[Month], path: Path, *,
                            deadline_day: int, today: dt.date, language: str = "ru") -> Path:
    """Write the grid (.xlsx); the file appears only when complete."""
    if language not in LANGUAGES:
        raise ValueError(f"unknown language {language!r}")
    return save_atomically(Path(path), lambda: build_completeness_workbook(
        rows, months, deadline_day=deadline_day, today=today, language=language))
