"""Translation catalogs, one per area, so that features can add strings without conflicts.

The source language is French: msgids are the French text that every page shows by default;
the English catalog translates them. Each area is a folder ``pdvsolutions/i18n/<area>/`` with a
``sources.txt`` listing the glob patterns (relative to the repository) of the files it covers.

    python scripts/i18n.py update AREA   # extract the area's strings, merge into en/…/messages.po
    python scripts/i18n.py compile       # compile every catalog (.po → .mo), French plurals too
    python scripts/i18n.py missing       # list French strings without an English translation
"""

import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_file
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parents[1]
I18N = ROOT / "pdvsolutions" / "i18n"
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "lazy_gettext": None, "_l": None,
            "lazy_ngettext": (1, 2), "pgettext": ((1, "c"), 2)}
JINJA_OPTIONS = {"trimmed": "false"}


def _method(path: Path) -> str:
    return "jinja2" if path.suffix == ".html" else "python"


def _files(patterns: list[str]):
    for pattern in patterns:
        for path in sorted(ROOT.glob(pattern)):
            if path.is_file() and path.suffix in (".py", ".html"):
                yield path


def extract(paths) -> Catalog:
    catalog = Catalog(locale=None, project="pdvsolutions")
    for path in paths:
        method = _method(path)
        options = JINJA_OPTIONS if method == "jinja2" else {}
        for lineno, message, comments, context in extract_from_file(
            method, str(path), keywords=KEYWORDS, options=options
        ):
            catalog.add(message, None, [(str(path.relative_to(ROOT)), lineno)],
                        auto_comments=comments, context=context)
    return catalog


def area_sources(area: str) -> list[str]:
    text = (I18N / area / "sources.txt").read_text()
    return [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")]


def update(area: str) -> None:
    template = extract(_files(area_sources(area)))
    po_path = I18N / area / "en" / "LC_MESSAGES" / "messages.po"
    po_path.parent.mkdir(parents=True, exist_ok=True)
    if po_path.exists():
        with po_path.open("rb") as handle:
            catalog = read_po(handle, locale="en")
        catalog.update(template, no_fuzzy_matching=True)
    else:
        catalog = Catalog(locale="en", project="pdvsolutions")
        catalog.update(template, no_fuzzy_matching=True)
    with po_path.open("wb") as handle:
        write_po(handle, catalog, width=100, omit_header=False, ignore_obsolete=True)
    untranslated = sum(1 for m in catalog if m.id and not is_translated(m))
    print(f"{po_path.relative_to(ROOT)}: {len(catalog)} messages, {untranslated} untranslated")


def compile_all() -> None:
    for po_path in sorted(I18N.glob("*/*/LC_MESSAGES/messages.po")):
        with po_path.open("rb") as handle:
            catalog = read_po(handle)
        with po_path.with_suffix(".mo").open("wb") as handle:
            write_mo(handle, catalog, use_fuzzy=False)
        if po_path.parts[-3] == "en":
            _compile_french_plurals(po_path.parents[2], catalog)


def _compile_french_plurals(area: Path, english: Catalog) -> None:
    """A French catalog holding only the plural messages, translated to themselves.

    French is the source language, so it needs no catalog, except for plurals: without one,
    gettext falls back to the English rule (``n != 1``) and prints "0 soutiens"; French says
    "0 soutien" (``n > 1``, from Babel's locale data).
    """
    french = Catalog(locale="fr", project="pdvsolutions")
    for message in english:
        if message.id and isinstance(message.id, tuple | list):
            french.add(message.id, string=tuple(message.id[:2]), context=message.context)
    folder = area / "fr" / "LC_MESSAGES"
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / "messages.mo").open("wb") as handle:
        write_mo(handle, french)


def is_translated(message) -> bool:
    """A translation, with every plural form of a plural message (a tuple of strings)."""
    if isinstance(message.string, tuple):
        return all(message.string)
    return bool(message.string)


def merged_translations() -> dict:
    strings: dict = {}
    for po_path in sorted(I18N.glob("*/en/LC_MESSAGES/messages.po")):
        with po_path.open("rb") as handle:
            for message in read_po(handle):
                if message.id and is_translated(message) and not message.fuzzy:
                    strings.setdefault(message.id, message.string)
    return strings


def missing() -> list[str]:
    """French strings of the whole package that no English catalog translates."""
    sources = list((ROOT / "pdvsolutions").rglob("*.py")) + list(
        (ROOT / "pdvsolutions").rglob("templates/**/*.html"))
    translated = merged_translations()
    return sorted(
        f"{m.locations[0][0]}:{m.locations[0][1]}: {m.id if isinstance(m.id, str) else m.id[0]}"
        for m in extract(sources) if m.id and m.id not in translated
    )


if __name__ == "__main__":
    command = sys.argv[1] if len(sys.argv) > 1 else "compile"
    if command == "update":
        update(sys.argv[2])
    elif command == "compile":
        compile_all()
    elif command == "missing":
        rows = missing()
        print("\n".join(rows) or "every string has an English translation")
        sys.exit(1 if rows else 0)
    else:
        sys.exit(__doc__)
