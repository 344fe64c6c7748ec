"""The build hook: every message catalog's ``.po`` compiled into its ``.mo``.

The ``.po`` sources are in the repository, the ``.mo`` files are not (``.gitignore``): they
are made here, for a wheel (added to it as artifacts) and for an editable install (written
beside their ``.po``, where :mod:`tiime.i18n` reads them). Registered in pyproject.toml
(``[tool.hatch.build.hooks.custom]``); Babel is a build requirement.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

LOCALES = Path("src", "tiime", "i18n", "locales")


def compile_catalogs(root: Path) -> list[Path]:
    """Compile every ``LOCALES/<lang>/LC_MESSAGES/<domain>.po`` under ``root`` into the
    ``.mo`` beside it; the ``.mo`` paths, relative to ``root``. Fuzzy entries are left out
    (English shows instead), as ``pybabel compile`` does."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    written = []
    for po in sorted((root / LOCALES).glob("*/LC_MESSAGES/*.po")):
        lang = po.parent.parent.name
        with po.open("rb") as source:
            catalog = read_po(source, locale=lang)
        mo = po.with_suffix(".mo")
        with mo.open("wb") as target:
            write_mo(target, catalog)
        written.append(mo.relative_to(root))
    return written


class CatalogsHook(BuildHookInterface):  # type: ignore[misc]
    """Compile the catalogs before hatchling collects the files."""

    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if self.target_name == "sdist":  # the sdist carries the .po and this hook
            return
        for mo in compile_catalogs(Path(self.root)):
            build_data["artifacts"].append(mo.as_posix())
