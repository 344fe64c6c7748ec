"""``sync(..., files=True)``: documents' files beside the mirror by content hash, fetched
only for new or changed documents, removed with their documents (kept while another row
references them), never left partial under their name, a kill -9 between a file and its
row finished by the next run; the ``file_sha256`` column added in place to an older
mirror."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tiime.sync import canonical_dump, connect, sync
from tiime.sync import schema as S
from tiime.sync.files import file_path, store_of

from .conftest import Counted


def stored(db: Path) -> dict[str, str]:
    """The store's files (path under it: SHA-256 of the content), anything left in it."""
    store = store_of(db)
    return {
        str(p.relative_to(store)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(store.rglob("*"))
        if p.is_file()
    }


def hashes(db: Path) -> dict[int, tuple[str | None, str | None]]:
    with sqlite3.connect(db) as conn:
        found = conn.execute("SELECT id, file_sha256, mime_type FROM documents")
        return {i: (sha, mime) for i, sha, mime in found}


def test_files_stored_by_hash_and_fetched_once(books: Counted, tmp_path: Path) -> None:
    db = tmp_path / "books.sqlite"
    summary = sync(books.client, db, files=True, contacts_per_sync=0)
    documents = books.client.documents.list()
    assert summary.files.fetched == len(documents) > 0
    assert summary.files.written == len(stored(db))
    books.count()
    for document in documents[:5]:  # each file is the document's bytes, named by its hash
        sha, mime = hashes(db)[document.id]
        assert sha is not None
        path = file_path(store_of(db), sha, mime)
        assert path.read_bytes() == books.client.documents.download(document.id)
        assert path.relative_to(store_of(db)).parts[0] == sha[:2]
    assert {p.split("/")[-1].split(".")[0] for p in stored(db)} == set(stored(db).values())
    books.count()
    again = sync(books.client, db, files=True, contacts_per_sync=0)
    with_files = books.count()
    sync(books.client, db, contacts_per_sync=0)
    assert with_files == books.count()  # no download for unchanged documents
    assert again.files.fetched == again.files.written == again.files.deleted == 0
    assert all(sha is not None for sha, _ in hashes(db).values())


def test_changed_and_deleted_documents_files(books: Counted, tmp_path: Path) -> None:
    db = tmp_path / "books.sqlite"
    c = books.client
    same = b"%PDF-1.4\n% the same receipt twice\n%%EOF\n"
    first = c.documents.upload(same, filename="a.pdf")
    second = c.documents.upload(same, filename="b.pdf")
    sync(c, db, files=True, contacts_per_sync=0)
    before = stored(db)
    shared = hashes(db)[first.id][0]
    assert shared == hashes(db)[second.id][0] == hashlib.sha256(same).hexdigest()
    attached = books.sandbox.db.all("SELECT document_id FROM expense_report_documents")
    in_reports = {r["document_id"] for r in attached}  # not to be deleted
    others = [d for d in c.documents.list() if d.id not in (first.id, second.id, *in_reports)]
    gone, changed = others[0], others[1]
    gone_path = file_path(store_of(db), *hashes(db)[gone.id])
    assert gone_path.is_file()
    with books.sandbox.db.transaction() as conn:
        conn.execute("DELETE FROM documents WHERE id IN (?, ?)", (first.id, gone.id))
        conn.execute(
            "UPDATE documents SET supplier_name = 'Autre fournisseur' WHERE id = ?", (changed.id,)
        )
    summary = sync(c, db, files=True, contacts_per_sync=0)
    assert summary.files.fetched == 1  # the changed document's file only
    # the sandbox's file shows the supplier: the changed document has a new file
    assert summary.files.written == 1
    assert summary.files.deleted == 2  # the deleted document's file, the changed one's old
    assert not gone_path.exists()
    assert file_path(store_of(db), shared, "application/pdf").is_file()  # b.pdf still has it
    assert len(stored(db)) == len(before) - 1
    clean = tmp_path / "clean.sqlite"
    sync(c, clean, files=True, contacts_per_sync=0)
    assert canonical_dump(db) == canonical_dump(clean)
    assert stored(db) == stored(clean)


def test_without_files_a_changed_document_loses_its_hash(books: Counted, tmp_path: Path) -> None:
    """Its stored file may be stale: the next ``files`` sync fetches it again."""
    db = tmp_path / "books.sqlite"
    sync(books.client, db, files=True, contacts_per_sync=0)
    changed = books.client.documents.list()[0]
    with books.sandbox.db.transaction() as conn:
        conn.execute("UPDATE documents SET supplier_name = 'Autre' WHERE id = ?", (changed.id,))
    sync(books.client, db, contacts_per_sync=0)
    assert hashes(db)[changed.id][0] is None
    assert sum(sha is None for sha, _ in hashes(db).values()) == 1
    assert sync(books.client, db, files=True, contacts_per_sync=0).files.fetched == 1


_KILLER = """
import os, signal, sys
from tiime import TiimeClient
from tiime.sync import files, sync

where, base_url, auth_url, email, password, company_id, db = sys.argv[1:]
if where == "after_file":  # the file in place, its row not written
    real = files.fetch
    def fetch(*args, **kwargs):
        real(*args, **kwargs)
        os.kill(os.getpid(), signal.SIGKILL)
    files.fetch = fetch
else:  # the file written, not yet renamed to its name
    def replace(*args, **kwargs):
        os.kill(os.getpid(), signal.SIGKILL)
    files.os.replace = replace
with TiimeClient(base_url=base_url, auth_url=auth_url, email=email, password=password,
                 company_id=int(company_id)) as client:
    sync(client, db, files=True)
"""


@pytest.mark.parametrize("where", ["after_file", "before_rename"])
def test_kill_9_between_a_file_and_its_row_then_a_rerun_equals_a_clean_sync(
    books: Counted, tmp_path: Path, where: str
) -> None:
    db = tmp_path / "books.sqlite"
    sb = books.sandbox
    sync(books.client, db)  # the rows first, the files to fetch
    args = [sb.base_url, sb.auth_url, sb.email, sb.password, str(sb.company_id), str(db)]
    killed = subprocess.run(
        [sys.executable, "-c", _KILLER, where, *args], capture_output=True, timeout=120
    )
    assert killed.returncode == -9, killed.stderr
    left = stored(db)
    assert len(left) == 1  # one file, under its hash or as a part
    name, digest = next(iter(left.items()))
    if where == "after_file":
        assert name.split("/")[-1].startswith(digest)
        assert all(sha is None for sha, _ in hashes(db).values())  # its row not written
    else:
        assert name.startswith(".incoming/")
        assert name.endswith(".part")
    sync(books.client, db, files=True)
    clean = tmp_path / "clean.sqlite"
    sync(books.client, clean, files=True)
    assert canonical_dump(db) == canonical_dump(clean)
    assert stored(db) == stored(clean)  # no part left, nothing doubled


def test_an_older_mirror_gets_the_file_column_in_place(books: Counted, tmp_path: Path) -> None:
    db = tmp_path / "books.sqlite"
    old = sqlite3.connect(db, isolation_level=None)
    for statement in S._statements(S.MIGRATIONS[0]):  # a mirror made by the first release
        old.execute(statement)
    old.execute("PRAGMA user_version = 1")
    old.execute(f"INSERT INTO companies (id, company_id) VALUES ({books.sandbox.company_id}, 0)")
    old.execute(
        "INSERT INTO documents (id, company_id, name) VALUES (1, ?, 'gone.pdf')",
        (books.sandbox.company_id,),
    )
    old.close()
    conn = connect(db)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == S.SCHEMA_VERSION == 2
    assert conn.execute("SELECT name, file_sha256 FROM documents").fetchall() == [
        ("gone.pdf", None)
    ]
    conn.close()
    sync(books.client, db, files=True)
    clean = tmp_path / "clean.sqlite"
    sync(books.client, clean, files=True)
    assert canonical_dump(db) == canonical_dump(clean)
    assert os.listdir(store_of(db))
