"""Qt's own strings (dialog buttons, context menus) from PySide6's qtbase_<lang>.qm."""

from __future__ import annotations

from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator
from PySide6.QtWidgets import QApplication

from db.i18n import set_language

_installed: list[QTranslator] = []


def apply_language(app: QApplication, language: str) -> None:
    set_language(language)
    QLocale.setDefault(QLocale(QLocale.Language.Kazakh if language == "kk"
                               else QLocale.Language.Russian, QLocale.Country.Kazakhstan))
    for translator in _installed:
        app.removeTranslator(translator)
    _installed.clear()
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    translator = QTranslator(app)
    if translator.load(f"qtbase_{language}", folder):
        app.installTranslator(translator)
        _installed.append(translator)
