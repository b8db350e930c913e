"""Accounts: one's own password, an administrator's reset and changes, the last administrator,
and the lockout after five wrong passwords (with an injected clock)."""

from __future__ import annotations

import datetime as dt

import pytest
from ops_support import audit_count, changes, new_audit, new_user
from sqlmodel import Session

from db.errors import PermissionDenied, ValidationError
from db.models import User, UserUpdate
from db.ops.accounts import change_password, password_is_temporary, reset_password, update_user
from db.ops.auth import LOCKOUT, MAX_FAILURES, LoginFailed, authenticate
from db.passwords import verify_password

pytestmark = pytest.mark.usefixtures("fast_hashing")

PASSWORD = "long enough password"  # what ops_support.new_user gives every account
START = dt.datetime(2026, 11, 15, 9, 0, tzinfo=dt.UTC)


class Clock:
    """db.clock.now, moved by hand."""

    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += dt.timedelta(**delta)


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    fake = Clock()
    monkeypatch.setattr("db.clock.now", fake)
    return fake


@pytest.fixture
def operator(session: Session, admin: User) -> User:
    return new_user(session, admin, "operator")


def fail_logins(session: Session, login: str, times: int) -> None:
    for _ in range(times):
        with pytest.raises(LoginFailed):
            authenticate(session, login, "wrong password")


# --- lockout -----------------------------------------------------------------------------------

def test_ops_accounts_lockout_after_five_failures_and_release(session: Session,
                                                              operator: User,
                                                              clock: Clock) -> None:
    fail_logins(session, "operator", MAX_FAILURES - 1)
    assert authenticate(session, "operator", PASSWORD) == operator  # a success resets the count
    fail_logins(session, "operator", MAX_FAILURES)
    assert operator.locked_until == START + LOCKOUT
    before = audit_count(session)
    with pytest.raises(LoginFailed, match="5"):  # locked for 5 more minutes
        authenticate(session, "operator", PASSWORD)  # even the right password
    clock.advance(minutes=4, seconds=59)
    with pytest.raises(LoginFailed, match="1"):
        authenticate(session, "operator", PASSWORD)
    refused = new_audit(session, before)
    assert [(e.action, e.details) for e in refused] == [("login_failed", "locked")] * 2
    clock.advance(seconds=2)
    assert authenticate(session, "operator", PASSWORD) == operator
    assert (operator.failed_logins, operator.locked_until) == (0, None)


def test_ops_accounts_lockout_counts_again_from_zero(session: Session, operator: User,
                                                     clock: Clock) -> None:
    fail_logins(session, "operator", MAX_FAILURES)
    clock.advance(minutes=6)
    fail_logins(session, "operator", MAX_FAILURES - 1)  # not locked yet
    assert authenticate(session, "operator", PASSWORD) == operator


def test_ops_accounts_lockout_of_one_account_only(session: Session, admin: User,
                                                  operator: User, clock: Clock) -> None:
    fail_logins(session, "operator", MAX_FAILURES)
    assert authenticate(session, "admin", "correct horse") == admin


def test_ops_accounts_inactive_account_cannot_log_in(session: Session, admin: User,
                                                     operator: User) -> None:
    update_user(session=session, actor=admin, user_id=operator.id,
                data=UserUpdate(active=False))
    with pytest.raises(LoginFailed):
        authenticate(session, "operator", PASSWORD)


# --- changing one's own password -------------------------------------------------------------

def test_ops_accounts_change_password(session: Session, operator: User, clock: Clock) -> None:
    before = audit_count(session)
    change_password(session=session, actor=operator, old_password=PASSWORD,
                    new_password="a brand new secret")
    assert verify_password(operator.password_hash, "a brand new secret")
    [entry] = new_audit(session, before)
    assert (entry.action, entry.user_login, entry.record_uuid) == (
        "password_change", "operator", operator.uuid)
    assert "secret" not in entry.changes and "argon2" not in entry.changes
    with pytest.raises(LoginFailed):
        authenticate(session, "operator", PASSWORD)
    assert authenticate(session, "operator", "a brand new secret") == operator


@pytest.mark.parametrize(("old", "new", "field"), [
    ("wrong password", "a brand new secret", "old_password"),
    (PASSWORD, "short", "password"),
    (PASSWORD, "Operator", "password"),  # the login, whatever the case
    (PASSWORD, PASSWORD, "password"),  # must differ from the old one
])
def test_ops_accounts_change_password_refused(session: Session, operator: User, clock: Clock,
                                              old: str, new: str, field: str) -> None:
    with pytest.raises(ValidationError) as error:
        change_password(session=session, actor=operator, old_password=old, new_password=new)
    assert set(error.value.errors) == {field}
    assert verify_password(operator.password_hash, PASSWORD)


def test_ops_accounts_wrong_current_password_counts_towards_lockout(
        session: Session, operator: User, clock: Clock) -> None:
    for _ in range(MAX_FAILURES):
        with pytest.raises(ValidationError):
            change_password(session=session, actor=operator, old_password="guess",
                            new_password="a brand new secret")
    assert operator.locked_until == START + LOCKOUT
    with pytest.raises(ValidationError) as error:  # the right one is refused now
        change_password(session=session, actor=operator, old_password=PASSWORD,
                        new_password="a brand new secret")
    assert "5" in error.value.errors["old_password"]
    with pytest.raises(LoginFailed):
        authenticate(session, "operator", PASSWORD)


def test_ops_accounts_change_password_works_on_a_detached_copy(
        session: Session, database, operator: User, clock: Clock) -> None:
    """The window keeps its own copy of the logged-in account (another session)."""
    with database.session() as other:
        copy = other.get(User, operator.id)
    change_password(session=session, actor=copy, old_password=PASSWORD,
                    new_password="a brand new secret")
    session.refresh(operator)
    assert verify_password(operator.password_hash, "a brand new secret")


def test_ops_accounts_inactive_account_changes_no_password(session: Session, admin: User,
                                                           operator: User) -> None:
    update_user(session=session, actor=admin, user_id=operator.id,
                data=UserUpdate(active=False))
    with pytest.raises(PermissionDenied):
        change_password(session=session, actor=operator, old_password=PASSWORD,
                        new_password="a brand new secret")


# --- reset by an administrator ---------------------------------------------------------------

def test_ops_accounts_reset_makes_a_temporary_password_and_lifts_lockout(
        session: Session, admin: User, operator: User, clock: Clock) -> None:
    fail_logins(session, "operator", MAX_FAILURES)
    before = audit_count(session)
    reset_password(session=session, actor=admin, user_id=operator.id,
                   new_password="temporary secret")
    [entry] = new_audit(session, before)
    assert (entry.action, entry.user_login, entry.record_uuid) == (
        "password_reset", "admin", operator.uuid)
    assert changes(entry)["must_change_password"] == [False, True]
    assert "temporary" not in entry.changes and "argon2" not in entry.changes
    user = authenticate(session, "operator", "temporary secret")  # no longer locked
    assert password_is_temporary(user)
    change_password(session=session, actor=user, old_password="temporary secret",
                    new_password="my own secret")
    assert not password_is_temporary(user)
    assert changes(new_audit(session, before)[-1]) == {"must_change_password": [True, False]}


@pytest.mark.parametrize("password", ["short", "operator"])
def test_ops_accounts_reset_follows_password_rules(session: Session, admin: User,
                                                   operator: User, password: str) -> None:
    with pytest.raises(ValidationError) as error:
        reset_password(session=session, actor=admin, user_id=operator.id,
                       new_password=password)
    assert set(error.value.errors) == {"password"}
    assert not operator.must_change_password


# --- changes of accounts ---------------------------------------------------------------------

def test_ops_accounts_update_user_audits_old_and_new(session: Session, admin: User,
                                                     operator: User) -> None:
    before = audit_count(session)
    user = update_user(session=session, actor=admin, user_id=operator.id, data=UserUpdate(
        full_name=" Сейткали Айгүл ", role="head", position="психолог"))
    assert (user.full_name, user.role, user.position) == ("Сейткали Айгүл", "head", "психолог")
    [entry] = new_audit(session, before)
    assert (entry.action, entry.table_name) == ("update", "app_user")
    assert changes(entry) == {"full_name": ["Operator Тестов", "Сейткали Айгүл"],
                              "role": ["operator", "head"], "position": ["", "психолог"]}
    update_user(session=session, actor=admin, user_id=operator.id,
                data=UserUpdate(role="head"))
    assert audit_count(session) == before + 1  # nothing changed: nothing audited


@pytest.mark.parametrize(("data", "field"), [
    (UserUpdate(full_name="  "), "full_name"),
    (UserUpdate(role="superuser"), "role"),
    (UserUpdate(position="x" * 201), "position"),
])
def test_ops_accounts_update_user_refused(session: Session, admin: User, operator: User,
                                          data: UserUpdate, field: str) -> None:
    before = audit_count(session)
    with pytest.raises(ValidationError) as error:
        update_user(session=session, actor=admin, user_id=operator.id, data=data)
    assert set(error.value.errors) == {field}
    assert audit_count(session) == before


def test_ops_accounts_nobody_deactivates_themselves(session: Session, admin: User) -> None:
    new_user(session, admin, "admin", login="second.admin")  # not the last admin
    with pytest.raises(ValidationError) as error:
        update_user(session=session, actor=admin, user_id=admin.id,
                    data=UserUpdate(active=False))
    assert set(error.value.errors) == {"active"}


def test_ops_accounts_last_active_admin_stays(session: Session, admin: User) -> None:
    with pytest.raises(ValidationError) as error:
        update_user(session=session, actor=admin, user_id=admin.id,
                    data=UserUpdate(role="head"))
    assert set(error.value.errors) == {"role"}
    second = new_user(session, admin, "admin", login="second.admin")
    # with a second administrator, one may step down
    update_user(session=session, actor=second, user_id=admin.id, data=UserUpdate(role="head"))
    with pytest.raises(ValidationError) as error:
        update_user(session=session, actor=second, user_id=second.id,
                    data=UserUpdate(role="operator"))
    assert "second.admin" in error.value.errors["role"]
    assert second.role == "admin"


def test_ops_accounts_an_inactive_admin_is_not_counted(session: Session, admin: User) -> None:
    second = new_user(session, admin, "admin", login="second.admin")
    update_user(session=session, actor=admin, user_id=second.id, data=UserUpdate(active=False))
    with pytest.raises(ValidationError):
        update_user(session=session, actor=admin, user_id=admin.id,
                    data=UserUpdate(role="head"))
