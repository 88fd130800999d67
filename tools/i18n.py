"""Translation upkeep: extract messages, merge into the Dutch catalogue, fill from a dict.

    python tools/i18n.py update            # extract + merge; lists msgids still untranslated
    python tools/i18n.py fill FILE.py      # FILE defines NL = {msgid: Dutch}; fills them in
    python tools/i18n.py compile           # .po -> .mo (make run / make test do this)
"""

from __future__ import annotations

import runpy
import subprocess
import sys
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "hub" / "translations"
POT = ROOT / "hub" / "translations" / "messages.pot"
NL_PO = TRANSLATIONS / "nl" / "LC_MESSAGES" / "messages.po"


def extract() -> None:
    pybabel = str(Path(sys.executable).parent / "pybabel")
    subprocess.run([pybabel, "extract", "-F",
                    str(ROOT / "babel.cfg"), "-k", "_l", "-k", "lazy_gettext",
                    "--no-location", "--sort-output", "-o", str(POT), "."],
                   check=True, capture_output=True, cwd=ROOT)


def update() -> list[str]:
    extract()
    with POT.open("rb") as f:
        template = read_po(f)
    if NL_PO.exists():
        with NL_PO.open("rb") as f:
            catalog = read_po(f, locale="nl")
        catalog.update(template, no_fuzzy_matching=True)
    else:
        NL_PO.parent.mkdir(parents=True, exist_ok=True)
        catalog = template
        catalog.locale = "nl"  # type: ignore[assignment]
    with NL_PO.open("wb") as f:
        write_po(f, catalog, omit_header=False, sort_output=True, no_location=True,
                 ignore_obsolete=True)
    return [m.id for m in catalog if m.id and not m.string]


def fill(path: str) -> None:
    table = runpy.run_path(path)["NL"]
    with NL_PO.open("rb") as f:
        catalog = read_po(f, locale="nl")
    for message in catalog:
        if message.id in table:
            message.string = table[message.id]
            message.flags.discard("fuzzy")
    with NL_PO.open("wb") as f:
        write_po(f, catalog, sort_output=True, no_location=True, ignore_obsolete=True)


def compile_all() -> None:
    for po in TRANSLATIONS.glob("*/LC_MESSAGES/messages.po"):
        with po.open("rb") as f:
            catalog = read_po(f)
        with po.with_suffix(".mo").open("wb") as f:
            write_mo(f, catalog)


if __name__ == "__main__":
    command = sys.argv[1] if len(sys.argv) > 1 else "update"
    if command == "update":
        missing = update()
        print(f"{len(missing)} untranslated")
        for msgid in missing:
            print(repr(msgid))
    elif command == "fill":
        fill(sys.argv[2])
        compile_all()
    elif command == "compile":
        compile_all()
