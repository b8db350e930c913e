"""Settings: the window's language, and what this database is."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from db.i18n import _
from db.paths import user_data_dir
from db.values import FacilityType
from desktop import settings
from desktop.context import AppContext
from desktop.texts import word
from desktop.widgets.combo import combo_value, fill_combo

LANGUAGE_NAMES = [("ru", "Русский"), ("kk", "Қазақша")]


class SettingsPage(QWidget):
    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.language = QComboBox()
        fill_combo(self.language, LANGUAGE_NAMES, settings.get(settings.LANGUAGE))
        self.language.currentIndexChanged.connect(self._language_chosen)
        self.language_note = QLabel()
        self.language_note.setStyleSheet("color: #6b6b6b;")

        window_box = QGroupBox(_("Window"))
        window_form = QFormLayout(window_box)
        window_form.addRow(_("Language"), self.language)
        window_form.addRow("", self.language_note)

        database_box = QGroupBox(_("This database"))
        database_form = QFormLayout(database_box)
        facility = context.own_facility()
        if context.is_regional():
            database_form.addRow(_("Kind"), QLabel(_("Regional department")))
        elif facility is not None:
            database_form.addRow(_("Facility"), QLabel(f"№{facility.code} — {facility.name}"))
            database_form.addRow(_("Type"), QLabel(word(FacilityType, facility.facility_type)))
            if facility.region:
                database_form.addRow(_("Region"), QLabel(facility.region))
        path = QLabel(str(context.database.path or ""))
        path.setWordWrap(True)
        database_form.addRow(_("File"), path)
        data = QLabel(str(user_data_dir()))
        data.setWordWrap(True)
        database_form.addRow(_("Data folder"), data)

        layout = QVBoxLayout(self)
        layout.addWidget(window_box)
        layout.addWidget(database_box)
        layout.addStretch(1)

    def _language_chosen(self, _index: int) -> None:
        settings.put(settings.LANGUAGE, combo_value(self.language))
        self.language_note.setText(_("The new language applies after the program restarts."))
