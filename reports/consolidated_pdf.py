"""The consolidated report as a PDF: the title of the region and period, the numbered table with a
column per facility and the region's bold total (landscape when the facilities do not fit
portrait; the header repeats on every page, long labels and facility names wrap), the
completeness of the month, signature lines and "стр. X из Y". Fonts, styles, table style and the
numbering canvas are the facility report's (reports/pdf.py)."""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import cm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    KeepTogether,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
)

from db.i18n import LANGUAGES, translate
from reports import texts
from reports.completeness import STATUS_LABELS
from reports.consolidated import REGION_TOTAL, RegionReport, region_summary_rows
from reports.consolidated_excel import (
    COL_FACILITY,
    COL_RECEIVED,
    COL_REVISION,
    COL_STATUS,
    COMPLETENESS_TITLE,
    REGION_HEAD,
    REGION_TITLE,
    is_landscape,
)
from reports.files import write_atomically
from reports.pdf import (
    BOTTOM,
    GENERATED,
    HEADER_FILL,
    LEFT,
    RIGHT,
    SECTION_FIGURES,
    SECTION_FILL,
    TOP,
    NumberedCanvas,
    PageDecorations,
    PdfStyles,
    para,
    table_style,
)
from reports.pdf_fonts import BOLD, REGULAR, register_fonts

_LANG_TAGS = {"ru": "ru-RU", "kk": "kk-KZ"}
TOTAL_FILL = SECTION_FILL


def write_region_pdf(report: RegionReport, path: Path, *, language: str = "ru") -> Path:
    """Write the consolidated report as a PDF; the file appears only when complete."""
    if language not in LANGUAGES:
        raise ValueError(f"unknown language {language!r}")
    register_fonts()
    return write_atomically(Path(path), partial(_build, report, language=language))


def _build(report: RegionReport, target: Path, *, language: str) -> None:
    t = partial(translate, language=language)
    pagesize = landscape(A4) if is_landscape(report) else A4
    # landscape pages are filed by the short side: 2 cm all round is enough there
    left = 2 * cm if is_landscape(report) else LEFT
    width, height = pagesize
    frame_width = width - left - RIGHT
    frame = Frame(left, BOTTOM, frame_width, height - TOP - BOTTOM, leftPadding=0,
                  rightPadding=0, topPadding=0, bottomPadding=0, id="body")
    period = texts.period_title(report.month, language)
    title = f"{t(REGION_TITLE).capitalize()} {period}" + (
        f", {report.region}" if report.region else "")
    doc = BaseDocTemplate(
        str(target), pagesize=pagesize, pageTemplates=[PageTemplate("page", frames=[frame])],
        leftMargin=left, rightMargin=RIGHT, topMargin=TOP, bottomMargin=BOTTOM,
        title=title, author="Qadam", creator="Qadam", subject=report.region,
        keywords=["Qadam", str(report.month)], lang=_LANG_TAGS[language],
        displayDocTitle=True, initialFontName=REGULAR, initialFontSize=10)
    styles = PdfStyles()
    story: list[Flowable] = [
        para(t(REGION_TITLE), styles.title),
        para(t(texts.REPORT_SUBJECT), styles.subtitle),
        para(period, styles.subtitle),
    ]
    if report.region:
        story.append(para(report.region, styles.facility))
    story += [Spacer(1, 0.2 * cm), para(t(SECTION_FIGURES), styles.section),
              _figures_table(report, language, styles, frame_width)]
    story.append(KeepTogether([para(t(COMPLETENESS_TITLE), styles.section),
                               _completeness_table(report, language, styles, frame_width)]))
    story.append(KeepTogether(_signature(report, language, styles)))
    decorations = PageDecorations(
        page_text=lambda page, total: texts.page_of(page, total, language),
        generated=t(GENERATED).format(date=texts.format_date(report.generated_at),
                                      time=report.generated_at.strftime("%H:%M")),
        running_head=f"{t(REGION_TITLE)} · {period}")
    doc.build(story, canvasmaker=partial(NumberedCanvas, decorations=decorations))


def _figures_table(report: RegionReport, language: str, styles: PdfStyles,
                   frame_width: float) -> Table:
    t = partial(translate, language=language)
    count = len(report.facilities) + 1
    # figures at least 1.5 cm; the indicator gets what is left, at least 5 cm (then the
    # figures share what remains: many facilities make narrower columns, names wrap)
    number_width = 1.1 * cm
    figure_width = max(1.3 * cm, min(2.0 * cm, (frame_width - number_width - 6.5 * cm) / count))
    # a head word ("Учреждение") is never broken inside: the columns are as wide as the longest
    head_word = max((stringWidth(word, BOLD, styles.small_head.fontSize)
                     for facility in report.facilities for word in facility.facility.name.split()),
                    default=0.0)
    figure_width = max(figure_width, head_word + 2 * 3 + 1)
    label_width = frame_width - number_width - figure_width * count
    data: list[list[Any]] = [[
        para(t(texts.COL_NUMBER), styles.head), para(t(texts.COL_INDICATOR), styles.head),
        # facility names in the small head size: "Учреждение" stays one word in 1.3 cm
        *[para(facility.facility.name, styles.small_head) for facility in report.facilities],
        para(t(REGION_TOTAL), styles.head)]]
    commands: list[tuple[Any, ...]] = [
        ("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL),
        ("BACKGROUND", (-1, 1), (-1, -1), TOTAL_FILL),
    ]
    rows = region_summary_rows(report, language)
    for index, row in enumerate(rows, start=1):
        label = t(row.label) if row.translate_label else row.label
        label_style = styles.cell_bold if row.bold else styles.cell_indent
        figure_style = styles.cell_center_bold if row.bold else styles.cell_center
        cells = [para(row.number, figure_style), para(label, label_style)]
        for position, value in enumerate(row.values):
            is_total = position == len(row.values) - 1
            text = "" if row.heading else texts.format_figure(
                value, decimals=max(row.decimals, 0 if value is None
                                    or float(value).is_integer() else 1))
            cells.append(para(text, styles.cell_center_bold if is_total else figure_style))
        data.append(cells)
        if row.bold and "." not in row.number:
            commands.append(("BACKGROUND", (0, index), (-2, index), SECTION_FILL))
            commands.append(("NOSPLIT", (0, index), (-1, min(index + 1, len(rows)))))
    table = Table(data, colWidths=[number_width, label_width, *[figure_width] * count],
                  repeatRows=1)
    table.setStyle(table_style(*commands))
    return table


def _completeness_table(report: RegionReport, language: str, styles: PdfStyles,
                        frame_width: float) -> Table:
    t = partial(translate, language=language)
    data: list[list[Any]] = [[para(t(msgid), styles.head) for msgid in
                              (COL_FACILITY, COL_STATUS, COL_REVISION, COL_RECEIVED)]]
    for item in report.completeness:
        data.append([
            para(f"{item.facility_code} · {item.facility_name}", styles.cell),
            para(t(STATUS_LABELS[item.status]), styles.cell_center),
            para("" if item.revision is None else str(item.revision), styles.cell_center),
            para(texts.format_date(item.received_at) if item.received_at else "",
                 styles.cell_center)])
    side = min(3.2 * cm, frame_width / 5)
    table = Table(data, colWidths=[frame_width - 3 * side, side, side, side], repeatRows=1,
                  hAlign="LEFT")
    table.setStyle(table_style(("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL)))
    return table


def _signature(report: RegionReport, language: str, styles: PdfStyles) -> list[Flowable]:
    t = partial(translate, language=language)
    date_text = t(texts.DATE_LABEL).format(date=texts.format_date(report.generated_at))
    return [
        Spacer(1, 0.8 * cm),
        para(f"{t(texts.PREPARED_BY)} {texts.NAME_LINE * 2}", styles.signature),
        Spacer(1, 0.8 * cm),
        Paragraph(f"{escape(t(REGION_HEAD))}&nbsp;&nbsp;&nbsp;{texts.SIGNATURE_LINE}&nbsp;"
                  f"{texts.NAME_LINE}", styles.signature),
        para(t(texts.STAMP_PLACE), styles.signature),
        Spacer(1, 0.4 * cm),
        para(date_text, styles.signature),
    ]
