"""The ru and kk catalogs: every msgid of the code translated, placeholders kept, Kazakh letters
right, and db.i18n switching between them. Fix failures with `python tools/update_catalogs.py`."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path
from types import ModuleType

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import read_po

from db import i18n

ROOT = Path(__file__).resolve().parent.parent
PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
CYRILLIC = "\u0400-\u04ff"
# A Latin i/I touching a Cyrillic letter: a Kazakh і/І typed on the wrong keyboard layout.
LATIN_I = re.compile(rf"[{CYRILLIC}][iI]|[iI][{CYRILLIC}]")
# Any Latin letter glued to a Cyrillic one (Latin a/e/o/p/c/x look the same as Cyrillic ones).
MIXED_SCRIPT = re.compile(rf"[{CYRILLIC}][A-Za-z]|[A-Za-z][{CYRILLIC}]")


def _load_tool() -> ModuleType:
    """tools/update_catalogs.py is a script, not a package: load it by path."""
    path = ROOT / "tools" / "update_catalogs.py"
    spec = importlib.util.spec_from_file_location("update_catalogs", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


tool = _load_tool()


@pytest.fixture(scope="module")
def code_msgids() -> list[str | tuple[str, ...]]:
    return list(tool.extract_messages())


@pytest.fixture(scope="module")
def catalogs() -> dict[str, Catalog]:
    result = {}
    for language in tool.LANGUAGES:
        with tool.po_path(language).open("rb") as handle:
            result[language] = read_po(handle, locale=language)
    return result


def _strings(message: Message) -> list[str]:
    value = message.string
    return list(value) if isinstance(value, list | tuple) else [value]


def _placeholders(text: str) -> set[str]:
    return set(PLACEHOLDER.findall(text))


def _describe(msgid: str | tuple[str, ...]) -> str:
    return " | ".join(msgid) if isinstance(msgid, tuple) else msgid


@pytest.mark.parametrize("language", ["ru", "kk"])
def test_catalog_translates_every_msgid_of_the_code(
    language: str, code_msgids: list[str | tuple[str, ...]], catalogs: dict[str, Catalog]
) -> None:
    catalog = catalogs[language]
    missing = []
    for msgid in code_msgids:
        message = catalog.get(msgid)
        if message is None:
            missing.append(f"{_describe(msgid)}  [not in the catalog]")
        elif message.fuzzy:
            missing.append(f"{_describe(msgid)}  [fuzzy]")
        elif not all(s.strip() for s in _strings(message)):
            missing.append(f"{_describe(msgid)}  [empty]")
        elif isinstance(msgid, tuple) and len(_strings(message)) != catalog.num_plurals:
            missing.append(f"{_describe(msgid)}  [not {catalog.num_plurals} plural forms]")
    assert not missing, (
        f"{len(missing)} msgids lack a {language} translation "
        "(run tools/update_catalogs.py, then translate):\n  " + "\n  ".join(missing)
    )


@pytest.mark.parametrize("language", ["ru", "kk"])
def test_catalog_plural_forms_header(language: str, catalogs: dict[str, Catalog]) -> None:
    assert catalogs[language].plural_forms == tool.PLURAL_FORMS[language]


@pytest.mark.parametrize("language", ["ru", "kk"])
def test_translation_keeps_the_placeholders_of_its_msgid(
    language: str, catalogs: dict[str, Catalog]
) -> None:
    wrong = []
    for message in catalogs[language]:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple | list) else (message.id,)
        expected = set().union(*(_placeholders(i) for i in ids))
        for text in _strings(message):
            if text and _placeholders(text) != expected:
                wrong.append(f"{_describe(message.id)!r} -> {text!r}")
    assert not wrong, "placeholders differ from the msgid:\n  " + "\n  ".join(wrong)


def test_kazakh_uses_cyrillic_i_not_latin(catalogs: dict[str, Catalog]) -> None:
    wrong = [
        text for message in catalogs["kk"] if message.id
        for text in _strings(message) if LATIN_I.search(text)
    ]
    assert not wrong, "Latin i/I where Cyrillic і/І (U+0456/U+0406) is meant:\n  " + "\n  ".join(
        wrong)


@pytest.mark.parametrize("language", ["ru", "kk"])
def test_no_word_mixes_latin_and_cyrillic_letters(
    language: str, catalogs: dict[str, Catalog]
) -> None:
    wrong = [
        text for message in catalogs[language] if message.id
        for text in _strings(message) if MIXED_SCRIPT.search(text)
    ]
    assert not wrong, "a word mixes Latin and Cyrillic letters:\n  " + "\n  ".join(wrong)


def test_set_language_switches_the_translation(catalogs: dict[str, Catalog]) -> None:
    msgid = "Wrong login or password."
    kazakh = catalogs["kk"][msgid].string
    russian = catalogs["ru"][msgid].string
    assert kazakh and russian and kazakh != russian
    i18n.set_language("kk")
    assert i18n._(msgid) == kazakh
    assert i18n.translate(msgid, "ru") == russian
    i18n.set_language("ru")
    assert i18n._(msgid) == russian
    assert i18n.translate(msgid, "kk") == kazakh


def test_ngettext_picks_the_plural_form_by_the_catalog_rule() -> None:
    i18n.set_language("ru")
    forms = [i18n.ngettext("{n} record", "{n} records", n) for n in (1, 3, 5, 11, 21, 22, 111)]
    assert forms == ["{n} запись", "{n} записи", "{n} записей", "{n} записей", "{n} запись",
                     "{n} записи", "{n} записей"]
    # Kazakh has two forms chosen by n != 1: 21 takes the second, not the Russian "one" form.
    kazakh = i18n._plural_rule("(n!=1)")
    assert [kazakh(n) for n in (0, 1, 2, 21)] == [1, 0, 1, 1]
