"""One gettext catalog for all of Qadam's own strings: window, reports and error messages.

Message ids are English; `resources/translations/<lang>/LC_MESSAGES/qadam.po` holds Russian and
Kazakh. The .po files are the only source: no compiled file is kept beside them. Reading a .po
(through babel) costs about 60 ms at every start, so the first start compiles each catalog into
a .mo file in the cache folder, named and stamped with a hash of its .po; later starts read
that (a millisecond) and a changed .po is compiled again. An installer may put the same .mo
beside the .po (`compile_catalog`); it is used when its stamp matches.
"""

from __future__ import annotations

import contextlib
import gettext
import hashlib
import os
import struct
import tempfile
from collections.abc import Callable
from functools import cache
from pathlib import Path

import platformdirs

from db.paths import APP_NAME, resource

DOMAIN = "qadam"
LANGUAGES = ("ru", "kk")
DEFAULT_LANGUAGE = "ru"
# The header field of a compiled catalog naming the .po it was made from.
SOURCE_FIELD = "X-Qadam-Source"


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


def catalog_path(language: str) -> Path:
    return resource("translations", language, "LC_MESSAGES", f"{DOMAIN}.po")


def cache_dir() -> Path:
    """Where compiled catalogs are kept: the user's cache folder (inside QADAM_DATA_DIR when
    that is set, for tests and portable use). Made only when a catalog is written."""
    override = os.environ.get("QADAM_DATA_DIR")
    if override:
        return Path(override) / "cache"
    return Path(platformdirs.user_cache_dir(APP_NAME, appauthor=False))


@cache
def load_catalog(language: str) -> gettext.NullTranslations:
    path = catalog_path(language)
    try:
        source = path.read_bytes()
    except OSError:
        return gettext.NullTranslations()
    stamp = hashlib.sha256(source).hexdigest()[:20]
    cached = cache_dir() / f"{DOMAIN}-{language}-{stamp}.mo"
    for compiled in (path.with_suffix(".mo"), cached):
        found = _read_mo(compiled, stamp)
        if found is not None:
            return found
    messages, plurals, plural_forms = _parse_po(source, language)
    with contextlib.suppress(OSError):  # a read-only or full disk: compiled again next time
        _write_mo(cached, messages, plurals, plural_forms, stamp)
        for old in cached.parent.glob(f"{DOMAIN}-{language}-*.mo"):  # of an older .po
            if old != cached:
                old.unlink(missing_ok=True)
    return _PoTranslations(messages, plurals, _plural_rule(plural_forms))


def compile_catalog(language: str, target: Path | None = None) -> Path:
    """Write the .mo of `language` (for an installer: beside its .po by default)."""
    path = catalog_path(language)
    source = path.read_bytes()
    target = target or path.with_suffix(".mo")
    _write_mo(target, *_parse_po(source, language),
              hashlib.sha256(source).hexdigest()[:20])
    return target


def _parse_po(source: bytes, language: str
              ) -> tuple[dict[str, str], dict[str, tuple[str, ...]], str]:
    """The translated messages of a .po (fuzzy and empty ones left out) and its
    Plural-Forms ("nplurals=3; plural=(…);")."""
    import io

    from babel.messages.pofile import read_po

    po = read_po(io.BytesIO(source), locale=language)
    messages: dict[str, str] = {}
    plurals: dict[str, tuple[str, ...]] = {}
    for entry in po:
        if not entry.id or entry.fuzzy:
            continue
        if isinstance(entry.id, tuple | list):
            plurals[entry.id[0]] = tuple(entry.string)
        elif entry.string:
            messages[entry.id] = entry.string
    return messages, plurals, po.plural_forms


def _write_mo(target: Path, messages: dict[str, str], plurals: dict[str, tuple[str, ...]],
              plural_forms: str, stamp: str) -> None:
    """A GNU .mo file (what msgfmt writes), written to a temporary name and renamed."""
    header = (f"Content-Type: text/plain; charset=UTF-8\nPlural-Forms: {plural_forms}\n"
              f"{SOURCE_FIELD}: {stamp}\n")
    entries = {b"": header.encode()}
    for msgid, text in messages.items():
        entries[msgid.encode()] = text.encode()
    for msgid, forms in plurals.items():
        # the key is "singular\0plural"; gettext looks plural entries up by the singular
        entries[msgid.encode() + b"\0" + msgid.encode()] = "\0".join(forms).encode()
    keys = sorted(entries)
    ids = strs = b""
    offsets = []
    for key in keys:
        offsets.append((len(ids), len(key), len(strs), len(entries[key])))
        ids += key + b"\0"
        strs += entries[key] + b"\0"
    start = 7 * 4 + 16 * len(keys)  # the header, then the two tables of (length, offset)
    table = b"".join(struct.pack("<II", length, start + offset)
                     for offset, length, _o, _l in offsets)
    table += b"".join(struct.pack("<II", length, start + len(ids) + offset)
                      for _o, _l, offset, length in offsets)
    data = struct.pack("<7I", 0x950412DE, 0, len(keys), 7 * 4, 7 * 4 + 8 * len(keys), 0, 0)
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(dir=target.parent, prefix=target.name, suffix=".part")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data + table + ids + strs)
        os.replace(name, target)
    except BaseException:
        Path(name).unlink(missing_ok=True)
        raise


def _read_mo(path: Path, stamp: str) -> _PoTranslations | None:
    """The compiled catalog at `path` if it was made from the .po of this `stamp`."""
    try:
        with path.open("rb") as handle:
            compiled = gettext.GNUTranslations(handle)
    except (OSError, ValueError, struct.error, UnicodeDecodeError):
        return None
    if compiled.info().get(SOURCE_FIELD.lower()) != stamp:
        return None
    messages: dict[str, str] = {}
    forms: dict[str, dict[int, str]] = {}
    for key, text in compiled._catalog.items():  # type: ignore[attr-defined]
        if isinstance(key, tuple):
            forms.setdefault(key[0], {})[key[1]] = text
        elif key:
            messages[key] = text
    plurals = {msgid: tuple(found[i] for i in sorted(found)) for msgid, found in forms.items()}
    return _PoTranslations(messages, plurals, compiled.plural)


def _plural_rule(expression: str) -> Callable[[int], int]:
    """A catalog's `plural=` C expression (or its whole Plural-Forms) as a function, parsed
    by gettext itself."""
    if "plural=" in expression:
        expression = expression.split("plural=", 1)[1].strip().rstrip(";")
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
