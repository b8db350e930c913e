"""The regional department's page: importing packages, the completeness of the facilities'
reports, and the consolidated report; shown only on a regional database."""

from __future__ import annotations

from PySide6.QtWidgets import QTabWidget, QVBoxLayout, QWidget

from db.i18n import _
from desktop import settings
from desktop.context import AppContext
from desktop.pages.completeness_tab import CompletenessTab
from desktop.pages.consolidated_tab import ConsolidatedTab
from desktop.pages.import_tab import ImportTab

LAST_TAB = settings.Setting("region/tab", 0)


class RegionPage(QWidget):
    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.import_tab = ImportTab(context)
        self.completeness_tab = CompletenessTab(context)
        self.consolidated_tab = ConsolidatedTab(context)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("regionTabs")
        self.tabs.addTab(self.import_tab, _("Import of packages"))
        self.tabs.addTab(self.completeness_tab, _("Completeness"))
        self.tabs.addTab(self.consolidated_tab, _("Consolidated report"))
        remembered = settings.get(LAST_TAB)
        self.tabs.setCurrentIndex(remembered if isinstance(remembered, int)
                                  and 0 <= remembered < self.tabs.count() else 0)
        self.tabs.currentChanged.connect(lambda index: settings.put(LAST_TAB, index))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tabs)
