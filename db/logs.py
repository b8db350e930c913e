"""The program's log: a rotating file in the user's data folder, and a place for tracebacks
of unexpected errors (the window's sys.excepthook shows the user where it is)."""

from __future__ import annotations

import logging
import os
import platform
from logging.handlers import RotatingFileHandler
from pathlib import Path
from types import TracebackType

from db.paths import user_data_dir

LOG_NAME = "qadam.log"
MAX_BYTES = 1_000_000
BACKUP_COUNT = 5
FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
HANDLER_NAME = "qadam-file"  # found again by name, so a second setup adds no second handler

log = logging.getLogger(__name__)


def default_log_folder() -> Path:
    return user_data_dir() / "logs"


def _installed() -> RotatingFileHandler | None:
    for handler in logging.getLogger().handlers:
        if isinstance(handler, RotatingFileHandler) and handler.get_name() == HANDLER_NAME:
            return handler
    return None


def setup_logging(folder: Path | None = None) -> Path:
    """Log INFO and above to `folder/qadam.log` (default: the data folder's logs/), 1 MB a file,
    5 old files kept. Calling it again changes nothing, or moves the log to a new folder."""
    folder = Path(folder) if folder is not None else default_log_folder()
    path = folder / LOG_NAME
    root = logging.getLogger()
    current = _installed()
    if current is not None:
        if current.baseFilename == os.path.abspath(path):
            return path
        root.removeHandler(current)
        current.close()
    folder.mkdir(parents=True, exist_ok=True)
    handler = RotatingFileHandler(path, maxBytes=MAX_BYTES, backupCount=BACKUP_COUNT,
                                  encoding="utf-8", delay=True)
    handler.set_name(HANDLER_NAME)
    handler.setLevel(logging.INFO)
    handler.setFormatter(logging.Formatter(FORMAT))
    root.addHandler(handler)
    if root.level > logging.INFO:  # the default WARNING would drop our INFO lines
        root.setLevel(logging.INFO)
    logging.captureWarnings(True)  # library warnings end up in the file, not a lost console
    return path


def log_path() -> Path:
    """The current log file (where setup_logging writes, or would write by default)."""
    current = _installed()
    if current is not None:
        return Path(current.baseFilename)
    return default_log_folder() / LOG_NAME


def _version() -> str:
    try:
        from importlib.metadata import version

        return version("qadam")
    except Exception:  # a frozen build has no package metadata
        return "?"


def log_unexpected(exc_type: type[BaseException], exc: BaseException,
                   tb: TracebackType | None) -> Path:
    """Write an unexpected exception's traceback at ERROR level and return the log's path.

    Never raises: it runs inside sys.excepthook, where a second error would hide the first."""
    try:
        if _installed() is None:
            setup_logging()
    except OSError:
        pass  # no log folder: logging falls back to stderr below
    try:
        logging.getLogger("qadam.unexpected").error(
            "Unexpected error (Qadam %s, Python %s, %s)", _version(), platform.python_version(),
            platform.platform(), exc_info=(exc_type, exc, tb))
        handler = _installed()
        if handler is not None:
            handler.flush()
        return log_path()
    except Exception:
        return _planned_path()


def _planned_path() -> Path:
    """Where the log would be, without creating any folder (that may be what failed)."""
    import platformdirs

    from db.paths import APP_NAME

    override = os.environ.get("QADAM_DATA_DIR")
    base = Path(override) if override else Path(platformdirs.user_data_dir(APP_NAME,
                                                                           appauthor=False))
    return base / "logs" / LOG_NAME
