"""The soak (``benchmarks/soak.py``, ``make soak``) at 2,000 calls, and its audit shown to
catch what it exists to catch."""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

from tiime.sandbox import Sandbox
from tiime.sandbox.resources import clients

_PATH = Path(__file__).resolve().parents[2] / "benchmarks" / "soak.py"


@pytest.fixture(scope="module")
def soak() -> ModuleType:
    spec = importlib.util.spec_from_file_location("tiime_soak", _PATH)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def test_soak_at_2000_calls(soak: ModuleType) -> None:
    """2,000 calls (``make soak`` makes 20,000) at 10% chaos: nothing doubled, nothing
    acknowledged lost, only typed errors, every ambiguous outcome resolved truly."""
    report = soak.soak(calls=2000, chaos=0.1, seed=20, time_cap=300.0, workers=8)
    print("\n".join(report.lines()))
    assert report.calls == 2000  # the time cap did not cut it short
    assert sum(report.faults.values()) > 100  # the faults happened
    assert report.audit.writes["ambiguous"] > 0
    assert report.audit.duplicates == 0
    assert report.audit.lost == 0
    assert report.audit.violations == []
    assert not report.untyped
    assert [ledger.crash for ledger in report.ledgers] == [None] * 8
    assert report.ok


@pytest.fixture
def sb() -> Iterator[Sandbox]:
    with Sandbox() as sandbox:
        yield sandbox


def test_the_audit_catches_duplicates_losses_and_false_answers(
    soak: ModuleType, sb: Sandbox
) -> None:
    write, ledger = soak.Write, soak.Ledger()
    for name in ("twice", "twice", "refused yet made", "ambiguous found"):
        clients.insert_client(
            sb.db,
            {
                "company_id": sb.company_id,
                "name": name,
                "slug": "x",
                "color": "#000",
                "acronym": "X",
            },
        )
    ledger.writes = [
        write("create:clients", "twice", outcome="acked", resolved=1),
        write("create:clients", "never made", outcome="acked", resolved=2),
        write("create:clients", "refused yet made", outcome="refused"),
        write("create:clients", "ambiguous found", outcome="ambiguous", resolved=None),
    ]
    audit = soak.audit(sb, [ledger])
    assert audit.duplicates == 1
    assert audit.lost == 1
    assert len(audit.violations) == 3  # lost, refused yet made, the lookup's false "None"
