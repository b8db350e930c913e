"""Alphabetical order for Russian and Kazakh names.

Code-point order puts Ә, Ғ, Қ, Ң, Ө, Ұ, Ү, Һ, І after Я. A sort key stored beside the name
(and indexed) maps each letter to its place in the Kazakh Cyrillic alphabet, which contains the
Russian one in the same order, so a plain binary ORDER BY sorts as people expect."""

from __future__ import annotations

from db.search import normalize

KAZAKH_ALPHABET = "аәбвгғдеёжзийкқлмнңоөпрстуұүфхһцчшщъыіьэюя"
_BASE = 0x3400  # above every Latin and Cyrillic code point, so Cyrillic names sort after Latin
_PLACE = {letter: chr(_BASE + number) for number, letter in enumerate(KAZAKH_ALPHABET)}


def sort_key(text: str) -> str:
    return "".join(_PLACE.get(char, char) for char in normalize(text))


def person_sort_key(surname: str, name: str, patronymic: str) -> str:
    return sort_key(" ".join(p for p in (surname, name, patronymic) if p))
