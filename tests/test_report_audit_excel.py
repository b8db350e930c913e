"""The audit trail as an Excel sheet: real date-times, readable changes, formula-safe texts."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from openpyxl import load_workbook

from db.ops.audit_log import AuditRow
from reports.audit_excel import write_audit_xlsx
from reports.files import ExportError

AT = dt.datetime(2026, 10, 1, 4, 30, tzinfo=dt.UTC)
ROWS = [
    AuditRow(id=2, at=AT, user_login="aigul", action="update", table_name="person",
             record_uuid="0b5c1f3e-0000-4000-8000-000000000001",
             changes={"surname": ["Әлібеков", "=HYPERLINK(\"http://x\")"],
                      "birth_date": [None, "1985-01-01"]}, details=""),
    AuditRow(id=1, at=AT - dt.timedelta(days=1), user_login="system", action="export",
             table_name="", record_uuid="",
             changes={"what": "monthly_report_xlsx", "month": "2026-10"},
             details="+7 701 000 00 00"),
]


def test_report_audit_excel_sheet(tmp_path: Path) -> None:
    path = write_audit_xlsx(ROWS, tmp_path / "audit.xlsx", language="ru")
    workbook = load_workbook(path)
    assert len(workbook.worksheets) == 1
    ws = workbook.worksheets[0]
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == "A1:G3"
    header = [cell.value for cell in ws[1]]
    assert len(header) == 7 and all(header)
    moment = ws["A2"]
    # the PC's local time, without a zone (Excel has none)
    assert moment.value == AT.astimezone().replace(tzinfo=None)
    assert moment.number_format == "DD.MM.YYYY HH:MM"
    assert ws["B2"].value == "aigul"
    assert ws["E2"].value == "0b5c1f3e-0000-4000-8000-000000000001"
    changes = ws["F2"]
    assert changes.value.splitlines() == ["birth_date: — → 01.01.1985",
                                          "surname: Әлібеков → =HYPERLINK(\"http://x\")"]
    assert changes.data_type == "s" and changes.alignment.wrap_text
    assert ws.row_dimensions[2].height >= 30  # two lines
    details = ws["G3"]
    assert (details.value, details.data_type) == ("+7 701 000 00 00", "s")  # not a formula
    assert details.quotePrefix
    assert ws.column_dimensions["F"].width > ws.column_dimensions["B"].width


def test_report_audit_excel_empty_trail(tmp_path: Path) -> None:
    ws = load_workbook(write_audit_xlsx([], tmp_path / "empty.xlsx")).worksheets[0]
    assert ws.max_row == 1


def test_report_audit_excel_missing_folder_leaves_nothing(tmp_path: Path) -> None:
    with pytest.raises(ExportError):
        write_audit_xlsx(ROWS, tmp_path / "missing" / "audit.xlsx")
    assert list(tmp_path.iterdir()) == []
