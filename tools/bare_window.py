"""A bare PySide6 window: the yardstick tools/build_bundle.py measures Qadam's bundle against.

It builds this with the same excludes and pruning as installer.spec; the ratio of the two folder
sizes says what Qadam adds on top of Qt and Python. Quits by itself after a moment, so the
built program can also be run offscreen as a smoke test.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow


def main() -> int:
    app = QApplication(sys.argv)
    window = QMainWindow()
    window.setCentralWidget(QLabel("Hello"))
    window.show()
    QTimer.singleShot(200, app.quit)
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
