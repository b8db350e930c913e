"""Long work off the GUI thread: one small helper with a progress dialog.

The work function gets no widgets and opens its own database session; its result (plain values)
comes back to the GUI thread through a signal. Tests swap in `run_now` so work runs at once."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

Work = Callable[[], Any]
Done = Callable[[Any], None]
Failed = Callable[[BaseException], None]


class _Signals(QObject):
    finished = Signal(object)
    failed = Signal(object)


class _Job(QRunnable):
    def __init__(self, work: Work, signals: _Signals) -> None:
        super().__init__()
        self.work = work
        self.signals = signals

    def run(self) -> None:
        try:
            result = self.work()
        except BaseException as exc:  # noqa: BLE001  (handed to the GUI thread to show)
            self.signals.failed.emit(exc)
        else:
            self.signals.finished.emit(result)


_running: list[tuple[_Signals, QProgressDialog]] = []


def run_in_background(parent: QWidget, label: str, work: Work, done: Done,
                      failed: Failed, *, busy_dialog: bool = True) -> None:
    """Run `work` in the thread pool behind a busy dialog (none when the caller shows its own
    progress); call `done` or `failed` after."""
    dialog: QProgressDialog | None = None
    if busy_dialog:
        dialog = QProgressDialog(label, "", 0, 0, parent)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setCancelButton(None)  # an export cannot stop halfway; it is short anyway
        dialog.setMinimumDuration(300)
    signals = _Signals()
    entry = (signals, dialog)
    _running.append(entry)

    def finish(callback: Callable[[Any], None], value: Any) -> None:
        if dialog is not None:
            dialog.close()
        _running.remove(entry)
        callback(value)

    signals.finished.connect(lambda result: finish(done, result))
    signals.failed.connect(lambda error: finish(failed, error))
    QThreadPool.globalInstance().start(_Job(work, signals))


def run_now(_parent: QWidget, _label: str, work: Work, done: Done, failed: Failed, *,
            busy_dialog: bool = True) -> None:
    """The same contract, at once, on the calling thread (tests)."""
    try:
        result = work()
    except BaseException as exc:  # noqa: BLE001
        failed(exc)
    else:
        done(result)


runner: list[Callable[..., None]] = [run_in_background]


def run_task(parent: QWidget, label: str, work: Work, done: Done, failed: Failed, *,
             busy_dialog: bool = True) -> None:
    runner[0](parent, label, work, done, failed, busy_dialog=busy_dialog)


def wait_for_all(milliseconds: int = 30_000) -> bool:
    """On close: let running work end before the database goes away."""
    return QThreadPool.globalInstance().waitForDone(milliseconds)
