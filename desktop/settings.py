"""Every window setting, declared once with its type and default (as Picard does), over QSettings.

The file lives in the user's data folder, so tests (QADAM_DATA_DIR) never touch the real one."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, TypeVar

from PySide6.QtCore import QByteArray, QSettings

from db.paths import user_data_dir

T = TypeVar("T")


@dataclass(frozen=True)
class Setting(Generic[T]):
    key: str
    default: T


LANGUAGE = Setting("ui/language", "ru")
WINDOW_GEOMETRY = Setting("window/geometry", QByteArray())
WINDOW_STATE = Setting("window/state", QByteArray())
LAST_PAGE = Setting("window/last_page", "events")
LAST_DATABASE = Setting("database/last_path", "")
# Minutes without mouse or keyboard input before the window hides behind the password prompt:
# the registry holds convicts' personal data on PCs that staff share and walk away from.
IDLE_MINUTES = Setting("security/idle_minutes", 10)
IDLE_MINUTES_RANGE = (1, 240)


def column_widths(page: str) -> Setting[QByteArray]:
    return Setting(f"columns/{page}", QByteArray())


def form_geometry(form: str) -> Setting[QByteArray]:
    return Setting(f"forms/{form}", QByteArray())


def _store() -> QSettings:
    return QSettings(str(user_data_dir() / "qadam.ini"), QSettings.Format.IniFormat)


def get(setting: Setting[T]) -> T:
    value = _store().value(setting.key, setting.default)
    if value is None:
        return setting.default
    if isinstance(setting.default, str):
        return str(value)  # type: ignore[return-value]
    if isinstance(setting.default, int) and not isinstance(setting.default, bool):
        try:  # an .ini file gives numbers back as text
            return int(value)  # type: ignore[return-value]
        except (TypeError, ValueError):
            return setting.default
    if isinstance(setting.default, QByteArray) and not isinstance(value, QByteArray):
        return setting.default
    return value  # type: ignore[return-value]


def put(setting: Setting[T], value: T) -> None:
    store = _store()
    store.setValue(setting.key, value)
    store.sync()
