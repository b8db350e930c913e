"""Drafts: the values of a form being filled in, kept on disk so a crash or a power cut does not
lose them, and offered back when the same user opens the same database again.

A draft is one JSON file in the user's data folder (`drafts/`, beside the database's default
place, the backups and the logs: the same protection), written 2 s after the last change of a
form with unsaved changes, through a temporary file and an atomic rename. It names the
database (its absolute path), the user (login and UUID), the kind of form, the record (id and
UUID; none for a new one), a digest of the record's values when the form opened (to tell
whether somebody changed it since) and the time. It holds personal data, so it is deleted as
soon as the form is saved or closed with "Discard", and it is never offered to another user or
for another database: those drafts are not even read past their tags.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import logging
import os
import re
import tempfile
import uuid
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QMessageBox, QWidget

from db.errors import QadamError
from db.i18n import _
from db.models import Event, Outcome, Person, User, Volunteer
from db.paths import user_data_dir

if TYPE_CHECKING:
    from desktop.context import AppContext
    from desktop.forms.base import RecordForm

log = logging.getLogger(__name__)

FORMAT = 1
DRAFT_DELAY_MS = 2000  # after the last change: typing is not slowed by writes
FOLDER = "drafts"
_ID = re.compile(r"^[0-9a-f]{32}$")
RECORD_MODELS: dict[str, type] = {"event": Event, "person": Person, "volunteer": Volunteer,
                                  "outcome": Outcome}
RESTORE, DISCARD, LATER = "restore", "discard", "later"


@dataclass
class Draft:
    kind: str  # the form's form_key: event, person, volunteer, outcome
    database: str  # database_key() of the database the form belongs to
    user_login: str
    user_uuid: str
    values: dict[str, Any]  # the form's draft_values(): plain JSON
    record_id: int | None = None  # None: a new record
    record_uuid: str | None = None
    base: str | None = None  # values_digest() of the record as the form loaded it
    context: dict[str, Any] = field(default_factory=dict)  # e.g. the person of an outcome
    caption: str = ""  # a few words to recognise the form by ("Лекция, 10.11.2026")
    saved_at: str = ""  # ISO 8601, local time with its offset
    id: str = field(default_factory=lambda: uuid.uuid4().hex)
    format: int = FORMAT

    @property
    def saved(self) -> dt.datetime | None:
        try:
            return dt.datetime.fromisoformat(self.saved_at)
        except ValueError:
            return None


# --- the files (no Qt) -------------------------------------------------------------------------

def drafts_folder() -> Path:
    folder = user_data_dir() / FOLDER
    folder.mkdir(mode=0o700, exist_ok=True)
    return folder


def database_key(path: Path | str) -> str:
    """One spelling of a database's path, whatever way it was given."""
    return os.path.normcase(str(Path(path).resolve()))


def values_digest(values: dict[str, Any]) -> str:
    text = json.dumps(values, ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def now_text() -> str:
    return dt.datetime.now().astimezone().replace(microsecond=0).isoformat()


def save_draft(draft: Draft) -> Path:
    """Write the draft whole or not at all: a temporary file beside it, flushed, renamed over
    the previous version. Raises OSError (a full disk): the caller decides what that means."""
    if not _ID.match(draft.id):
        raise ValueError(f"not a draft id: {draft.id!r}")
    folder = drafts_folder()
    target = folder / f"{draft.id}.json"
    data = json.dumps(asdict(draft), ensure_ascii=False, indent=1, default=str).encode("utf-8")
    handle, name = tempfile.mkstemp(prefix=f".{draft.id}-", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        with contextlib.suppress(OSError):
            os.chmod(name, 0o600)  # personal data: for the user only (where the OS allows)
        os.replace(name, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(name)
        raise
    return target


def delete_draft(draft_id: str | None) -> None:
    if not draft_id or not _ID.match(draft_id):
        return
    try:
        (drafts_folder() / f"{draft_id}.json").unlink(missing_ok=True)
    except OSError as exc:  # an antivirus holds it: it is offered again, harmless
        log.warning("draft %s could not be deleted: %s", draft_id, exc)


def _read(path: Path) -> Draft | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            return None
        draft = Draft(**data)
    except (OSError, ValueError, TypeError) as exc:
        log.warning("draft %s cannot be read: %s", path.name, exc)
        return None
    if draft.id != path.stem or not isinstance(draft.values, dict):
        return None
    return draft


def load_drafts(database: Path | str, user: User) -> list[Draft]:
    """The drafts of this database and this user, oldest first. Drafts of other users or
    other databases are left alone: never offered, never deleted here."""
    key = database_key(database)
    found = []
    for path in drafts_folder().glob("*.json"):
        draft = _read(path)
        if draft is None or draft.database != key:
            continue
        if draft.user_login != user.login or draft.user_uuid != user.uuid:
            continue
        found.append(draft)
    return sorted(found, key=lambda d: d.saved_at)


# --- offering them back ----------------------------------------------------------------------

@dataclass
class Offer:
    draft: Draft
    form: RecordForm | None  # built and filled, not shown; None when it cannot be restored
    note: str = ""

    @property
    def restorable(self) -> bool:
        return self.form is not None


def kind_title(kind: str) -> str:
    return {"event": _("Event"), "person": _("Person"), "volunteer": _("Volunteer"),
            "outcome": _("Repeat offence or violation")}.get(kind, kind)


def when_text(draft: Draft) -> str:
    saved = draft.saved
    return saved.astimezone().strftime("%d.%m.%Y %H:%M") if saved is not None else "?"


def question_text(offer: Offer) -> str:
    draft = offer.draft
    what = kind_title(draft.kind)
    if draft.caption:
        what = f"{what} «{draft.caption}»"
    text = _("A form you were filling in on {when} was not saved: {what}.").format(
        when=when_text(draft), what=what)
    if offer.note:
        text += "\n\n" + offer.note
    if offer.restorable:
        text += "\n\n" + _("Restore it?")
    return text


def _exists(context: AppContext, kind: str, record_id: object, record_uuid: object) -> bool:
    """The record is still there: the same id and the same UUID (an id may be used again)."""
    model = RECORD_MODELS.get(kind)
    if model is None or not isinstance(record_id, int) or isinstance(record_id, bool):
        return False
    with context.database.session() as session:
        record = session.get(model, record_id)
        return record is not None and getattr(record, "uuid", None) == record_uuid


def build_form(context: AppContext, draft: Draft, parent: QWidget | None) -> RecordForm:
    """The form of the draft's kind, for its record (loaded from the database) or a new one."""
    if draft.kind == "event":
        from desktop.forms.event_form import EventForm

        return EventForm(context, draft.record_id, parent)
    if draft.kind == "person":
        from desktop.forms.person_form import PersonForm

        return PersonForm(context, draft.record_id, parent)
    if draft.kind == "volunteer":
        from desktop.forms.volunteer_form import VolunteerForm

        return VolunteerForm(context, draft.record_id, parent)
    if draft.kind == "outcome":
        from desktop.forms.outcome_form import OutcomeForm

        return OutcomeForm(context, int(draft.context["person_id"]), draft.record_id, parent)
    raise ValueError(f"unknown form kind {draft.kind!r}")


def prepare(context: AppContext, draft: Draft, parent: QWidget | None = None) -> Offer:
    """Check the draft against the database as it is now, and build its form, filled."""
    if draft.kind not in RECORD_MODELS:
        return Offer(draft, None, _("This draft was written by another version of Qadam and "
                                    "cannot be restored."))
    if draft.record_id is not None and not _exists(context, draft.kind, draft.record_id,
                                                   draft.record_uuid):
        return Offer(draft, None, _("The record has been deleted since: the draft can only be "
                                    "discarded."))
    if draft.kind == "outcome" and not _exists(context, "person", draft.context.get(
            "person_id"), draft.context.get("person_uuid")):
        return Offer(draft, None, _("The person of this record has been deleted since: the "
                                    "draft can only be discarded."))
    form: RecordForm | None = None
    try:
        form = build_form(context, draft, parent)
        if form.read_only_reason:  # its month was submitted after the draft was written
            note = _("The record can no longer be changed: {reason}").format(
                reason=form.read_only_reason)
            form.deleteLater()
            return Offer(draft, None, note)
        notes = []
        if draft.base is not None and form.draft_base != draft.base:
            notes.append(_("The record has been changed since the draft was written: "
                           "restoring puts your values over those changes."))
        form.restore_draft(draft)
        lock = form.month_lock()
        if lock:
            notes.append(lock)
    except (QadamError, KeyError, TypeError, ValueError) as exc:
        log.warning("draft %s cannot be restored: %r", draft.id, exc)
        if form is not None:
            form.deleteLater()
        return Offer(draft, None, _("The draft cannot be read back into the form: it can only "
                                    "be discarded."))
    return Offer(draft, form, "\n".join(notes))


def ask(parent: QWidget | None, text: str, restorable: bool) -> str:
    """Restore, Discard or Later (tests replace this function)."""
    box = QMessageBox(QMessageBox.Icon.Question, _("Unsaved form"), text,
                      QMessageBox.StandardButton.NoButton, parent)
    restore = box.addButton(_("Restore the form"), QMessageBox.ButtonRole.AcceptRole) \
        if restorable else None
    discard = box.addButton(_("Delete the draft"), QMessageBox.ButtonRole.DestructiveRole)
    later = box.addButton(_("Ask me later"), QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(restore or later)
    box.setEscapeButton(later)
    box.exec()
    clicked = box.clickedButton()
    if restore is not None and clicked is restore:
        return RESTORE
    return DISCARD if clicked is discard else LATER


def run_form(form: RecordForm) -> None:
    """Show a restored form as the registers show theirs (tests replace this function)."""
    form.exec()


def offer_drafts(window: QWidget, context: AppContext) -> int:
    """Offer each draft of this database and user, one after the other; returns how many were
    offered. Restore opens the form filled in (still unsaved), Discard deletes the draft, Later
    keeps it for the next start."""
    if context.database.path is None:
        return 0
    try:
        found = load_drafts(context.database.path, context.user)
    except OSError as exc:
        log.warning("drafts cannot be listed: %s", exc)
        return 0
    for draft in found:
        offer = prepare(context, draft, window)
        answer = ask(window, question_text(offer), offer.restorable)
        if answer == RESTORE and offer.form is not None:
            run_form(offer.form)
            continue
        if offer.form is not None:
            offer.form.deleteLater()
        if answer == DISCARD:
            delete_draft(draft.id)
    return len(found)


def offer_drafts_soon(window: QWidget) -> None:
    """After the window is shown and the event loop runs: offer the drafts left by a crash."""
    QTimer.singleShot(0, window, lambda: offer_drafts(window, window.context))  # type: ignore[attr-defined]


def write_pending_drafts() -> int:
    """Write now the drafts of open forms still within their debounce (before a quit that
    does not close the forms, e.g. from the lock screen); returns how many were written."""
    from PySide6.QtWidgets import QApplication

    from desktop.forms.base import RecordForm

    written = 0
    for widget in QApplication.allWidgets():
        if isinstance(widget, RecordForm) and widget.draft_pending():
            widget.write_draft()
            written += 1
    return written
