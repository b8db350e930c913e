"""Settings: the window's language, when it locks itself, and what this database is."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QSpinBox,
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
        self.language_note.hide()  # an empty row would leave a gap until the language changes

        window_box = QGroupBox(_("Window"))
        window_form = QFormLayout(window_box)
        window_form.addRow(_("Language"), self.language)
        window_form.addRow("", self.language_note)
        window_form.addRow(_("Security"), self._idle_row())

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
        from desktop.pages.backups_box import BackupsBox

        self.backups = BackupsBox(context)
        layout.addWidget(self.backups)
        layout.addStretch(1)

    def _idle_row(self) -> QWidget:
        """"Lock the window after [10] minutes of inactivity": one sentence to translate,
        split around the spin box, so each language keeps its own word order."""
        self.idle_minutes = QSpinBox()
        self.idle_minutes.setRange(*settings.IDLE_MINUTES_RANGE)
        self.idle_minutes.setValue(settings.get(settings.IDLE_MINUTES))
        self.idle_minutes.valueChanged.connect(
            lambda value: settings.put(settings.IDLE_MINUTES, value))
        # TRANSLATORS: {minutes} is where the number box goes; keep it, in any place
        sentence = _("Lock the window after {minutes} minutes of inactivity")
        before, _marker, after = sentence.partition("{minutes}")
        row = QWidget()
        line = QHBoxLayout(row)
        line.setContentsMargins(0, 0, 0, 0)
        if before.strip():
            line.addWidget(QLabel(before.strip()))
        line.addWidget(self.idle_minutes)
        if after.strip():
            line.addWidget(QLabel(after.strip()))
        line.addStretch(1)
        return row

    def _language_chosen(self, _index: int) -> None:
        settings.put(settings.LANGUAGE, combo_value(self.language))
        self.language_note.setText(_("The new language applies after the program restarts."))
        self.language_note.show()
