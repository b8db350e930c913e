from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QComboBox


def fill_combo(combo: QComboBox, items: list[tuple[Any, str]], current: Any = None) -> None:
    """Replace the choices (value, text) and select `current` when it is among them."""
    combo.blockSignals(True)
    combo.clear()
    for value, text in items:
        combo.addItem(text, value)
    combo.blockSignals(False)
    set_combo_value(combo, current)


def combo_value(combo: QComboBox) -> Any:
    return combo.currentData()


def set_combo_value(combo: QComboBox, value: Any) -> None:
    for index in range(combo.count()):
        if combo.itemData(index) == value:
            combo.setCurrentIndex(index)
            return
    if combo.count():
        combo.setCurrentIndex(0)
