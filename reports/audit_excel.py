"""The audit trail (as the viewer filtered it) as an Excel sheet, for an inspection or a file.

One sheet, one entry a row: the time (a real date-time in the PC's local time, which Excel
cannot store with its zone), the login, the action, the table, the record and its changes as
"field: old → new" lines. Every text goes through reports.excel's `text_cell`, so nothing a
user typed into a record (and the trail repeats) can become a formula.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from db.i18n import LANGUAGES, N_, translate
from db.ops.audit_log import AuditRow, action_label, change_lines, table_label
from reports.excel import (
    CALIBRI_11,
    DEFAULT_FONT,
    CellStyles,
    StreamCell,
    clean_text,
    discarded_on_failure,
    save_atomically,
    text_cell,
    text_lines,
)

# TRANSLATORS: name of the sheet of the exported audit trail (31 characters at most):
# «Журнал аудита» / «Аудит журналы»
SHEET_AUDIT = N_("Audit trail")
DATETIME_FORMAT = "DD.MM.YYYY HH:MM"
_LINE = 15.0  # points per line of Calibri 11
_MAX_HEIGHT = 409.0  # Excel's highest row; a longer text is still all in the cell
# (header msgid, width in Excel units, wraps)
_COLUMNS: tuple[tuple[str, float, bool], ...] = (
    (N_("Date and time"), 17.0, False),
    (N_("Login"), 14.0, False),
    (N_("Action"), 20.0, True),
    (N_("Table"), 14.0, True),
    (N_("Record"), 38.0, False),  # a UUID: 36 characters
    (N_("Changes"), 70.0, True),
    (N_("Details"), 36.0, True),
)


def local_time(at: dt.datetime) -> dt.datetime:
    """The PC's local time without a zone: openpyxl refuses aware datetimes, and staff read
    their own clock, not UTC."""
    aware = at if at.tzinfo else at.replace(tzinfo=dt.UTC)
    return aware.astimezone().replace(tzinfo=None)


def _row_texts(row: AuditRow, language: str) -> list[str]:
    return [row.user_login, action_label(row.action, language),
            table_label(row.table_name, language), row.record_uuid,
            "\n".join(change_lines(row.action, row.changes)), row.details]


def _write_sheet(ws: WriteOnlyWorksheet, rows: list[AuditRow], language: str) -> None:
    style = CellStyles(ws)
    thin = Side(style="thin")
    head = style.text(font=Font(name=DEFAULT_FONT, size=11, bold=True),
                      fill=PatternFill("solid", fgColor="D9D9D9"),
                      border=Border(left=thin, right=thin, top=thin, bottom=thin),
                      alignment=Alignment(horizontal="center", vertical="center",
                                          wrap_text=True))
    top = Alignment(vertical="top")
    plain = style.text(alignment=top)
    wrapped = style.text(alignment=Alignment(vertical="top", wrap_text=True))
    when = style(number_format=DATETIME_FORMAT, alignment=Alignment(horizontal="left",
                                                                    vertical="top"))

    # Settings first: a write-only sheet writes them before the rows.
    for index, (_msgid, width, _wraps) in enumerate(_COLUMNS, start=1):
        ws.column_dimensions[get_column_letter(index)].width = width
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(_COLUMNS))}{len(rows) + 1}"
    ws.print_options.gridLines = True
    ws.page_setup.orientation = "landscape"
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.print_title_rows = "1:1"

    headers = [translate(msgid, language) for msgid, _width, _wraps in _COLUMNS]
    ws.row_dimensions[1].height = _LINE * max(
        text_lines(text, width, CALIBRI_11) for text, (_m, width, _w) in zip(
            headers, _COLUMNS, strict=True))
    texts = [_row_texts(row, language) for row in rows]
    # LibreOffice does not fit row heights to wrapped text when it opens a file: set them.
    for number, values in enumerate(texts, start=2):
        lines = max(text_lines(clean_text(text), width, CALIBRI_11) if wraps else 1
                    for text, (_m, width, wraps) in zip(values, _COLUMNS[1:], strict=True))
        if lines > 1:
            ws.row_dimensions[number].height = min(_MAX_HEIGHT, lines * _LINE)
    ws.append([text_cell(ws, text, *head) for text in headers])
    for row, values in zip(rows, texts, strict=True):
        moment = StreamCell(ws, row=1, column=1, style_array=when)
        moment.value = local_time(row.at)
        cells = [moment]
        for text, (_msgid, _width, wraps) in zip(values, _COLUMNS[1:], strict=True):
            cells.append(text_cell(ws, text, *(wrapped if wraps else plain)))
        ws.append(cells)


def build_audit_workbook(rows: list[AuditRow], language: str = "ru") -> Workbook:
    if language not in LANGUAGES:
        raise ValueError(f"unknown language {language!r}")
    wb = Workbook(write_only=True)
    wb.properties.title = translate(SHEET_AUDIT, language)
    wb.properties.creator = "Qadam"
    wb.properties.language = {"ru": "ru-RU", "kk": "kk-KZ"}[language]
    with discarded_on_failure(wb):
        _write_sheet(wb.create_sheet(translate(SHEET_AUDIT, language)[:31]), rows, language)
    return wb


def write_audit_xlsx(rows: list[AuditRow], path: Path, *, language: str = "ru") -> Path:
    """Write the rows to `path` (.xlsx), replacing it only once the new file is complete;
    ExportError (with a message) when the folder is missing or the file is open elsewhere."""
    if language not in LANGUAGES:
        raise ValueError(f"unknown language {language!r}")

    return save_atomically(Path(path), lambda: build_audit_workbook(rows, language))
