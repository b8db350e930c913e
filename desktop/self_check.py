"""The Qt steps of `Qadam --self-check`, after the Qt-free ones of reports/self_check.py: Qt
starts offscreen, Qt's own translations load, the SVG icons render, and the real main window
opens offscreen on the self-check's temporary database and shows each of its pages.

Qt is imported inside the steps, so a bundle with a broken Qt still reports the other steps.
"""

from __future__ import annotations

import os
from typing import TextIO

from reports.self_check import CORE_STEPS, CheckContext, Step, require
from reports.self_check import run_self_check as _run


def _application(context: CheckContext):  # noqa: ANN202 - QApplication, imported lazily
    app = context.extras.get("app")
    require(app is not None, "Qt did not start (an earlier step failed)")
    return app


def check_qt_start(context: CheckContext) -> str:
    # Before the QApplication exists: the self-check never shows a window on the screen.
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from desktop.app import make_application

    app = make_application(["qadam", "--self-check"])
    context.extras["app"] = app
    require(app.platformName() == "offscreen", f"platform {app.platformName()}")
    from PySide6.QtCore import qVersion

    return f"Qt {qVersion()}"


# Qt's own context of its dialog buttons. A name, not a literal, in the calls below: the
# catalog extractor (tools/update_catalogs.py) takes a literal first argument of any
# `translate(...)` for one of Qadam's msgids.
QT_BUTTONS = "QPlatformTheme"


def check_qt_translations(context: CheckContext) -> str:
    from PySide6.QtCore import QCoreApplication, QLibraryInfo, QTranslator

    _application(context)
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    # make_application installed qtbase_<language> for the default language, Russian
    cancel = QCoreApplication.translate(QT_BUTTONS, "Cancel")
    require(cancel != "Cancel", f"qtbase_ru.qm is not in use (looked in {folder})")
    kazakh = QTranslator()
    require(kazakh.load("qtbase_kk", folder), f"qtbase_kk.qm cannot be loaded from {folder}")
    require(kazakh.translate(QT_BUTTONS, "Cancel"), "qtbase_kk.qm has no “Cancel”")
    return f"“Cancel” → “{cancel}”"


def check_icons(context: CheckContext) -> str:
    from desktop.icons import icon

    _application(context)
    blank = [name for name in ("qadam", "events", "reports", "settings")
             if icon(name).pixmap(32, 32).isNull()]
    require(not blank, f"these icons do not render: {', '.join(blank)} (no SVG plugin?)")
    return "SVG"


def check_main_window(context: CheckContext) -> str:
    from desktop.context import AppContext
    from desktop.main_window import MainWindow

    app = _application(context)
    database, user, _facility, _month = context.need_database()
    window = MainWindow(AppContext(database=database, user=user))
    context.extras["window"] = window
    window.show()
    app.processEvents()
    require(window.isVisible(), "the main window is not visible")
    for key in window.pages:
        window.show_page(key)
        app.processEvents()
        require(window.current_key() == key, f"the page {key} does not open")
    persons = window.pages["persons"]
    persons.reload()  # type: ignore[attr-defined]
    app.processEvents()
    total = persons.model.total  # type: ignore[attr-defined]
    require(total == 1, f"the persons page lists {total} persons, expected 1")
    return f"{len(window.pages)} pages"


def close_window(context: CheckContext) -> None:
    window = context.extras.pop("window", None)
    app = context.extras.get("app")
    if window is not None:
        window.close()  # waits for background tasks, so the database can be closed
        window.deleteLater()
    if app is not None:
        app.processEvents()


QT_STEPS: list[Step] = [
    ("Qt started offscreen", check_qt_start),
    ("Qt translations qtbase_ru and qtbase_kk", check_qt_translations),
    ("icons rendered", check_icons),
    ("main window shown offscreen", check_main_window),
]


def run_self_check(stream: TextIO | None = None) -> int:
    """Every step, Qt-free and Qt; the exit code of `Qadam --self-check`."""
    return _run([*CORE_STEPS, *QT_STEPS], stream=stream, cleanup=close_window)
