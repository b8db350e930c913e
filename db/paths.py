"""Where Qadam finds its resources and keeps user data, from source and from a frozen build."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import platformdirs

APP_NAME = "Qadam"


def resources_dir() -> Path:
    """`resources/`: beside the packages in the source tree, under _MEIPASS when frozen."""
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root:
        return Path(frozen_root) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"


def resource(*parts: str) -> Path:
    return resources_dir().joinpath(*parts)


def migrations_dir() -> Path:
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root:
        return Path(frozen_root) / "db" / "migrations"
    return Path(__file__).resolve().parent / "migrations"


def user_data_dir() -> Path:
    """The user's data folder (database, settings, backups, logs); QADAM_DATA_DIR overrides it
    for tests and portable use."""
    override = os.environ.get("QADAM_DATA_DIR")
    path = Path(override) if override else Path(platformdirs.user_data_dir(APP_NAME,
                                                                           appauthor=False))
    path.mkdir(parents=True, exist_ok=True)
    return path


def default_database_path() -> Path:
    return user_data_dir() / "qadam.db"
