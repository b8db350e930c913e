"""The monthly report as an .xlsx file: the signed form and the list of events, read back with
openpyxl as a receiver's program would, and the file written safely."""

from __future__ import annotations

import datetime as dt
import os
import zipfile
from pathlib import Path

import openpyxl
import pytest
from openpyxl.worksheet.worksheet import Worksheet

from db.i18n import translate
from db.months import Month
from reports import excel, texts
from reports.excel import write_monthly_xlsx
from reports.files import ExportError
from reports.model import (
    EventLine,
    FacilityInfo,
    KindCount,
    MonthlyReport,
    Pair,
    Signature,
    TableRow,
    summary_rows,
)

EVIL_PLACE = '=HYPERLINK("http://evil","click")'
PHONE_RESPONSIBLE = "+7 701 555 12 34 Ахметова Д. С."
PERIODS = {"ru": "за октябрь 2026 года", "kk": "2026 жылғы қазан айы үшін"}


def _event(day: int, *, place: str = "Учреждение ЛА-155/69", inside: bool = True,
           responsible: str = "Ахметова Д. С.", time: dt.time | None = dt.time(10, 30),
           serving: int = 20) -> EventLine:
    return EventLine(
        event_date=dt.date(2026, 10, day), event_time=time,
        kind_ru="Разъяснительная встреча", kind_kk="Түсіндіру кездесуі",
        place=place, inside=inside,
        topics_ru=["Профилактика наркомании", "Здоровый образ жизни"],
        topics_kk=["Нашақорлықтың алдын алу", "Салауатты өмір салты"],
        organizers_ru=["Городское управление полиции"],
        organizers_kk=["Қалалық полиция басқармасы"],
        count_serving=serving, count_released=3, count_community=0, named=4, volunteers=1,
        responsible=responsible)


def _report(events: list[EventLine] | None = None, *, rate: float | None = 93.3) -> MonthlyReport:
    if events is None:
        events = [
            _event(2, place=EVIL_PLACE, inside=False, responsible=PHONE_RESPONSIBLE),
            _event(9, time=None),
            _event(23, place="СОШ №45, актовый зал", inside=False, serving=0),
        ]
    return MonthlyReport(
        facility=FacilityInfo("69", "Учреждение ЛА-155/69", "medium", "г. Шымкент"),
        month=Month(2026, 10), generated_at=dt.datetime(2026, 11, 3, 9, 15),
        events_total=Pair(3, 41), events_inside=Pair(1, 30), events_outside=Pair(2, 11),
        events_by_kind=[
            KindCount("explanatory_meeting", "Разъяснительная встреча", "Түсіндіру кездесуі",
                      Pair(3, 40)),
            KindCount("film", "Просмотр фильма", "Фильм көрсету", Pair(0, 1)),
            KindCount("round_table", "Круглый стол", "Дөңгелек үстел", Pair(0, 0)),
        ],
        attendances_serving=Pair(40, 700), attendances_released=Pair(9, 80),
        attendances_community=Pair(0, 55), attendances_total=Pair(49, 835),
        unique_persons=Pair(12, 140), wants_to_volunteer=Pair(0, 7),
        materials_handed_out=Pair(0, 0),
        volunteers_new=Pair(1, 6), volunteers_active_at_end=12, volunteers_left=Pair(0, 2),
        volunteers_taking_part=Pair(3, 11), volunteer_hours=Pair(14.5, 120.0),
        volunteer_reoffences=Pair(0, 1), volunteer_reoffences_12m=1,
        volunteers_considered_12m=15, no_reoffence_rate_12m=rate, events=events,
        signature=Signature(prepared_by="Иванова А. Б.", position="инспектор-психолог",
                            phone="+7 701 123 45 67", head_name="Нурланов Асхат Бекович"))


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("xlsx")
    report = _report()
    return {language: write_monthly_xlsx(report, folder / f"report-{language}.xlsx",
                                         language=language) for language in ("ru", "kk")}


def _texts(ws: Worksheet) -> list[str]:
    return [cell.value for row in ws.iter_rows() for cell in row if isinstance(cell.value, str)]


def _table_start(ws: Worksheet, language: str) -> int:
    """The row of the numbered table's header on the form."""
    head = translate(texts.COL_NUMBER, language)
    return next(row for row in range(1, ws.max_row + 1) if ws.cell(row, 1).value == head)


@pytest.mark.parametrize("language", ["ru", "kk"])
def test_report_excel_form_has_title_period_and_facility(written: dict[str, Path],
                                                         language: str) -> None:
    wb = openpyxl.load_workbook(written[language])
    form = wb.worksheets[0]
    assert form.title == translate(excel.SHEET_REPORT, language)
    assert wb.worksheets[1].title == translate(excel.SHEET_EVENTS, language)
    column_a = [form.cell(row, 1).value for row in range(1, _table_start(form, language))]
    assert column_a[column_a.index(translate(texts.REPORT_TITLE, language)):] == [
        translate(texts.REPORT_TITLE, language), translate(texts.REPORT_SUBJECT, language),
        PERIODS[language], "Учреждение ЛА-155/69", None]
    assert wb.properties.creator == "Qadam"
    assert PERIODS[language] in wb.properties.title


@pytest.mark.parametrize("language", ["ru", "kk"])
def test_report_excel_approval_block_is_top_right(written: dict[str, Path],
                                                  language: str) -> None:
    form = openpyxl.load_workbook(written[language]).worksheets[0]
    block = [form.cell(row, 3).value for row in range(1, 5)]
    assert block == [
        translate(texts.APPROVED, language),
        texts.head_title("69", language),
        f"{texts.SIGNATURE_LINE} А. Б. Нурланов",
        translate(texts.APPROVAL_DATE, language).format(year=2026),
    ]
    assert all(form.cell(row, 1).value is None for row in range(1, 5))
    assert {f"C{row}:D{row}" for row in range(1, 5)} <= {
        str(ref) for ref in form.merged_cells.ranges}


@pytest.mark.parametrize("language", ["ru", "kk"])
@pytest.mark.parametrize("data_only", [False, True])
def test_report_excel_summary_rows_stand_in_their_cells(written: dict[str, Path],
                                                        language: str, data_only: bool) -> None:
    form = openpyxl.load_workbook(written[language], data_only=data_only).worksheets[0]
    start = _table_start(form, language)
    assert [form.cell(start, column).value for column in range(1, 5)] == [
        translate(msgid, language)
        for msgid in (texts.COL_NUMBER, texts.COL_INDICATOR, texts.COL_MONTH, texts.COL_YEAR)]
    rows = summary_rows(_report(), language)
    for offset, expected in enumerate(rows, start=1):
        number, label, month, year = (form.cell(start + offset, column)
                                      for column in range(1, 5))
        assert number.value == expected.number
        assert label.value == (translate(expected.label, language) if expected.translate_label
                               else expected.label)
        assert label.font.b == expected.bold
        for cell, value in ((month, expected.month), (year, expected.year)):
            assert cell.border.left.style == "thin"
            if value is None:
                assert cell.value is None  # a heading row
                continue
            assert cell.value == pytest.approx(value)
            assert cell.data_type == "n"


def _row(form: Worksheet, language: str, number: str) -> tuple[object, object, str]:
    start = _table_start(form, language)
    row = next(row for row in range(start, form.max_row + 1)
               if form.cell(row, 1).value == number)
    return form.cell(row, 3).value, form.cell(row, 4).value, form.cell(row, 3).number_format


def test_report_excel_figures_keep_their_types(written: dict[str, Path]) -> None:
    form = openpyxl.load_workbook(written["ru"]).worksheets[0]
    # Zeros are 0, not blank; counts are ints; hours and the rate have one decimal.
    assert _row(form, "ru", "1.3.3") == (0, 0, "0")  # round tables: none at all
    assert _row(form, "ru", "2.6") == (0, 0, "0")
    month, year, number_format = _row(form, "ru", "1")
    assert (month, year) == (3, 41) and type(month) is int and number_format == "0"
    assert _row(form, "ru", "3.5") == (14.5, 120.0, "0.0")
    assert _row(form, "ru", "4.4") == (93.3, 93.3, "0.0")
    assert isinstance(_row(form, "ru", "4.4")[0], float)


def test_report_excel_rate_without_volunteers_is_a_dash(tmp_path: Path) -> None:
    path = write_monthly_xlsx(_report(rate=None), tmp_path / "r.xlsx")
    form = openpyxl.load_workbook(path).worksheets[0]
    assert _row(form, "ru", "4.4")[:2] == ("—", "—")


@pytest.mark.parametrize("language", ["ru", "kk"])
def test_report_excel_signature_block(written: dict[str, Path], language: str) -> None:
    form = openpyxl.load_workbook(written[language]).worksheets[0]
    found = _texts(form)
    assert (f"{translate(texts.PREPARED_BY, language)} Иванова А. Б., инспектор-психолог, "
            f"{translate(texts.PHONE, language).format(phone='+7 701 123 45 67')}") in found
    assert translate(texts.STAMP_PLACE, language) in found
    assert translate(texts.DATE_LABEL, language).format(date="03.11.2026") in found
    # the head signs at the bottom too, under the table
    head_rows = [row for row in range(5, form.max_row + 1)
                 if form.cell(row, 1).value == texts.head_title("69", language)]
    assert len(head_rows) == 1
    assert form.cell(head_rows[0], 3).value == f"{texts.SIGNATURE_LINE} А. Б. Нурланов"
    assert head_rows[0] > _table_start(form, language)


@pytest.mark.parametrize(("language", "words"), [
    ("ru", ["УТВЕРЖДАЮ", "ОТЧЁТ", "Исполнитель:", "М.П."]),
    ("kk", ["БЕКІТЕМІН", "ЕСЕП", "Орындаған:", "М.О."]),
])
def test_report_excel_office_words_once_translated(written: dict[str, Path], language: str,
                                                   words: list[str]) -> None:
    msgids = [texts.APPROVED, texts.REPORT_TITLE, texts.PREPARED_BY, texts.STAMP_PLACE]
    if any(translate(msgid, language) == msgid for msgid in msgids):
        pytest.skip("the report's new msgids are not in the catalog yet")
    found = " ".join(_texts(openpyxl.load_workbook(written[language]).worksheets[0]))
    assert all(word in found for word in words)


@pytest.mark.parametrize("data_only", [False, True])
def test_report_excel_user_text_never_becomes_a_formula(written: dict[str, Path],
                                                        data_only: bool) -> None:
    events = openpyxl.load_workbook(written["ru"], data_only=data_only).worksheets[1]
    place, responsible = events["E2"], events["O2"]
    assert (place.value, place.data_type) == (EVIL_PLACE, "s")
    assert place.quotePrefix  # Excel keeps it text when the cell is edited, too
    assert (responsible.value, responsible.data_type) == (PHONE_RESPONSIBLE, "s")
    assert responsible.quotePrefix
    assert events["E3"].value == "Учреждение ЛА-155/69" and not events["E3"].quotePrefix


def test_report_excel_file_holds_no_formula_at_all(written: dict[str, Path]) -> None:
    with zipfile.ZipFile(written["ru"]) as package:
        sheets = [name for name in package.namelist() if name.startswith("xl/worksheets/")]
        assert sheets
        for name in sheets:
            assert b"<f>" not in package.read(name) and b"<f " not in package.read(name)


def test_report_excel_events_list(written: dict[str, Path]) -> None:
    ws = openpyxl.load_workbook(written["ru"]).worksheets[1]
    assert [cell.value for cell in ws[1]][:3] == [
        translate(texts.COL_NUMBER, "ru"), translate("Date", "ru"), translate("Time", "ru")]
    first = [cell.value for cell in ws[2]]
    assert first[0] == 1
    assert first[1] == dt.datetime(2026, 10, 2)
    assert ws["B2"].number_format == "DD.MM.YYYY" and ws["B2"].is_date
    assert first[2] == "10:30"
    assert first[3:8] == ["Разъяснительная встреча", EVIL_PLACE,
                          translate("outside the facility", "ru"),
                          "Профилактика наркомании; Здоровый образ жизни",
                          "Городское управление полиции"]
    assert first[8:15] == [20, 3, 0, 23, 4, 1, PHONE_RESPONSIBLE]
    assert ws["C3"].value is None  # an event without a time
    assert ws["I4"].value == 0  # zero convicts is 0, not blank
    totals = [cell.value for cell in ws[5]]
    assert totals[1] == translate("Total", "ru")
    assert totals[8:14] == [40, 9, 0, 49, 12, 3]
    assert ws.max_row == 5


def test_report_excel_events_sheet_filters_and_freezes(written: dict[str, Path]) -> None:
    ws = openpyxl.load_workbook(written["ru"]).worksheets[1]
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == "A1:O4"  # the events, not the totals row
    assert ws.print_title_rows == "$1:$1"
    widths = [ws.column_dimensions[chr(ord("A") + index)].width for index in range(15)]
    assert all(4 <= width <= 40 for width in widths)
    assert ws["G2"].alignment.wrap_text  # the topics are longer than their column


@pytest.mark.parametrize("language", ["ru", "kk"])
def test_report_excel_print_setup(written: dict[str, Path], language: str) -> None:
    form, events = openpyxl.load_workbook(written[language]).worksheets
    for ws, orientation in ((form, "portrait"), (events, "landscape")):
        assert int(ws.page_setup.paperSize) == 9  # A4
        assert ws.page_setup.orientation == orientation
        assert ws.sheet_properties.pageSetUpPr.fitToPage
        assert (int(ws.page_setup.fitToWidth), int(ws.page_setup.fitToHeight)) == (1, 0)
        assert ws.page_margins.top == pytest.approx(2 / 2.54)
        assert "&P" in ws.oddFooter.center.text and "&N" in ws.oddFooter.center.text
    assert form.page_margins.left == pytest.approx(3 / 2.54)
    assert events.page_margins.left == pytest.approx(2 / 2.54)
    start = _table_start(form, language)
    assert form.print_title_rows == f"${start}:${start}"
    assert PERIODS[language] in events.oddHeader.center.text


def test_report_excel_signature_never_stands_alone_on_a_page(tmp_path: Path) -> None:
    report = _report()
    broken = 0
    for count in range(3, 30):  # more kinds push the signature block over the page's end
        kinds = [KindCount(f"k{index}", f"Вид мероприятия {index}", f"Іс-шара түрі {index}",
                           Pair(index, index)) for index in range(count)]
        longer = MonthlyReport(**{**report.__dict__, "events_by_kind": kinds})
        path = write_monthly_xlsx(longer, tmp_path / f"r{count}.xlsx")
        form = openpyxl.load_workbook(path).worksheets[0]
        breaks = [int(brk.id) for brk in form.row_breaks.brk]
        if count == 3:
            assert breaks == []  # the usual form fits on one page
        if breaks:
            broken += 1
            last_number = summary_rows(longer, "ru")[-1].number
            last_row = next(row for row in range(1, form.max_row + 1)
                            if form.cell(row, 1).value == last_number)
            # the break is above the last two table rows: they go over with the signatures
            assert breaks == [last_row - 2]
    assert broken  # some length needed it


def test_report_excel_without_events_or_names(tmp_path: Path) -> None:
    report = MonthlyReport(**{**_report().__dict__, "events": [], "signature": Signature()})
    wb = openpyxl.load_workbook(write_monthly_xlsx(report, tmp_path / "r.xlsx", language="kk"))
    form, events = wb.worksheets
    assert events.max_row == 2 and events["I2"].value == 0
    assert f"{texts.SIGNATURE_LINE} {texts.NAME_LINE}" in _texts(form)


def test_report_excel_drops_characters_xml_forbids(tmp_path: Path) -> None:
    report = _report([_event(5, place="Актовый\x0b зал", responsible="\x01Ахметова")])
    ws = openpyxl.load_workbook(write_monthly_xlsx(report, tmp_path / "r.xlsx")).worksheets[1]
    assert (ws["E2"].value, ws["O2"].value) == ("Актовый зал", "Ахметова")


def test_report_excel_identifier_cell_keeps_leading_zeros(tmp_path: Path) -> None:
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("ids")
    ws.append([excel.identifier_cell(ws, "010203400512"), excel.text_cell(ws, "#N/A"),
               excel.text_cell(ws, "-1")])
    wb.save(tmp_path / "ids.xlsx")
    cells = openpyxl.load_workbook(tmp_path / "ids.xlsx")["ids"][1]
    assert [(cell.value, cell.data_type) for cell in cells] == [
        ("010203400512", "s"), ("#N/A", "s"), ("-1", "s")]
    assert cells[0].number_format == "@"


def test_report_excel_dates_lose_their_timezone() -> None:
    aware = dt.datetime(2026, 10, 2, 10, 30, tzinfo=dt.UTC)
    assert excel.date_value(aware) == dt.datetime(2026, 10, 2, 10, 30)
    assert excel.date_value(dt.date(2026, 10, 2)) == dt.date(2026, 10, 2)


def test_report_excel_text_lines_wraps_between_words() -> None:
    assert excel.text_lines("", 10, excel.CALIBRI_11) == 1
    assert excel.text_lines("короткий", 20, excel.CALIBRI_11) == 1
    assert excel.text_lines("слово " * 10, 20, excel.CALIBRI_11) == 4
    assert excel.text_lines("а\nб", 20, excel.CALIBRI_11) == 2
    assert excel.text_lines("о" * 40, 10, excel.CALIBRI_11) == 5  # a word longer than a line


def test_report_excel_unknown_language(tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        write_monthly_xlsx(_report(), tmp_path / "r.xlsx", language="en")


def test_report_excel_missing_folder(tmp_path: Path) -> None:
    with pytest.raises(ExportError):
        write_monthly_xlsx(_report(), tmp_path / "absent" / "r.xlsx")
    assert not (tmp_path / "absent").exists()


def test_report_excel_locked_target_keeps_the_old_file(tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    target = write_monthly_xlsx(_report(), tmp_path / "report.xlsx")
    before = target.read_bytes()

    def locked(source: str | os.PathLike[str], destination: str | os.PathLike[str]) -> None:
        raise PermissionError(13, "The process cannot access the file")  # Excel has it open

    monkeypatch.setattr("reports.files.os.replace", locked)
    with pytest.raises(ExportError) as caught:
        write_monthly_xlsx(_report([]), target, language="kk")
    assert "report.xlsx" in caught.value.message
    assert target.read_bytes() == before
    assert sorted(path.name for path in tmp_path.iterdir()) == ["report.xlsx"]


def test_report_excel_failed_write_leaves_no_temporary_file(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = write_monthly_xlsx(_report(), tmp_path / "report.xlsx")
    before = target.read_bytes()

    def disk_full(self: openpyxl.Workbook, filename: str) -> None:
        Path(filename).write_bytes(b"PK half")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(openpyxl.Workbook, "save", disk_full)
    with pytest.raises(ExportError):
        write_monthly_xlsx(_report(), target)
    assert target.read_bytes() == before
    assert sorted(path.name for path in tmp_path.iterdir()) == ["report.xlsx"]


def test_report_texts_page_of_and_decimals() -> None:
    assert texts.page_of("&P", "&N", "ru") == translate(texts.PAGE_OF, "ru").format(
        page="&P", pages="&N")
    hours = TableRow("3.5", "volunteer hours", 12.0, 30.0, decimals=1)
    count = TableRow("3.3", "left", 2.0, 2.0)
    heading = TableRow("3", "Volunteers", None, None, heading=True)
    rate = TableRow("4.4", "share", None, None, percent=True, decimals=1)
    assert texts.figure_decimals(hours, 12.0) == 1
    assert texts.figure_decimals(count, 2.0) == 0
    assert texts.figure_decimals(count, 2.5) == 1  # nothing is rounded away
    assert texts.row_figure(hours, 12.0) == "12,0"
    assert texts.row_figure(heading, None) == ""
    assert texts.row_figure(rate, None) == "—"
