"""Search keys that fold case for every Cyrillic and Kazakh letter (SQLite folds only ASCII)."""

from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"\s+")


def normalize(text: str) -> str:
    """NFC, casefold, ё→е, single spaces (NFC so a pasted е + U+0308 is ё, and й is one letter)."""
    folded = unicodedata.normalize("NFC", text).casefold().replace("ё", "е")
    return _SPACES.sub(" ", folded).strip()


def person_search_key(surname: str, name: str, patronymic: str, iin: str | None) -> str:
    return normalize(" ".join(p for p in (surname, name, patronymic, iin or "") if p))


def like_pattern(fragment: str) -> str:
    """A LIKE pattern matching the fragment anywhere; % and _ typed by the user match themselves."""
    escaped = normalize(fragment).replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"
