"""One gettext catalog for all of Qadam's own strings: window, reports and error messages.

Message ids are English; `resources/translations/<lang>/LC_MESSAGES/qadam.po` holds Russian and
Kazakh. The .po files are read directly (through babel) so no compiled build output is needed.
"""

from __future__ import annotations

import gettext
from collections.abc import Callable
from functools import cache

from babel.messages.pofile import read_po

from db.paths import resource

DOMAIN = "qadam"
LANGUAGES = ("ru", "kk")
DEFAULT_LANGUAGE = "ru"


class _PoTranslations(gettext.NullTranslations):
    def __init__(self, messages: dict[str, str], plurals: dict[str, tuple[str, ...]],
                 plural: Callable[[int], int] | None = None) -> None:
        super().__init__()
        self._messages = messages
        self._plurals = plurals
        self._plural = plural or _russian_plural_index

    def gettext(self, message: str) -> str:
        return self._messages.get(message) or message

    def ngettext(self, msgid1: str, msgid2: str, n: int) -> str:
        forms = self._plurals.get(msgid1)
        if not forms:
            return msgid1 if n == 1 else msgid2
        # The index comes from the catalog's own Plural-Forms (ru: 3 forms, kk: 2 with n != 1).
        index = self._plural(n)
        return forms[min(index, len(forms) - 1)] or (msgid1 if n == 1 else msgid2)


def _russian_plural_index(n: int) -> int:
    if n % 10 == 1 and n % 100 != 11:
        return 0
    if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        return 1
    return 2


def catalog_path(language: str):
    return resource("translations", language, "LC_MESSAGES", f"{DOMAIN}.po")


@cache
def load_catalog(language: str) -> gettext.NullTranslations:
    path = catalog_path(language)
    if not path.exists():
        return gettext.NullTranslations()
    with path.open("rb") as handle:
        po = read_po(handle, locale=language if language != "kk" else "kk")
    messages: dict[str, str] = {}
    plurals: dict[str, tuple[str, ...]] = {}
    for entry in po:
        if not entry.id or entry.fuzzy:
            continue
        if isinstance(entry.id, tuple | list):
            plurals[entry.id[0]] = tuple(entry.string)
        elif entry.string:
            messages[entry.id] = entry.string
    return _PoTranslations(messages, plurals, _plural_rule(po.plural_expr))


def _plural_rule(expression: str) -> Callable[[int], int]:
    """A catalog's `plural=` C expression as a function (parsed by gettext itself)."""
    try:
        return gettext.c2py(expression)
    except (ValueError, SyntaxError):
        return _russian_plural_index


_current: list[str] = [DEFAULT_LANGUAGE]


def set_language(language: str) -> None:
    if language not in LANGUAGES:
        raise ValueError(f"unknown language {language!r}")
    _current[0] = language


def current_language() -> str:
    return _current[0]


def _(message: str) -> str:
    """Translate into the current language."""
    return load_catalog(_current[0]).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return load_catalog(_current[0]).ngettext(singular, plural, n)


def translate(message: str, language: str) -> str:
    """Translate into a given language, whatever the window's language is (for reports)."""
    return load_catalog(language).gettext(message)


def N_(message: str) -> str:
    """Mark a string for the catalog without translating it now (module-level tables)."""
    return message
