"""The log file in the user's data folder and the traceback of an unexpected error."""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterator
from logging.handlers import RotatingFileHandler
from pathlib import Path

import pytest

from db.logs import HANDLER_NAME, log_path, log_unexpected, setup_logging


def ours() -> list[RotatingFileHandler]:
    return [h for h in logging.getLogger().handlers
            if isinstance(h, RotatingFileHandler) and h.get_name() == HANDLER_NAME]


@pytest.fixture(autouse=True)
def clean_logging(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Each test starts without our handler and leaves none behind (nor a changed root level)."""
    monkeypatch.setenv("QADAM_DATA_DIR", str(tmp_path / "data"))
    root = logging.getLogger()
    level = root.level
    yield
    for handler in ours():
        root.removeHandler(handler)
        handler.close()
    root.setLevel(level)
    logging.captureWarnings(False)


def test_logs_setup_writes_utf8_lines_with_time_level_and_logger(tmp_path: Path) -> None:
    path = setup_logging(tmp_path / "logs")
    assert path == tmp_path / "logs" / "qadam.log"
    logging.getLogger("qadam.test").info("Сохранено событие: Әлия, Қазақстан")
    logging.getLogger("qadam.test").debug("not at INFO level")
    for handler in ours():
        handler.flush()
    text = path.read_text(encoding="utf-8")
    line = text.splitlines()[0]
    assert line.endswith("INFO qadam.test: Сохранено событие: Әлия, Қазақстан")
    assert line[:4].isdigit() and line[4] == "-"  # starts with the date and time
    assert "not at INFO level" not in text


def test_logs_setup_is_idempotent_and_can_move(tmp_path: Path) -> None:
    first = setup_logging(tmp_path / "a")
    assert setup_logging(tmp_path / "a") == first
    assert len(ours()) == 1
    second = setup_logging(tmp_path / "b")
    assert len(ours()) == 1 and log_path() == second
    logging.getLogger("qadam.test").warning("moved")
    ours()[0].flush()
    assert "moved" in second.read_text(encoding="utf-8")
    assert not first.exists() or "moved" not in first.read_text(encoding="utf-8")


def test_logs_rotate_at_one_megabyte_keeping_five(tmp_path: Path) -> None:
    setup_logging(tmp_path)
    handler = ours()[0]
    assert (handler.maxBytes, handler.backupCount) == (1_000_000, 5)
    assert handler.encoding == "utf-8"
    message = "x" * 10_000
    for _ in range(700):  # 7 MB: more than six files' worth
        logging.getLogger("qadam.test").info(message)
    handler.flush()
    files = sorted(path.name for path in tmp_path.iterdir())
    assert files == ["qadam.log", *(f"qadam.log.{n}" for n in range(1, 6))]
    assert all(path.stat().st_size <= 1_000_000 + 20_000 for path in tmp_path.iterdir())


def test_logs_default_folder_is_in_the_data_folder(tmp_path: Path) -> None:
    assert log_path() == tmp_path / "data" / "logs" / "qadam.log"
    assert setup_logging() == tmp_path / "data" / "logs" / "qadam.log"


def test_logs_unexpected_error_is_written_with_its_traceback(tmp_path: Path) -> None:
    try:
        {}["missing key"]
    except KeyError:
        path = log_unexpected(*sys.exc_info())
    assert path == tmp_path / "data" / "logs" / "qadam.log"  # set up on first need
    text = path.read_text(encoding="utf-8")
    assert "ERROR qadam.unexpected: Unexpected error" in text
    assert "Traceback (most recent call last)" in text
    assert "KeyError: 'missing key'" in text
    assert "test_logs.py" in text


def test_logs_unexpected_error_never_raises(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                            ) -> None:
    blocked = tmp_path / "file-not-folder"
    blocked.write_text("", encoding="utf-8")
    monkeypatch.setenv("QADAM_DATA_DIR", str(blocked))  # its logs/ folder cannot be created
    error = ValueError("boom")
    path = log_unexpected(ValueError, error, None)
    assert path.name == "qadam.log"
