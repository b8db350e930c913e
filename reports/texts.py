"""Texts shared by every printed form of the monthly report (Excel, PDF, screen), so they agree:
the period title, dates and figures as printed, and the labels of the approval and signature
blocks. Pure Python, no Qt and no reportlab.

Labels are msgids translated with `db.i18n.translate(msgid, language)`; the period title depends
on grammar (case of the month's name, word order), so it is built here per language.
"""

from __future__ import annotations

import datetime as dt
import re

from db.i18n import N_, translate
from db.months import Month
from reports.model import MonthlyReport, TableRow

REPORT_LANGUAGES = ("ru", "kk")

# "за октябрь 2026 года" / "2026 жылғы қазан айы үшін": Russian takes the month after "за" in
# the accusative (the same as the nominative for months), Kazakh puts the year first.
_PERIOD_TITLES = {
    "ru": "за {month} {year} года",
    "kk": "{year} жылғы {month} айы үшін",
}

# TRANSLATORS: first line of the approval block, top right of the report: «УТВЕРЖДАЮ» / «БЕКІТЕМІН»
APPROVED = N_("APPROVED")
# TRANSLATORS: «Начальник учреждения №{code}» / «№{code} мекеме бастығы»
HEAD_OF_FACILITY = N_("Head of facility No. {code}")
# TRANSLATORS: the approval date to fill in by hand: «“___” __________ {year} г.» (ru),
# «“___” __________ {year} ж.» (kk), with « » quotes as in office documents
APPROVAL_DATE = N_("“___” __________ {year}")
# TRANSLATORS: «Исполнитель:» / «Орындаған:», before the name of the staff member who prepared it
PREPARED_BY = N_("Prepared by:")
# TRANSLATORS: abbreviation before a phone number: «тел.»
PHONE = N_("tel. {phone}")
# TRANSLATORS: the place of the stamp under a signature: «М.П.» (ru), «М.О.» (kk)
STAMP_PLACE = N_("Stamp here")
# TRANSLATORS: small caption under a signature line: «(подпись)» / «(қолы)»
SIGNATURE_CAPTION = N_("(signature)")
# TRANSLATORS: «Дата: {date}» / «Күні: {date}»
DATE_LABEL = N_("Date: {date}")

SIGNATURE_LINE = "____________"  # where the head signs
NAME_LINE = "________________"  # where a missing name is written in by hand


def month_word(month: int, language: str) -> str:
    """The month's name as it stands inside a sentence, lower case: "октябрь", "қазан"."""
    from babel.dates import get_month_names

    return get_month_names("wide", context="stand-alone", locale=language)[month].lower()


def period_title(month: Month, language: str) -> str:
    """ "за октябрь 2026 года" / "2026 жылғы қазан айы үшін"."""
    template = _PERIOD_TITLES.get(language, _PERIOD_TITLES["ru"])
    return template.format(month=month_word(month.month, language), year=month.year)


def format_date(day: dt.date | dt.datetime) -> str:
    """dd.MM.yyyy, the form staff read and type; independent of the OS locale."""
    return f"{day.day:02d}.{day.month:02d}.{day.year:04d}"


def format_figure(value: float | None, *, decimals: int = 0) -> str:
    """A figure as printed: "0" (never blank), "1 234", "12,5"; "—" when there is none.

    The decimal comma and the (non-breaking) space between thousands are the Russian and
    Kazakh norm.
    """
    if value is None:
        return "—"
    text = f"{value:,.{decimals}f}" if decimals else f"{round(value):,d}"
    return text.replace(",", "\u00a0").replace(".", ",")


_INITIAL = r"[^\W\d_]\.?"
_WORD = r"[^\W\d_][^\W\d_\-]*(?:-[^\W\d_]+)*"
_SURNAME_INITIALS = re.compile(rf"^({_WORD})\s+({_INITIAL})\s*({_INITIAL})?$")
_FULL_NAME = re.compile(rf"^({_WORD})\s+({_WORD})(?:\s+({_WORD}))?$")


def signature_name(name: str) -> str:
    """A name as printed beside a signature, initials first: "Құдайбергенов Асхат Серікұлы" and
    "Құдайбергенов А. С." both become "А. С. Құдайбергенов". Anything else (four words,
    "оглы", a position) is printed as typed."""
    name = " ".join(name.split())
    match = _SURNAME_INITIALS.match(name) or _FULL_NAME.match(name)
    if not match:
        return name
    surname, *given = match.groups()
    initials = [f"{part[0].upper()}." for part in given if part]
    return " ".join([*initials, surname])


def head_title(code: str, language: str) -> str:
    """ "Начальник учреждения №69": the code without a "№" typed in already."""
    code = code.strip().lstrip("№").strip()
    return translate(HEAD_OF_FACILITY, language).format(code=code)


# --- Shared with the Excel writer (reports/excel.py). The msgids are the same as the PDF's, so
# one translation serves both files.

# TRANSLATORS: the report's title, in capitals: «ОТЧЁТ» / «ЕСЕП»
REPORT_TITLE = N_("REPORT")
# TRANSLATORS: second line of the title: «о проведённой профилактической работе по
# противодействию наркопреступности» / «есірткі қылмысына қарсы іс-қимыл бойынша жүргізілген
# профилактикалық жұмыс туралы»
REPORT_SUBJECT = N_("on the preventive work done to counter drug crime")
# TRANSLATORS: page footer: «стр. {page} из {pages}» / «{pages} беттің {page}-беті»
PAGE_OF = N_("page {page} of {pages}")
# TRANSLATORS: head of the number column of a table: «№ п/п» / «Р/с №»
COL_NUMBER = N_("No.")
# TRANSLATORS: «Наименование показателя» / «Көрсеткіштің атауы»
COL_INDICATOR = N_("Indicator")
# TRANSLATORS: «За месяц» / «Ай ішінде»
COL_MONTH = N_("For the month")
# TRANSLATORS: «С начала года» / «Жыл басынан бері»
COL_YEAR = N_("Since the start of the year")


def page_of(page: int | str, pages: int | str, language: str) -> str:
    """ "стр. 2 из 5"; Excel passes its field codes ("&P", "&N") instead of numbers."""
    return translate(PAGE_OF, language).format(page=page, pages=pages)


def figure_decimals(row: TableRow, value: float | None) -> int:
    """Decimals a summary figure is printed with: the row's own (1 for percentages and hours),
    and 1 for any figure that is not whole, so nothing is rounded away."""
    whole = value is None or float(value).is_integer()
    return max(row.decimals, 0 if whole else 1)


def row_figure(row: TableRow, value: float | None) -> str:
    """A summary figure as the screen and the PDF print it: blank in a heading row, "—" for a
    rate with nobody to count, 0 for zero."""
    if row.heading:
        return ""
    return format_figure(value, decimals=figure_decimals(row, value))


def approval_year(report: MonthlyReport) -> int:
    """The year printed in the approval date: the year the report is made and signed (a
    December report is approved in January)."""
    return report.generated_at.year
