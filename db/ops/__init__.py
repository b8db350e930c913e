"""Operations: everything a user can do to the registry, as small functions over a session.

Each function that changes data takes the session and the acting user, validates, checks rights,
writes the rows and the audit entry, and commits, all in one transaction."""
