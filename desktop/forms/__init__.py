"""Editors of records: each a dialog that validates as the user types."""
