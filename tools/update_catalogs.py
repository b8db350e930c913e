"""Developer tool: extract Qadam's msgids, write the .pot and merge it into the ru/kk catalogs.

    python tools/update_catalogs.py           # update qadam.pot and both .po files, print counts
    python tools/update_catalogs.py --check   # write nothing; exit 1 and list untranslated msgids

Files are written only when their messages change (not for a new date in the header), sorted by
msgid and with file names but no line numbers, so diffs stay small while others edit the code.
"""

from __future__ import annotations

import argparse
import datetime
import io
import sys
import tomllib
from collections.abc import Iterator
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract_from_file
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ("db", "reports", "desktop", "main.py")
TRANSLATIONS = ROOT / "resources" / "translations"
TEMPLATE = TRANSLATIONS / "qadam.pot"
LANGUAGES = ("ru", "kk")
PLURAL_FORMS = {
    "ru": "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && "
          "(n%100<10 || n%100>=20) ? 1 : 2);",
    "kk": "nplurals=2; plural=(n!=1);",
}
# babel keyword specs: None = the first argument; (1, 2) = singular and plural.
KEYWORDS: dict[str, tuple[int, ...] | None] = {
    "_": None,
    "N_": None,
    "ngettext": (1, 2),
    "translate": (1,),
    "tr": None,
}
HEADER = (
    "# %s catalog of Qadam.\n"
    "# Made by tools/update_catalogs.py: edit the msgstr lines only, then run the tool again."
)
# A comment starting with this, right above a string, reaches the translators.
COMMENT_TAGS = ("TRANSLATORS:",)
WIDTH = 100  # the project's line length
# Header lines that change on every run; ignored when deciding whether a file changed.
VOLATILE_HEADERS = ("POT-Creation-Date", "PO-Revision-Date", "Generated-By")

MsgId = str | tuple[str, ...]


def source_files(root: Path = ROOT) -> Iterator[Path]:
    """The Python files whose strings belong in the catalog, in a stable order."""
    for name in SOURCES:
        path = root / name
        if path.is_file():
            yield path
        elif path.is_dir():
            yield from sorted(p for p in path.rglob("*.py") if "__pycache__" not in p.parts)


def extract_messages(root: Path = ROOT) -> dict[MsgId, list[tuple[str, int]]]:
    """Every msgid in the code (a tuple for plurals) with its (file, line) locations."""
    return {msgid: found.locations for msgid, found in _extract(root).items()}


class _Found:
    def __init__(self) -> None:
        self.locations: list[tuple[str, int]] = []
        self.comments: list[str] = []


def _extract(root: Path = ROOT) -> dict[MsgId, _Found]:
    found: dict[MsgId, _Found] = {}
    for path in source_files(root):
        relative = path.relative_to(root).as_posix()
        for lineno, message, comments, _context in extract_from_file(
            "python", str(path), keywords=KEYWORDS, comment_tags=COMMENT_TAGS,
            strip_comment_tags=True,
        ):
            key: MsgId = tuple(message) if isinstance(message, list | tuple) else message
            # A call whose argument is not a literal gives None or "" parts: not ours to translate.
            if not key or (isinstance(key, tuple) and not all(key)):
                continue
            entry = found.setdefault(key, _Found())
            entry.locations.append((relative, lineno))
            entry.comments.extend(c for c in comments if c not in entry.comments)
    return found


def project_version() -> str:
    with (ROOT / "pyproject.toml").open("rb") as handle:
        return str(tomllib.load(handle)["project"]["version"])


def build_template(messages: dict[MsgId, _Found]) -> Catalog:
    template = Catalog(project="Qadam", version=project_version(), charset="utf-8",
                       fuzzy=False, header_comment=HEADER % "Message template")
    template.msgid_bugs_address = template.last_translator = "Qadam team"
    for msgid, found in messages.items():
        template.add(msgid, locations=found.locations, auto_comments=found.comments)
    return template


def load_po(language: str) -> Catalog:
    path = po_path(language)
    if path.exists():
        with path.open("rb") as handle:
            catalog = read_po(handle, locale=language)
    else:
        catalog = Catalog(locale=language, project="Qadam", charset="utf-8")
    # Our own Plural-Forms, whatever babel's table says; the header is ours, not a draft.
    catalog.mime_headers = [("Plural-Forms", PLURAL_FORMS[language])]
    catalog.fuzzy = False
    catalog.msgid_bugs_address = catalog.last_translator = "Qadam team"
    catalog.language_team = {"ru": "Russian", "kk": "Kazakh"}[language]
    catalog.header_comment = HEADER % {"ru": "Russian", "kk": "Kazakh"}[language]
    return catalog


def po_path(language: str) -> Path:
    return TRANSLATIONS / language / "LC_MESSAGES" / "qadam.po"


def is_translated(message: Message, num_plurals: int = 1) -> bool:
    """Not fuzzy, and every form (all `num_plurals` of them for a plural) filled in."""
    if message.fuzzy:
        return False
    if isinstance(message.string, list | tuple):
        return len(message.string) >= num_plurals and all(message.string)
    return bool(message.string)


def untranslated(catalog: Catalog) -> list[Message]:
    return [m for m in catalog if m.id and not is_translated(m, catalog.num_plurals)]


def render(catalog: Catalog) -> bytes:
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=WIDTH, sort_output=True, include_lineno=False,
             ignore_obsolete=True)
    return buffer.getvalue()


def _stable(content: bytes) -> bytes:
    lines = content.splitlines(keepends=True)
    return b"".join(
        line for line in lines
        if not any(line.startswith(f'"{h}:'.encode()) for h in VOLATILE_HEADERS)
    )


def write_if_changed(path: Path, catalog: Catalog) -> bool:
    content = render(catalog)
    if path.exists() and _stable(path.read_bytes()) == _stable(content):
        return False
    catalog.revision_date = datetime.datetime.now(datetime.UTC)
    content = render(catalog)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    return True


def describe(msgid: MsgId) -> str:
    return " | ".join(msgid) if isinstance(msgid, tuple) else msgid


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true",
                        help="write nothing; exit 1 if any msgid lacks a translation")
    args = parser.parse_args(argv)

    template = build_template(_extract())
    print(f"{len(template)} msgids in the code")
    if not args.check and write_if_changed(TEMPLATE, template):
        print(f"wrote {TEMPLATE.relative_to(ROOT)}")

    missing_total = 0
    for language in LANGUAGES:
        catalog = load_po(language)
        catalog.update(template)
        catalog.version = template.version
        dropped = [m for m in catalog.obsolete.values() if is_translated(m)]
        if dropped and not args.check:
            # Never lose a translation silently: say which ones are gone.
            print(f"{language}: dropping {len(dropped)} obsolete translated entries:")
            for message in dropped:
                print(f"    {describe(message.id)}")
        missing = untranslated(catalog)
        missing_total += len(missing)
        print(f"{language}: {len(missing)} of {len(template)} lack a translation")
        if args.check:
            for message in missing:
                state = "fuzzy" if message.fuzzy else "empty"
                print(f"    [{state}] {describe(message.id)}")
        elif write_if_changed(po_path(language), catalog):
            print(f"wrote {po_path(language).relative_to(ROOT)}")
    return 1 if args.check and missing_total else 0


if __name__ == "__main__":
    sys.exit(main())
