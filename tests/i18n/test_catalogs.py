"""The catalogs are complete and faithful, and the build ships them compiled.

* every message of the sources (extracted with Babel, as ``make messages-extract`` does)
  has a French translation, and the catalog holds no message the sources lost;
* a translation keeps every placeholder of its message (``{name}``, ``%s``, ``%(x)s``);
* the wheel carries each ``.po`` compiled into its ``.mo`` (built here by hatchling).
"""

from __future__ import annotations

import re
import shutil
import zipfile
from collections import Counter
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
LOCALES = ROOT / "src" / "tiime" / "i18n" / "locales"
# Each gettext domain and the sources its messages come from (as in the Makefile).
DOMAINS = {
    "tiime": ("src/tiime/cli", "src/tiime/i18n"),
    "dashboard": ("src/tiime/dashboard",),
    "sandbox": ("src/tiime/sandbox",),
}
CATALOGS = sorted(LOCALES.glob("*/LC_MESSAGES/*.po"))
PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sdr]|%[sdr]|\{[^{}]*\}")


def catalog(po: Path) -> Catalog:
    with po.open("rb") as source:
        return read_po(source, locale=po.parent.parent.name)


def extracted(domain: str) -> set[str | tuple[str, ...]]:
    ids: set[str | tuple[str, ...]] = set()
    for directory in DOMAINS[domain]:
        for _file, _line, message, _comments, _context in extract_from_dir(
            ROOT / directory, method_map=[("**.py", "python")]
        ):
            ids.add(message[0] if isinstance(message, tuple) else message)
    return ids


def placeholders(text: str) -> Counter[str]:
    return Counter(PLACEHOLDER.findall(text.replace("{{", "").replace("}}", "")))


def test_the_french_cli_catalog_exists() -> None:
    assert LOCALES / "fr" / "LC_MESSAGES" / "tiime.po" in CATALOGS


@pytest.mark.parametrize("po", CATALOGS, ids=[p.stem for p in CATALOGS])
def test_every_message_is_translated(po: Path) -> None:
    assert po.stem in DOMAINS, f"{po.stem}: say where its messages come from (DOMAINS)"
    translations = catalog(po)
    sources = extracted(po.stem)
    kept = {m.id[0] if isinstance(m.id, tuple) else m.id for m in translations if m.id}
    assert sorted(map(str, sources - kept)) == [], f"not in {po.name}: make messages-update"
    assert sorted(map(str, kept - sources)) == [], f"in {po.name}, gone from the sources"
    for message in translations:
        if not message.id:
            continue
        forms = message.string if isinstance(message.string, tuple) else (message.string,)
        assert all(form.strip() for form in forms), f"untranslated: {message.id!r}"
        assert not message.fuzzy, f"fuzzy: {message.id!r}"


@pytest.mark.parametrize("po", CATALOGS, ids=[p.stem for p in CATALOGS])
def test_translations_keep_their_placeholders(po: Path) -> None:
    for message in catalog(po):
        if not message.id:
            continue
        if isinstance(message.id, tuple):
            expected = placeholders(message.id[1])
            forms: tuple[str, ...] = tuple(message.string)
        else:
            expected, forms = placeholders(message.id), (message.string,)
        for form in forms:
            assert placeholders(form) == expected, f"{message.id!r} -> {form!r}"


def test_the_wheel_carries_the_compiled_catalogs(tmp_path: Path) -> None:
    from hatchling.builders.wheel import WheelBuilder

    source = tmp_path / "source"
    source.mkdir()
    for name in ("pyproject.toml", "hatch_build.py", "README.md", "LICENSE"):
        shutil.copy(ROOT / name, source / name)
    shutil.copytree(
        ROOT / "src",
        source / "src",
        ignore=shutil.ignore_patterns("__pycache__", "*.mo", "*.pot"),
    )
    [wheel] = WheelBuilder(str(source)).build(directory=str(tmp_path / "dist"))
    names = set(zipfile.ZipFile(wheel).namelist())
    for po in CATALOGS:
        mo = po.relative_to(ROOT / "src").with_suffix(".mo").as_posix()
        assert mo in names
        assert po.relative_to(ROOT / "src").as_posix() in names  # the source, for the record


def test_the_build_hook_compiles_what_tiime_i18n_reads(tmp_path: Path) -> None:
    import gettext
    import sys

    sys.path.insert(0, str(ROOT))
    try:
        from hatch_build import compile_catalogs
    finally:
        sys.path.remove(str(ROOT))
    shutil.copytree(ROOT / "src" / "tiime" / "i18n", tmp_path / "src" / "tiime" / "i18n")
    written = compile_catalogs(tmp_path)
    assert {p.with_suffix(".po").name for p in written} == {p.name for p in CATALOGS}
    compiled = tmp_path / "src" / "tiime" / "i18n" / "locales" / "fr" / "LC_MESSAGES" / "tiime.mo"
    with compiled.open("rb") as mo:
        french = gettext.GNUTranslations(mo)
    assert french.gettext("show this help message and exit") == "afficher cette aide et quitter"
