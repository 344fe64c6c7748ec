"""The declared dependencies: every import is declared, and every floor is the tested one.

`make test` runs the suite a second time in an environment installed with
``constraints/lowest.txt``; these tests keep that file pinned to exactly the floors that
``pyproject.toml`` declares, so the floors stay the versions the suite passed with.
"""

from __future__ import annotations

import ast
import sys
from importlib.metadata import files
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

if sys.version_info >= (3, 11):
    import tomllib
else:  # pytest itself depends on tomli before 3.11
    import tomli as tomllib

ROOT = Path(__file__).resolve().parent.parent
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
PROJECT = PYPROJECT["project"]


def declared() -> list[Requirement]:
    """Every direct dependency, core and extras, without the extras naming the project itself."""
    lines = list(PROJECT["dependencies"])
    for extra in PROJECT["optional-dependencies"].values():
        lines.extend(extra)
    return [r for r in map(Requirement, lines) if canonicalize_name(r.name) != "tiime"]


def floor_of(requirement: Requirement) -> Version:
    floors = [Version(s.version) for s in requirement.specifier if s.operator == ">="]
    assert len(floors) == 1, f"{requirement} needs exactly one '>=' floor"
    return floors[0]


def runtime_imports(tree: ast.AST) -> set[str]:
    """Top-level modules imported by `tree`, leaving out ``if TYPE_CHECKING:`` blocks."""
    modules: set[str] = set()
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            modules |= set().union(*(runtime_imports(n) for n in node.orelse))
        elif isinstance(node, ast.Import):
            modules.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            modules.add(node.module.split(".")[0])
        else:
            modules |= runtime_imports(node)
    return modules


def provided_modules(distributions: set[str]) -> set[str]:
    """The top-level modules the installed `distributions` put on the path (from their RECORD)."""
    modules: set[str] = set()
    for distribution in distributions:
        for path in files(distribution) or []:
            top = path.parts[0]
            if top != ".." and not top.endswith((".dist-info", ".data")):
                modules.add(top.split(".")[0])
    return modules


def test_every_direct_dependency_has_a_floor() -> None:
    for requirement in declared():
        floor_of(requirement)


def group_tools() -> dict[str, Requirement]:
    """The ``test`` dependency group's requirements, by canonical name."""
    lines = [line for line in PYPROJECT["dependency-groups"]["test"] if isinstance(line, str)]
    return {canonicalize_name(r.name): r for r in map(Requirement, lines)}


def test_lowest_constraints_pin_exactly_the_floors() -> None:
    """Every runtime floor is pinned, and nothing else but test tools at their floor."""
    pins = set()
    for line in (ROOT / "constraints" / "lowest.txt").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            pin = Requirement(line)
            [spec] = pin.specifier
            assert spec.operator == "==", line
            pins.add((canonicalize_name(pin.name), Version(spec.version), str(pin.marker)))
    floors = {(canonicalize_name(r.name), floor_of(r), str(r.marker)) for r in declared()}
    runtime = {name for name, _, _ in floors}
    tools = group_tools()
    pinned_tools = {pin for pin in pins if pin[0] in tools and pin[0] not in runtime}
    for name, version, _ in pinned_tools:
        assert version == floor_of(tools[name]), name
    assert pins - pinned_tools == floors


def test_every_imported_distribution_is_declared() -> None:
    modules: set[str] = set()
    for path in (ROOT / "src" / "tiime").rglob("*.py"):
        modules |= runtime_imports(ast.parse(path.read_text(encoding="utf-8")))
    third_party = modules - set(sys.stdlib_module_names) - {"tiime"}
    assert third_party - provided_modules({r.name for r in declared()}) == set()


def test_development_tools_are_not_a_published_extra() -> None:
    assert "dev" not in PROJECT["optional-dependencies"]
