"""The bulk upload's ledger and report lines (``tiime documents upload DIR|FILES...``)."""

from __future__ import annotations

import json
import os
import tempfile
from datetime import date
from pathlib import Path
from typing import Any

from .._file_lock import locked
from ..types._base import Model

__all__ = ["UploadLedger", "UploadRow"]


class UploadRow(Model, kw_only=True):
    """A line of the bulk upload's report: ``status`` is ``uploaded``, ``already
    uploaded`` (an earlier run), ``duplicate`` (same content as another file of this
    run), ``skipped`` (unsupported: ``error`` says why), ``failed``, ``unknown`` (the
    answer was lost: it may have been made, and is not sent again) or ``unknown before``."""

    path: str
    status: str
    document_id: int | None = None
    sha256: str | None = None
    error: str | None = None


class UploadLedger:
    """What was uploaded, by content hash, per service and company, in ``uploads.json`` of
    the config directory, changed under its lock (as the logins' file): an upload is
    claimed (``pending``) before it is sent, then given its document id, or released when
    refused; a ``pending`` one whose answer was lost stays (no second upload)."""

    def __init__(self, path: Path, scope: str) -> None:
        self.path, self.scope = path, scope

    def _read(self) -> dict[str, Any]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return data.get("uploads", {}) if isinstance(data, dict) else {}

    def _write(self, everything: dict[str, Any]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd, tmp = tempfile.mkstemp(prefix=".uploads-", dir=self.path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump({"version": 1, "uploads": everything}, handle, indent=1)
            os.replace(tmp, self.path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    def known(self) -> dict[str, dict[str, Any]]:
        entries = self._read().get(self.scope)
        return entries if isinstance(entries, dict) else {}

    def _change(self, sha: str, entry: dict[str, Any] | None, *, only_new: bool = False) -> bool:
        with locked(self.path):
            everything = self._read()
            mine = everything.setdefault(self.scope, {})
            if only_new and sha in mine:
                return False
            if entry is None:
                mine.pop(sha, None)
            else:
                mine[sha] = entry
            self._write(everything)
            return True

    def claim(self, sha: str, name: str, day: date) -> bool:
        return self._change(
            sha, {"state": "pending", "name": name, "date": day.isoformat()}, only_new=True
        )

    def done(self, sha: str, name: str, day: date, document_id: int) -> None:
        self._change(
            sha,
            {"state": "sent", "name": name, "date": day.isoformat(), "document_id": document_id},
        )

    def release(self, sha: str) -> None:
        self._change(sha, None)
