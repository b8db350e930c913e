"""The bundled DejaVu Sans for PDFs: reportlab's own fonts (Helvetica, Vera) have no Cyrillic and
print every Russian or Kazakh letter as a black box.

Each style is registered as a TTFont (reportlab embeds a subset of it) and the four are tied into
one family, so `<b>` in a Paragraph really switches to DejaVuSans-Bold instead of printing regular
text silently. Registration is process-wide in reportlab, so it happens once per process.
"""

from __future__ import annotations

import threading

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFError, TTFont

from db.i18n import _
from db.paths import resource
from reports.files import ExportError

FAMILY = "DejaVuSans"
REGULAR = "DejaVuSans"
BOLD = "DejaVuSans-Bold"
ITALIC = "DejaVuSans-Oblique"
BOLD_ITALIC = "DejaVuSans-BoldOblique"

# font name -> file in resources/fonts
_FILES: dict[str, str] = {
    REGULAR: "DejaVuSans.ttf",
    BOLD: "DejaVuSans-Bold.ttf",
    ITALIC: "DejaVuSans-Oblique.ttf",
    BOLD_ITALIC: "DejaVuSans-BoldOblique.ttf",
}

_lock = threading.Lock()  # exports may run in a worker thread while another starts
_registered = False


def register_fonts() -> str:
    """Register DejaVu Sans (four styles and the family) once; return the family name.

    Raises ExportError when a font file is missing or broken: a PDF silently set in Helvetica
    would be unreadable, so no fallback is offered.
    """
    global _registered
    with _lock:
        if _registered:
            return FAMILY
        for name, file_name in _FILES.items():
            path = resource("fonts", file_name)
            try:
                pdfmetrics.registerFont(TTFont(name, str(path)))
            except (OSError, TTFError) as exc:
                raise ExportError(_("The font {path} cannot be read ({reason}); reinstall "
                                    "Qadam.").format(path=path, reason=exc)) from None
        # The family ties the styles together: <b> inside a DejaVuSans paragraph (and the
        # bold style's own name) resolve to DejaVuSans-Bold.
        pdfmetrics.registerFontFamily(FAMILY, normal=REGULAR, bold=BOLD, italic=ITALIC,
                                      boldItalic=BOLD_ITALIC)
        _registered = True
        return FAMILY
