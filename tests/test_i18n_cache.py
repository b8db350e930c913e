"""Compiled catalogs: the .mo cache made from a .po says exactly what the .po says, and a
changed .po (or a damaged cache file) is read from the .po again."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from db import i18n


@pytest.fixture
def fresh(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[Path]:
    monkeypatch.setattr(i18n, "cache_dir", lambda: tmp_path / "cache")
    i18n.load_catalog.cache_clear()
    yield tmp_path / "cache"
    i18n.load_catalog.cache_clear()


@pytest.mark.parametrize("language", i18n.LANGUAGES)
def test_i18n_cache_says_what_the_po_says(fresh: Path, language: str) -> None:
    parsed = i18n.load_catalog(language)  # from the .po; writes the cache
    assert len(list(fresh.glob(f"qadam-{language}-*.mo"))) == 1
    i18n.load_catalog.cache_clear()
    compiled = i18n.load_catalog(language)  # from the cache
    assert isinstance(parsed, i18n._PoTranslations)
    assert isinstance(compiled, i18n._PoTranslations)
    assert compiled._messages == parsed._messages and len(parsed._messages) > 100
    assert compiled._plurals == parsed._plurals
    for n in (0, 1, 2, 3, 5, 11, 21, 22, 25, 101, 111):
        assert compiled.ngettext("{n} record", "{n} records", n) == \
            parsed.ngettext("{n} record", "{n} records", n)


def test_i18n_cache_follows_a_changed_po(fresh: Path, monkeypatch: pytest.MonkeyPatch,
                                         tmp_path: Path) -> None:
    po = tmp_path / "ru.po"
    text = i18n.catalog_path("ru").read_text(encoding="utf-8")
    po.write_text(text, encoding="utf-8")
    monkeypatch.setattr(i18n, "catalog_path", lambda _language: po)
    assert i18n.load_catalog("ru").gettext("Events") == "Мероприятия"
    old = list(fresh.glob("qadam-ru-*.mo"))
    po.write_text(text.replace('msgstr "Мероприятия"', 'msgstr "События"', 1), encoding="utf-8")
    i18n.load_catalog.cache_clear()
    assert i18n.load_catalog("ru").gettext("Events") == "События"
    assert list(fresh.glob("qadam-ru-*.mo")) != old  # the old one is gone, the new one made
    assert len(list(fresh.glob("qadam-ru-*.mo"))) == 1


def test_i18n_cache_damaged_file_is_read_from_the_po(fresh: Path) -> None:
    i18n.load_catalog("kk")
    (cached,) = fresh.glob("qadam-kk-*.mo")
    cached.write_bytes(b"\xde\x12\x04\x95 not a catalog")
    i18n.load_catalog.cache_clear()
    assert i18n.load_catalog("kk").gettext("Events") == "Іс-шаралар"


def test_i18n_compile_catalog_for_an_installer(fresh: Path, tmp_path: Path) -> None:
    target = i18n.compile_catalog("ru", tmp_path / "qadam.mo")
    stamp = target.read_bytes()
    assert stamp.startswith(b"\xde\x12\x04\x95")
    assert i18n.SOURCE_FIELD.encode() in stamp
