"""Typed errors of the core. Each carries a message in the user's language, ready to show."""

from __future__ import annotations


class QadamError(Exception):
    """A user's mistake or a refused action (never a programming error)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class ValidationError(QadamError):
    """One or more fields are wrong. `errors` maps a field name to its message."""

    def __init__(self, errors: dict[str, str]) -> None:
        self.errors = dict(errors)
        super().__init__("\n".join(self.errors.values()))


class NotFound(QadamError):
    pass


class InUse(QadamError):
    """A record cannot be deleted because other records refer to it."""


class Conflict(QadamError):
    """The change would break a uniqueness rule (same login, same IIN, ...)."""


class PermissionDenied(QadamError):
    pass


class MonthLocked(QadamError):
    pass


class DatabaseError(QadamError):
    """The database file cannot be opened or is of an unknown version."""


class FieldErrors:
    """Collects field messages while validating, then raises them together."""

    def __init__(self) -> None:
        self.errors: dict[str, str] = {}

    def add(self, field: str, message: str) -> None:
        self.errors.setdefault(field, message)

    def __bool__(self) -> bool:
        return bool(self.errors)

    def raise_if_any(self) -> None:
        if self.errors:
            raise ValidationError(self.errors)
