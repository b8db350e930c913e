"""The consolidated report as an Excel workbook: one sheet in the office form of the facility
report (title, numbered table, signature lines), with a column per facility and the region's
bold total, and under it the completeness of the month. Landscape once the facilities no longer
fit a portrait page. Styles, safe text cells, line heights and page setup are the facility
writer's (reports/excel.py)."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell import Cell
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from db.i18n import LANGUAGES, N_, translate
from reports import texts
from reports.completeness import STATUS_LABELS
from reports.consolidated import REGION_TOTAL, RegionReport, RegionRow, region_summary_rows
from reports.excel import (
    FORM_FONT,
    TIMES_11,
    TIMES_11_BOLD,
    TIMES_12,
    TIMES_12_BOLD,
    TIMES_14_BOLD,
    CellStyles,
    Grid,
    StreamCell,
    discarded_on_failure,
    number_value,
    page_setup,
    save_atomically,
    text_cell,
    text_lines,
)

# TRANSLATORS: title of the regional report, in capitals: «СВОДНЫЙ ОТЧЁТ» / «ЖИЫНТЫҚ ЕСЕП»
REGION_TITLE = N_("CONSOLIDATED REPORT")
# TRANSLATORS: name of the sheet of the consolidated report (31 characters at most): «Сводный
# отчёт» / «Жиынтық есеп»
SHEET_REGION = N_("Consolidated report")
# TRANSLATORS: heading of the table of received reports: «Полнота представления отчётов» /
# «Есептердің толық ұсынылуы»
COMPLETENESS_TITLE = N_("Completeness of the reports")
# TRANSLATORS: column heads of the completeness table: «Учреждение», «Статус», «Редакция»,
# «Дата получения»
COL_FACILITY, COL_STATUS = N_("Facility"), N_("Status")
COL_REVISION, COL_RECEIVED = N_("Revision"), N_("Date received")
# TRANSLATORS: signature line of the regional report: «Начальник регионального департамента»
REGION_HEAD = N_("Head of the regional department")

_NUMBER_WIDTH, _LABEL_WIDTH, _FIGURE_WIDTH = 6.5, 40.0, 11.5
_PORTRAIT_FACILITIES = 4  # more columns than this are printed landscape
_LINE_12, _LINE_11, _GAP = 15.75, 15.0, 9.0


def is_landscape(report: RegionReport) -> bool:
    return len(report.facilities) > _PORTRAIT_FACILITIES


def _figure_cell(ws: WriteOnlyWorksheet, row: RegionRow, value: float | None,
                 whole: object, one_decimal: object, blank: tuple[object, object]) -> Cell:
    if value is None or row.heading:
        return text_cell(ws, "" if row.heading else "—", *blank)  # type: ignore[arg-type]
    decimals = max(row.decimals, 0 if float(value).is_integer() else 1)
    cell = StreamCell(ws, row=1, column=1,
                      style_array=one_decimal if decimals else whole)  # type: ignore[arg-type]
    cell.value = float(value) if decimals else number_value(value)
    return cell


def _write_sheet(ws: WriteOnlyWorksheet, report: RegionReport, language: str) -> None:
    style = CellStyles(ws)
    thin = Side(style="thin")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    centre = Alignment(horizontal="center", vertical="center", wrap_text=True)
    left = Alignment(horizontal="left", vertical="center", wrap_text=True)
    columns = len(report.facilities) + 3  # №, indicator, facilities…, total
    widths = [_NUMBER_WIDTH, _LABEL_WIDTH] + [_FIGURE_WIDTH] * (columns - 2)
    grid = Grid()

    def font(size: int = 12, bold: bool = False) -> Font:
        return Font(name=FORM_FONT, size=size, bold=bold)

    def line(text: str, size: int, bold: bool, metrics: tuple[float, float, float, float],
             height: float) -> None:
        width = sum(widths) + (columns - 1) * 5 / 7
        grid.add([text_cell(ws, text, *style.text(font=font(size, bold), alignment=centre))],
                 height=text_lines(text, width, metrics) * height, merge=[(1, columns)])

    line(translate(REGION_TITLE, language), 14, True, TIMES_14_BOLD, 18.75)
    line(translate(texts.REPORT_SUBJECT, language), 12, True, TIMES_12_BOLD, _LINE_12)
    line(texts.period_title(report.month, language), 12, True, TIMES_12_BOLD, _LINE_12)
    if report.region:
        line(report.region, 12, False, TIMES_12, _LINE_12)
    grid.add(height=_GAP)

    # The numbered table: a column per facility (its name as the head) and the total.
    head_style = style.text(font=font(11, True), alignment=centre, border=box)
    heads = [translate(texts.COL_NUMBER, language), translate(texts.COL_INDICATOR, language),
             *[facility.facility.name for facility in report.facilities],
             translate(REGION_TOTAL, language)]
    head_lines = max(text_lines(text, width, TIMES_11_BOLD)
                     for text, width in zip(heads, widths, strict=True))
    header_row = grid.add([text_cell(ws, text, *head_style) for text in heads],
                          height=head_lines * _LINE_11 + 3)
    styles = {}
    for bold in (False, True):
        cell_font = font(11, bold)
        styles[bold] = dict(
            number=style.text(font=cell_font, border=box, alignment=centre),
            label=style.text(font=cell_font, border=box, alignment=left),
            sub_label=style.text(font=cell_font, border=box, alignment=Alignment(
                horizontal="left", vertical="center", wrap_text=True, indent=1)),
            whole=style(font=cell_font, border=box, alignment=centre, number_format="0"),
            one_decimal=style(font=cell_font, border=box, alignment=centre,
                              number_format="0.0"))
    for row in region_summary_rows(report, language):
        label = translate(row.label, language) if row.translate_label else row.label
        own = styles[row.bold]
        cells: list[Cell | None] = [
            text_cell(ws, row.number, *own["number"]),
            text_cell(ws, label, *(own["sub_label"] if "." in row.number else own["label"]))]
        for index, value in enumerate(row.values):
            # the total column is bold on every row, as "Итого" columns are on paper forms
            chosen = styles[True] if index == len(row.values) - 1 else own
            cells.append(_figure_cell(ws, row, value, chosen["whole"], chosen["one_decimal"],
                                      chosen["number"]))
        lines = text_lines(label, _LABEL_WIDTH - (1.5 if "." in row.number else 0),
                           TIMES_11_BOLD if row.bold else TIMES_11)
        grid.add(cells, height=lines * _LINE_11 + (2 if lines > 1 else 0))

    # The completeness of the month: facility (over the indicator columns), status, revision,
    # date received.
    grid.add(height=_GAP * 2)
    line(translate(COMPLETENESS_TITLE, language), 12, True, TIMES_12_BOLD, _LINE_12)
    plain = style.text(font=font(11), alignment=left, border=box)
    middle = style.text(font=font(11), alignment=centre, border=box)
    last = columns
    status_col, revision_col, date_col = 3, min(4, last), min(5, last)
    spans = [(1, 2)]

    def completeness_row(values: list[str], styles_of: list[tuple[object, object]],
                         height: float) -> None:
        cells: list[Cell | None] = [None] * last
        for value, column, chosen in zip(values, (1, status_col, revision_col, date_col),
                                         styles_of, strict=True):
            if cells[column - 1] is None:
                cells[column - 1] = text_cell(ws, value, *chosen)  # type: ignore[arg-type]
        for column in range(1, last + 1):
            if cells[column - 1] is None:  # borders of the merged or unused cells
                cells[column - 1] = text_cell(ws, "", *middle)
        grid.add(cells, height=height, merge=spans)

    completeness_row([translate(COL_FACILITY, language), translate(COL_STATUS, language),
                      translate(COL_REVISION, language), translate(COL_RECEIVED, language)],
                     [head_style] * 4, 2 * _LINE_11 + 3)
    for item in report.completeness:
        name = f"{item.facility_code} · {item.facility_name}"
        completeness_row(
            [name, translate(STATUS_LABELS[item.status], language),
             "" if item.revision is None else str(item.revision),
             texts.format_date(item.received_at) if item.received_at else ""],
            [plain, middle, middle, middle],
            text_lines(name, _NUMBER_WIDTH + _LABEL_WIDTH, TIMES_11) * _LINE_11 + 2)

    # Signature lines of the regional department.
    grid.add(height=_GAP * 2)
    sign = style.text(font=font(12), alignment=Alignment(horizontal="left", vertical="top",
                                                         wrap_text=True))
    grid.add([text_cell(ws, f"{translate(texts.PREPARED_BY, language)} {texts.NAME_LINE}",
                        *sign)], height=_LINE_12, merge=[(1, last)])
    grid.add(height=12)
    grid.add([text_cell(ws, f"{translate(REGION_HEAD, language)}   {texts.SIGNATURE_LINE} "
                            f"{texts.NAME_LINE}", *sign)], height=_LINE_12, merge=[(1, last)])
    generated = translate(texts.DATE_LABEL, language).format(
        date=texts.format_date(report.generated_at))
    grid.add([text_cell(ws, f"{translate(texts.STAMP_PLACE, language)}      {generated}",
                        *sign)], height=_LINE_12, merge=[(1, last)])

    for index, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(index)].width = width
    ws.sheet_view.showGridLines = False
    page_setup(ws, landscape=is_landscape(report), left_cm=3 if not is_landscape(report) else 2,
               title_rows=f"{header_row}:{header_row}", language=language)
    grid.write(ws)


def build_region_workbook(report: RegionReport, language: str = "ru") -> Workbook:
    if language not in LANGUAGES:
        raise ValueError(f"unknown language {language!r}")
    wb = Workbook(write_only=True)
    period = texts.period_title(report.month, language)
    wb.properties.title = f"{translate(REGION_TITLE, language)} {period}. {report.region}"[:255]
    wb.properties.subject = str(report.month)
    wb.properties.creator = wb.properties.lastModifiedBy = "Qadam"
    wb.properties.language = {"ru": "ru-RU", "kk": "kk-KZ"}[language]
    with discarded_on_failure(wb):
        _write_sheet(wb.create_sheet(translate(SHEET_REGION, language)[:31]), report, language)
    return wb


def write_region_xlsx(report: RegionReport, path: Path, *, language: str = "ru") -> Path:
    """Write the consolidated report (.xlsx); the file appears only when complete."""
    if language not in LANGUAGES:
        raise ValueError(f"unknown language {language!r}")

    return save_atomically(Path(path), lambda: build_region_workbook(report, language))
