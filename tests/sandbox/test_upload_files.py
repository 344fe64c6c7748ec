"""Temporary upload files: those a crash left are deleted when a sandbox starts, those of
an upload another process is receiving are not."""

from __future__ import annotations

import os
import socket
import time
from pathlib import Path

import pytest

from tiime.sandbox import Sandbox

fcntl = pytest.importorskip("fcntl", reason="flock: POSIX only (Windows refuses deletes)")

PATIENCE = 20.0


def _files(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + ".files")


def _locked_temporary(files: Path) -> Path:
    """The temporary file of the upload in progress, once its sandbox has locked it."""
    give_up = time.monotonic() + PATIENCE
    while time.monotonic() < give_up:
        for temporary in files.glob(".upload-*"):
            with open(temporary, "rb") as probe:
                try:
                    fcntl.flock(probe.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                except BlockingIOError:
                    return temporary
        time.sleep(0.02)
    raise AssertionError("no locked temporary file")


def test_temporary_files_left_by_a_crash_are_deleted_at_start(tmp_path: Path) -> None:
    db_path = tmp_path / "sandbox.db"
    with Sandbox(db_path, clients=0):
        pass
    files = _files(db_path)
    files.mkdir(mode=0o700, exist_ok=True)
    orphans = [files / f".upload-crash{n}" for n in range(3)]
    for orphan in orphans:
        orphan.write_bytes(b"x" * 100_000)
    busy = files / ".upload-busy"
    busy.write_bytes(b"y")
    kept = files / ("0" * 32)
    kept.write_bytes(b"a kept file")

    with open(busy, "rb") as receiving:  # as another process receiving an upload does
        fcntl.flock(receiving.fileno(), fcntl.LOCK_EX)
        with Sandbox(db_path, clients=0):
            assert [orphan.exists() for orphan in orphans] == [False] * 3
            assert busy.exists()
    assert kept.read_bytes() == b"a kept file"


def test_an_upload_in_progress_survives_another_sandbox_starting(tmp_path: Path) -> None:
    db_path = tmp_path / "sandbox.db"
    boundary = "b0undary"
    part = (
        f"--{boundary}\r\n"
        'Content-Disposition: form-data; name="file"; filename="long.pdf"\r\n'
        "Content-Type: application/pdf\r\n\r\n%PDF-1.4 "
    ).encode()
    with Sandbox(db_path, clients=0, body_timeout=PATIENCE) as receiving:
        head = (
            f"POST /v1/companies/{receiving.company_id}/documents HTTP/1.1\r\n"
            f"Host: 127.0.0.1:{receiving.port}\r\n"
            f"Authorization: Bearer {receiving.issue_token()}\r\n"
            f"Content-Type: multipart/form-data; boundary={boundary}\r\n"
            "Content-Length: 100000\r\n\r\n"
        ).encode()
        with socket.create_connection(("127.0.0.1", receiving.port), timeout=PATIENCE) as sock:
            sock.sendall(head + part + b"z" * 1000)
            temporary = _locked_temporary(_files(db_path))

            with Sandbox(db_path, clients=0):
                assert temporary.exists()
        # Cut short: its own sandbox removes it.
        give_up = time.monotonic() + PATIENCE
        while temporary.exists():
            assert time.monotonic() < give_up
            time.sleep(0.02)
    assert os.listdir(_files(db_path)) == []
