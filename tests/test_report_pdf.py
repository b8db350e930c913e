"""The monthly report's PDF: readable text in both languages (Kazakh letters included), every
figure of the numbered table, DejaVu fonts embedded, headers repeated, "стр. X из Y", metadata,
and an export into a missing folder that fails cleanly. The report is built by hand, so these
tests need no database."""

from __future__ import annotations

import datetime as dt
import gettext
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from db import i18n
from db.i18n import translate
from db.months import Month
from reports import pdf, texts
from reports.files import ExportError
from reports.model import (
    EventLine,
    FacilityInfo,
    KindCount,
    MonthlyReport,
    Pair,
    Signature,
    summary_rows,
)

KAZAKH_LETTERS = "ӘҒҚҢӨҰҮҺІ"
ESCAPED_PLACE = 'Школа <№45> & "Достық"'

KINDS = [  # (code, ru, kk, month, year)
    ("meeting", "Разъяснительная встреча", "Түсіндіру кездесуі", 2, 14),
    ("lecture", "Лекция, беседа", "Дәріс, әңгімелесу", 1, 9),
    ("action", "Антинаркотическая акция", "Есірткіге қарсы акция", 1, 6),
    ("round_table", "Круглый стол", "Дөңгелек үстел", 0, 3),
    ("film", "Просмотр фильма", "Фильм көрсету", 0, 2),
    ("sport", "Спортивное или культурное мероприятие", "Спорттық немесе мәдени іс-шара", 0, 2),
    ("consultation", "Индивидуальная консультация", "Жеке кеңес беру", 0, 1),
    ("materials", "Распространение материалов", "Материалдар тарату", 0, 0),
]


def make_event(day: int, *, place: str = "Учреждение ЛА-155/69", inside: bool = True,
               serving: int = 25, released: int = 0, community: int = 0,
               named: int = 12) -> EventLine:
    return EventLine(
        event_date=dt.date(2026, 10, day), event_time=dt.time(10, 30),
        kind_ru="Разъяснительная встреча", kind_kk="Түсіндіру кездесуі",
        place=place, inside=inside,
        topics_ru=["Профилактика наркомании", "Уголовная ответственность за наркопреступления"],
        topics_kk=["Нашақорлықтың алдын алу", "Есірткі қылмыстары үшін қылмыстық жауаптылық"],
        organizers_ru=["УП г. Шымкент", "Фонд «Іһсан»"],
        organizers_kk=["Шымкент қ. ПБ", "«Іһсан» қоры"],
        count_serving=serving, count_released=released, count_community=community,
        named=named, volunteers=1, responsible="Әбдіғаппарова Ғ. Ө.",
    )


def make_report(events: list[EventLine] | None = None) -> MonthlyReport:
    if events is None:
        events = [
            make_event(2),
            make_event(9, place=ESCAPED_PLACE, inside=False, serving=0, released=3,
                       community=40, named=3),
            make_event(16, place="Махалля «Бірлік»", inside=False, serving=0, released=5,
                       community=18, named=5),
            make_event(28, serving=31, named=0),
        ]
    return MonthlyReport(
        facility=FacilityInfo(code="69", name="Учреждение ЛА-155/69", facility_type="medium",
                              region="г. Шымкент и Туркестанская область"),
        month=Month(2026, 10),
        generated_at=dt.datetime(2026, 11, 3, 14, 5),
        events_total=Pair(4, 37), events_inside=Pair(2, 24), events_outside=Pair(2, 13),
        events_by_kind=[KindCount(code, ru, kk, Pair(month, year))
                        for code, ru, kk, month, year in KINDS],
        attendances_serving=Pair(56, 512), attendances_released=Pair(8, 61),
        attendances_community=Pair(58, 1340), attendances_total=Pair(122, 1913),
        unique_persons=Pair(20, 143), wants_to_volunteer=Pair(3, 17),
        materials_handed_out=Pair(0, 250),
        volunteers_new=Pair(1, 6), volunteers_active_at_end=9, volunteers_left=Pair(0, 2),
        volunteers_taking_part=Pair(4, 11), volunteer_hours=Pair(12.5, 96.0),
        volunteer_reoffences=Pair(0, 1), volunteer_reoffences_12m=1,
        volunteers_considered_12m=8, no_reoffence_rate_12m=87.5,
        events=events,
        signature=Signature(prepared_by="Оспанова Гүлнар Маратқызы",
                            position="социальный работник", phone="+7 701 234 56 78",
                            head_name="Құдайбергенов Асхат Серікұлы"),
    )


def pdf_text(path: Path) -> list[str]:
    return [page.extract_text() or "" for page in PdfReader(path).pages]


def flat(text: str) -> str:
    """Whitespace (line breaks inside wrapped cells, non-breaking spaces) as single spaces."""
    return " ".join(text.split())


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("pdf")
    return {language: pdf.write_monthly_pdf(make_report(), folder / f"report-{language}.pdf",
                                            language=language)
            for language in ("ru", "kk")}


# ---------------------------------------------------------------------------------------------
# Text


@pytest.mark.parametrize("language", ["ru", "kk"])
def test_pdf_prints_title_period_and_facility(written: dict[str, Path], language: str) -> None:
    text = flat(" ".join(pdf_text(written[language])))
    assert translate(texts.REPORT_TITLE, language).upper() in text
    assert flat(translate(texts.REPORT_SUBJECT, language)) in text
    assert texts.period_title(Month(2026, 10), language) in text
    assert "Учреждение ЛА-155/69" in text
    assert translate(texts.APPROVED, language) in text
    assert "А. С. Құдайбергенов" in text  # initials first beside a signature
    assert "03.11.2026" in text


def test_period_title_in_both_languages() -> None:
    assert texts.period_title(Month(2026, 10), "ru") == "за октябрь 2026 года"
    assert texts.period_title(Month(2026, 10), "kk") == "2026 жылғы қазан айы үшін"


@pytest.mark.parametrize("language", ["ru", "kk"])
def test_pdf_prints_every_summary_row_with_its_figures(written: dict[str, Path],
                                                       language: str) -> None:
    text = flat(" ".join(pdf_text(written[language])))
    for row in summary_rows(make_report(), language):
        label = translate(row.label, language) if row.translate_label else row.label
        figures = "" if row.month is None else " ".join(
            pdf._figure(row, value) for value in (row.month, row.year))
        # number, label and both figures on one line of the table, in this order
        assert flat(f"{row.number} {label} {figures}") in text, row


def test_pdf_figures_are_printed_in_the_office_form(written: dict[str, Path]) -> None:
    text = flat(" ".join(pdf_text(written["ru"])))
    assert "12,5 96,0" in text  # hours with one decimal, decimal comma
    assert "87,5 87,5" in text  # the rate
    assert "1 913" in text  # thousands apart (a non-breaking space, flattened here)
    assert " 0 250" in text  # zero printed as 0, not blank


def test_kazakh_report_extracts_all_nine_kazakh_letters(written: dict[str, Path]) -> None:
    text = " ".join(pdf_text(written["kk"]))
    missing = [letter for letter in KAZAKH_LETTERS
               if letter not in text and letter.lower() not in text]
    assert missing == []
    assert "Түсіндіру кездесуі" in text
    assert "Latin" not in text  # no fallback font names leaking into the text
    assert "\u25a0" not in text and "\ufffd" not in text  # no boxes, no replacement characters


@pytest.mark.parametrize("language", ["ru", "kk"])
def test_user_text_is_escaped_and_printed_literally(written: dict[str, Path],
                                                    language: str) -> None:
    text = flat(" ".join(pdf_text(written[language])))
    assert ESCAPED_PLACE in text
    assert "&amp;" not in text and "&lt;" not in text


@pytest.mark.parametrize("language", ["ru", "kk"])
def test_pdf_numbers_pages_with_the_total(written: dict[str, Path], language: str) -> None:
    pages = pdf_text(written[language])
    for number, text in enumerate(pages, start=1):
        expected = translate(texts.PAGE_OF, language).format(page=number, pages=len(pages))
        assert expected in text


# The catalogs are translated by someone else, later: these tests give the page footer its
# Russian and Kazakh words so they check the two-pass numbering with real Cyrillic text.
OFFICE_WORDS = {
    "ru": {texts.PAGE_OF: "стр. {page} из {pages}", texts.REPORT_TITLE: "ОТЧЁТ"},
    "kk": {texts.PAGE_OF: "{pages} беттің {page}-беті", texts.REPORT_TITLE: "ЕСЕП"},
}


class _WithWords(gettext.NullTranslations):
    def __init__(self, base: gettext.NullTranslations, words: dict[str, str]) -> None:
        super().__init__()
        self._base, self._words = base, words

    def gettext(self, message: str) -> str:
        return self._words.get(message) or self._base.gettext(message)


@pytest.fixture
def office_words(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    original = i18n.load_catalog
    monkeypatch.setattr(i18n, "load_catalog",
                        lambda language: _WithWords(original(language),
                                                    OFFICE_WORDS.get(language, {})))
    yield


@pytest.mark.usefixtures("office_words")
def test_page_footer_reads_str_x_iz_y_in_russian_and_kazakh(tmp_path: Path) -> None:
    report = make_report([make_event(1 + i % 28) for i in range(80)])
    russian = pdf_text(pdf.write_monthly_pdf(report, tmp_path / "ru.pdf", language="ru"))
    kazakh = pdf_text(pdf.write_monthly_pdf(report, tmp_path / "kk.pdf", language="kk"))
    total = len(russian)
    assert total >= 3
    assert "ОТЧЁТ" in russian[0] and "ЕСЕП" in kazakh[0]
    for number, text in enumerate(russian, start=1):
        assert f"стр. {number} из {total}" in text
    for number, text in enumerate(kazakh, start=1):
        assert f"{len(kazakh)} беттің {number}-беті" in text


# ---------------------------------------------------------------------------------------------
# Layout across pages


def test_long_list_of_events_repeats_its_header_on_every_page(tmp_path: Path) -> None:
    report = make_report([make_event(1 + i % 28) for i in range(80)])
    pages = pdf_text(pdf.write_monthly_pdf(report, tmp_path / "long.pdf"))
    assert len(pages) >= 3
    audience = translate(pdf.COL_AUDIENCE, "ru")
    organizers = translate(pdf.ORGANIZERS, "ru")
    with_events = [i for i, text in enumerate(pages) if re.search(r"\d\d\.10\.2026", text)]
    assert len(with_events) >= 2 and 1 in with_events  # the list goes on to page 2 and further
    for index in with_events:
        assert audience in flat(pages[index]) and organizers in pages[index], index
    # all 80 rows and the sum row: 80 × 25 convicts
    assert "2 000" in flat(" ".join(pages))


@pytest.mark.parametrize("count", [4, 17, 33])
def test_signature_never_stands_alone_on_the_last_page(tmp_path: Path, count: int) -> None:
    """These counts put the signature block alone on a page in a first layout; the last rows
    of the list then go over with it (a lone signed sheet could be swapped)."""
    report = make_report([make_event(1 + i % 28) for i in range(count)])
    pages = pdf_text(pdf.write_monthly_pdf(report, tmp_path / "report.pdf"))
    last = flat(pages[-1])
    assert translate(texts.STAMP_PLACE, "ru") in last
    assert re.search(r"\d\d\.10\.2026", last), last
    assert translate(pdf.COL_AUDIENCE, "ru") in last  # with the header of the list
    # every row printed exactly once: none lost or doubled by the second layout
    numbers = re.findall(r"(?<![\d.])(\d+) \d\d\.10\.2026", flat(" ".join(pages)))
    assert [int(n) for n in numbers] == list(range(1, count + 1))


def test_month_without_events_says_so_and_skips_the_chart(tmp_path: Path) -> None:
    report = make_report([])
    empty_kinds = [KindCount(k.code, k.name_ru, k.name_kk, Pair(0, 0))
                   for k in report.events_by_kind]
    report = MonthlyReport(**{**report.__dict__, "events_by_kind": empty_kinds,
                              "no_reoffence_rate_12m": None})
    text = flat(" ".join(pdf_text(pdf.write_monthly_pdf(report, tmp_path / "empty.pdf"))))
    assert translate(pdf.NO_EVENTS, "ru") in text
    assert translate(pdf.SECTION_CHART, "ru") not in text
    assert "4.4" in text and "— —" in text  # no rate without volunteers: a dash, not 0


def test_signature_block_without_names_leaves_lines_to_fill_in(tmp_path: Path) -> None:
    report = MonthlyReport(**{**make_report().__dict__, "signature": Signature()})
    text = flat(" ".join(pdf_text(pdf.write_monthly_pdf(report, tmp_path / "blank.pdf"))))
    assert f"{texts.SIGNATURE_LINE} {texts.NAME_LINE}" in text
    assert translate(texts.STAMP_PLACE, "ru") in text


# ---------------------------------------------------------------------------------------------
# Fonts and metadata


def _fonts(path: Path) -> dict[str, Any]:
    """Base font name (subset tag removed) -> font dictionary, over all pages and forms."""
    found: dict[str, Any] = {}
    for page in PdfReader(path).pages:
        fonts = page["/Resources"].get_object().get("/Font", {})
        for ref in fonts.values():
            font = ref.get_object()
            found[str(font["/BaseFont"]).lstrip("/").split("+")[-1]] = font
    return found


@pytest.mark.parametrize("language", ["ru", "kk"])
def test_dejavu_regular_and_bold_are_embedded_and_nothing_else(written: dict[str, Path],
                                                               language: str) -> None:
    fonts = _fonts(written[language])
    assert {"DejaVuSans", "DejaVuSans-Bold"} <= set(fonts)
    for name, font in fonts.items():
        assert name.startswith("DejaVuSans"), name  # no Helvetica: it has no Cyrillic
        descriptor = font.get("/FontDescriptor") or (
            font["/DescendantFonts"][0].get_object()["/FontDescriptor"])
        assert "/FontFile2" in descriptor.get_object(), f"{name} is not embedded"


def test_bold_rows_are_set_in_the_bold_font(written: dict[str, Path]) -> None:
    """<b> or a bold style printing regular is the classic reportlab slip: look at the font
    each piece of text is actually drawn with."""
    page = PdfReader(written["ru"]).pages[0]
    drawn: list[tuple[str, str]] = []

    def visit(text: str, _cm: Any, _tm: Any, font: Any, _size: Any) -> None:
        if font is not None and text.strip():
            drawn.append((text.strip(), str(font.get("/BaseFont", ""))))

    page.extract_text(visitor_text=visit)
    bold_label = translate("Events held, total", "ru")
    regular_label = translate("in the facility", "ru")
    assert any(bold_label in text and "Bold" in font for text, font in drawn), drawn
    assert any(regular_label in text and "Bold" not in font for text, font in drawn)


@pytest.mark.skipif(shutil.which("pdffonts") is None, reason="poppler-utils not installed")
def test_pdffonts_reports_the_fonts_embedded(written: dict[str, Path]) -> None:
    listing = subprocess.run(["pdffonts", str(written["kk"])], capture_output=True, text=True,
                             check=True).stdout
    rows = [line.split() for line in listing.splitlines()[2:] if line.strip()]
    assert rows and {row[0].split("+")[-1] for row in rows} >= {"DejaVuSans", "DejaVuSans-Bold"}
    # columns: name type encoding emb sub uni object-id: embedded and with a ToUnicode map
    assert all(row[-5] == "yes" and row[-3] == "yes" for row in rows), listing


@pytest.mark.parametrize(("language", "tag"), [("ru", "ru-RU"), ("kk", "kk-KZ")])
def test_pdf_metadata_title_author_language(written: dict[str, Path], language: str,
                                            tag: str) -> None:
    reader = PdfReader(written[language])
    assert reader.metadata is not None
    assert reader.metadata.author == "Qadam"
    assert texts.period_title(Month(2026, 10), language) in (reader.metadata.title or "")
    assert "Учреждение ЛА-155/69" in (reader.metadata.title or "")
    assert reader.trailer["/Root"]["/Lang"] == tag
    page = reader.pages[0]
    assert round(float(page.mediabox.width)) == 595 and round(float(page.mediabox.height)) == 842


# ---------------------------------------------------------------------------------------------
# Files


def test_export_into_a_missing_folder_fails_and_leaves_nothing(tmp_path: Path) -> None:
    target = tmp_path / "no such folder" / "report.pdf"
    with pytest.raises(ExportError):
        pdf.write_monthly_pdf(make_report(), target)
    assert list(tmp_path.iterdir()) == []


def test_failed_export_keeps_the_old_file_and_leaves_no_temporary(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "report.pdf"
    target.write_bytes(b"old")

    def broken(*_args: Any, **_kwargs: Any) -> None:
        raise RuntimeError("layout failed")

    monkeypatch.setattr(pdf, "_build", broken)
    with pytest.raises(RuntimeError):
        pdf.write_monthly_pdf(make_report(), target)
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["report.pdf"]


def test_unknown_language_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        pdf.write_monthly_pdf(make_report(), tmp_path / "x.pdf", language="en")


# ---------------------------------------------------------------------------------------------
# Helpers in reports.texts


@pytest.mark.parametrize(("typed", "printed"), [
    ("Құдайбергенов Асхат Серікұлы", "А. С. Құдайбергенов"),
    ("Құдайбергенов А. С.", "А. С. Құдайбергенов"),
    ("Құдайбергенов А.С.", "А. С. Құдайбергенов"),
    ("Ким Олег", "О. Ким"),
    ("  Римский-Корсаков  Николай  Андреевич ", "Н. А. Римский-Корсаков"),
    ("Алиев Тимур Рашид оглы", "Алиев Тимур Рашид оглы"),
    ("", ""),
])
def test_signature_name_puts_initials_first(typed: str, printed: str) -> None:
    assert texts.signature_name(typed) == printed


@pytest.mark.parametrize(("value", "decimals", "printed"), [
    (0, 0, "0"), (17.0, 0, "17"), (1913, 0, "1\u00a0913"), (12.5, 1, "12,5"),
    (96.0, 1, "96,0"), (1234.25, 1, "1\u00a0234,2"), (None, 0, "—"),
])
def test_format_figure(value: float | None, decimals: int, printed: str) -> None:
    assert texts.format_figure(value, decimals=decimals) == printed


def test_format_date_and_head_title() -> None:
    assert texts.format_date(dt.date(2026, 1, 5)) == "05.01.2026"
    assert texts.head_title("№69", "ru") == texts.head_title("69", "ru")
