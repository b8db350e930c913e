"""Search keys that fold case for every Cyrillic and Kazakh letter (SQLite folds only ASCII)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

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


# Words this long or longer are found through the FTS5 trigram index over person.search_key
# (migration 0005); shorter ones cannot be, as the index holds three-letter pieces.
TRIGRAM = 3


@dataclass(frozen=True)
class SearchWords:
    """The words of a search as each is looked for: every word must match."""

    trigram: tuple[str, ...]  # 3+ characters: anywhere in the search key, by the index
    iin_prefixes: tuple[str, ...]  # 1-2 digits: the start of an IIN, by its unique index
    short: tuple[str, ...]  # 1-2 other characters: anywhere in the search key (LIKE)

    @classmethod
    def of(cls, text: str) -> SearchWords:
        words = normalize(text).split()
        return cls(
            trigram=tuple(w for w in words if len(w) >= TRIGRAM),
            iin_prefixes=tuple(w for w in words if len(w) < TRIGRAM and _is_digits(w)),
            short=tuple(w for w in words if len(w) < TRIGRAM and not _is_digits(w)))


def _is_digits(word: str) -> bool:
    return word.isascii() and word.isdigit()


def fts_phrases(words: tuple[str, ...]) -> str:
    """An FTS5 query that matches every word as a piece of the text: "word1" "word2" (each
    a quoted phrase, so no character of a word is FTS5 syntax; phrases side by side AND)."""
    return " ".join('"' + word.replace('"', '""') + '"' for word in words)


def iin_prefix_range(prefix: str) -> tuple[str, str]:
    """The IINs starting with `prefix` (digits) are those ≥ low and < high."""
    return prefix, prefix[:-1] + chr(ord(prefix[-1]) + 1)
