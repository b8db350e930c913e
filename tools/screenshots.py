"""Screenshots of every page and form on a demo database, in Russian and Kazakh.

    QT_QPA_PLATFORM=offscreen python tools/screenshots.py OUT_DIR [--db demo.db] [--scale 1.5]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("out", type=Path)
    parser.add_argument("--db", type=Path)
    parser.add_argument("--scale", default="1")
    parser.add_argument("--lang", default="ru,kk")
    args = parser.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ["QT_SCALE_FACTOR"] = args.scale
    os.environ.setdefault("QADAM_DATA_DIR", tempfile.mkdtemp(prefix="qadam-shots-"))
    args.out.mkdir(parents=True, exist_ok=True)

    from PySide6.QtWidgets import QApplication

    from db.database import open_database
    from db.demo import create_demo_database
    from db.ops.users import user_by_login
    from desktop.app import make_application
    from desktop.context import AppContext
    from desktop.main_window import MainWindow, pages_for
    from desktop.qt_i18n import apply_language

    path = args.db or Path(os.environ["QADAM_DATA_DIR"]) / "shots.db"
    if not path.exists():
        create_demo_database(path)
    database = open_database(path)
    app = make_application([])
    for language in args.lang.split(","):
        apply_language(app, language)
        with database.session() as session:
            user = user_by_login(session, "admin")
        window = MainWindow(AppContext(database=database, user=user))
        window.resize(1280, 800)
        window.show()
        for key, _icon, _title in pages_for(user):
            window.show_page(key)
            app.processEvents()
            window.grab().save(str(args.out / f"{language}-page-{key}.png"))
        forms = []
        from desktop.forms.event_form import EventForm
        from desktop.forms.person_form import PersonForm
        from desktop.forms.volunteer_form import VolunteerForm

        events_page = window.pages["events"]
        persons_page = window.pages["persons"]
        volunteers_page = window.pages["volunteers"]
        forms.append(("event-new", EventForm(window.context, None, window)))
        forms.append(("event", EventForm(window.context, events_page.model.row_at(0).id,
                                         window)))
        forms.append(("person-new", PersonForm(window.context, None, window)))
        forms.append(("person", PersonForm(window.context, persons_page.model.row_at(0).id,
                                           window)))
        forms.append(("volunteer-new", VolunteerForm(window.context, None, window)))
        forms.append(("volunteer", VolunteerForm(window.context,
                                                 volunteers_page.model.row_at(0).id, window)))
        for name, form in forms:
            form.show()
            app.processEvents()
            form.grab().save(str(args.out / f"{language}-form-{name}.png"))
            form._dirty = False
            form.close()
        from desktop.first_start import FirstStartWizard
        from desktop.login import LoginDialog

        for name, dialog in (("login", LoginDialog(database, "Учреждение №69")),
                             ("first-start", FirstStartWizard(database))):
            dialog.show()
            app.processEvents()
            dialog.grab().save(str(args.out / f"{language}-dialog-{name}.png"))
            dialog.close()
        shoot_accounts(app, window, args.out, language)
        window.close()
    database.dispose()
    QApplication.processEvents()
    return 0


def shoot_accounts(app, window, out: Path, language: str) -> None:  # noqa: ANN001
    """The dialogs of accounts and locks: password change (own and forced), a new account, a
    reset, a form of a submitted month, and the locked window."""
    import datetime as dt

    from PySide6.QtWidgets import QLineEdit

    from db.models import MonthLock
    from db.ops.month_locks import lock_sentence
    from desktop.forms.event_form import EventForm
    from desktop.idle_lock import install_idle_lock
    from desktop.pages.users_page import AccountDialog, ResetPasswordDialog
    from desktop.password_dialog import ChangePasswordDialog

    context = window.context
    users_page = window.pages["users"]
    users_page.reload()
    other = next(u for u in users_page.users if u.login != context.user.login)
    dialogs = [
        ("password", ChangePasswordDialog(context.database, context.user, window)),
        ("password-forced", ChangePasswordDialog(context.database, other, window,
                                                 forced=True)),
        ("account-new", AccountDialog(context, None, window)),
        ("account", AccountDialog(context, other, window)),
        ("password-reset", ResetPasswordDialog(context, other, window)),
    ]
    for name, dialog in dialogs:
        dialog.show()
        app.processEvents()
        dialog.grab().save(str(out / f"{language}-dialog-{name}.png"))
        if name in ("password", "account-new"):  # and with messages beside the fields
            for edit in dialog.findChildren(QLineEdit):
                edit.setText("x" if edit.echoMode() == QLineEdit.EchoMode.Password else "")
            dialog.save()
            app.processEvents()
            dialog.grab().save(str(out / f"{language}-dialog-{name}-errors.png"))
        dialog.close()
    # a form of a submitted month, without locking the database the shots are taken from
    form = EventForm(context, window.pages["events"].model.row_at(0).id, window)
    form.set_read_only(lock_sentence(MonthLock(
        facility_id=0, month="2026-10", locked_by="head", revision=1,
        locked_at=dt.datetime(2026, 11, 3, 9, 30, tzinfo=dt.UTC))))
    form.show()
    app.processEvents()
    form.grab().save(str(out / f"{language}-form-event-locked.png"))
    form._dirty = False
    form.close()
    window.show_page("reports")
    lock = install_idle_lock(window, context)
    lock.lock()
    app.processEvents()
    window.grab().save(str(out / f"{language}-window-locked.png"))
    assert lock.dialog is not None
    lock.dialog.grab().save(str(out / f"{language}-dialog-lock.png"))
    lock.dialog.password.setText("wrong")
    lock.dialog.try_unlock()
    app.processEvents()
    lock.dialog.grab().save(str(out / f"{language}-dialog-lock-wrong.png"))
    lock.uninstall()


if __name__ == "__main__":
    sys.exit(main())
