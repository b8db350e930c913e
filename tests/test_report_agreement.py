"""Excel, PDF, JSON and the screen print one MonthlyReport: their figures agree, row by row."""

from __future__ import annotations

import datetime as dt
import json
import re

import openpyxl
import pytest
from ops_support import new_event, new_person, new_volunteer
from pypdf import PdfReader
from sqlmodel import Session

from db.models import ParticipationInput, User
from db.months import Month
from db.ops.settings import own_facility
from reports.excel import write_monthly_xlsx
from reports.model import summary_rows
from reports.monthly import build_monthly_report, report_json
from reports.pdf import write_monthly_pdf
from reports.texts import row_figure

pytestmark = pytest.mark.usefixtures("fixed_today")


@pytest.fixture
def report(session: Session, admin: User):
    person = new_person(session, admin, surname="Әлібеков", release_date=dt.date(2026, 2, 1))
    volunteer = new_volunteer(session, admin, person)
    new_event(session, admin, event_date=dt.date(2026, 10, 3), count_serving=31,
              count_released=4, count_community=12, materials_count=40,
              attendees=[{"person_id": person.id, "category": "released"}],
              participations=[ParticipationInput(volunteer_id=volunteer.id, role="story",
                                                 hours=2.5)])
    new_event(session, admin, event_date=dt.date(2026, 10, 17), place_kind="outside",
              place_facility_id=None, place_text="СОШ №45", count_community=120)
    new_event(session, admin, event_date=dt.date(2026, 3, 9), count_serving=1500)
    return build_monthly_report(session, facility_id=own_facility(session).id,
                                month=Month(2026, 10))


def test_report_excel_pdf_json_agree(report, tmp_path) -> None:
    rows = summary_rows(report, "ru")
    data = json.loads(report_json(report))
    assert data["events_total"] == {"month": 2, "year": 3}
    # March: 1500 + 5 released (default); 3 Oct: 31 + 4 + 12; 17 Oct: 20 + 5 (defaults) + 120
    assert data["attendances_total"] == {"month": 47 + 145, "year": 1505 + 47 + 145}

    xlsx = write_monthly_xlsx(report, tmp_path / "r.xlsx", language="ru")
    form = openpyxl.load_workbook(xlsx).worksheets[0]
    cells = {str(form.cell(r, 1).value): (form.cell(r, 3).value, form.cell(r, 4).value)
             for r in range(1, form.max_row + 1) if form.cell(r, 1).value}
    pdf = write_monthly_pdf(report, tmp_path / "r.pdf", language="ru")
    text = " ".join(page.extract_text() for page in PdfReader(pdf).pages)
    text = re.sub(r"\s+", " ", text.replace("\u00a0", " "))
    for row in rows:
        if row.heading:
            continue
        in_excel = cells[row.number]
        assert in_excel == (row.month, row.year), row.number
        for value in (row.month, row.year):
            printed = row_figure(row, value).replace("\u00a0", " ")
            assert printed in text, (row.number, printed)
