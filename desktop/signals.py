"""One application-wide signal: "this kind of record changed"; open lists reload on it."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

PERSONS = "persons"
EVENTS = "events"
VOLUNTEERS = "volunteers"
REFERENCES = "references"
FACILITIES = "facilities"
IMPORTS = "imports"  # packages imported into a regional database
# What the region's completeness and consolidated report are made of.
REGION_KINDS = frozenset({IMPORTS, FACILITIES})


class DataEvents(QObject):
    changed = Signal(str)


_instance: list[DataEvents] = []


def data_events() -> DataEvents:
    if not _instance:
        _instance.append(DataEvents())
    return _instance[0]


def notify(kind: str) -> None:
    data_events().changed.emit(kind)
