"""The sandbox's documents: list, search, upload (streamed, limited), download, categories."""

from __future__ import annotations

import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tiime.sandbox import Sandbox
from tiime.sandbox.filetypes import (
    content_disposition,
    download_name,
    sniff,
    tiny_pdf,
    tiny_png,
)
from tiime.sandbox.resources.documents import CATEGORIES

from .conftest import password_grant

DOCUMENTS_V2 = "application/vnd.tiime.documents.v2+json"
DOCUMENTS_V3 = "application/vnd.tiime.documents.v3+json"
PDF = b"%PDF-1.7\n" + bytes(range(256)) * 100


def login(sb: Sandbox, http: httpx.Client) -> dict[str, str]:
    token = http.post(sb.auth_url, json=password_grant(sb)).json()["access_token"]
    return {"Authorization": f"Bearer {token}"}


def upload(
    http: httpx.Client, url: str, auth: dict[str, str], name: str, content: Any, **fields: str
) -> httpx.Response:
    files: list[Any] = [("file", (name, content, "application/octet-stream"))]
    files += [(key, (None, value)) for key, value in fields.items()]
    return http.post(url, headers=auth, files=files)


@pytest.fixture(scope="module")
def own() -> Iterator[Sandbox]:
    """A sandbox of this module's own: uploads here leave the shared one's counts alone."""
    with Sandbox() as sb:
        yield sb


@pytest.fixture(scope="module")
def own_auth(own: Sandbox) -> dict[str, str]:
    with httpx.Client() as http:
        return login(own, http)


@pytest.fixture(scope="module")
def url(own: Sandbox) -> str:
    return f"{own.base_url}/companies/{own.company_id}/documents"


# -- the list and the search ---------------------------------------------------------------


def test_seeded_list_newest_first_paged(demo: Sandbox, http: httpx.Client, auth: Any) -> None:
    url = f"{demo.base_url}/companies/{demo.company_id}/documents"
    first = http.get(url, headers={**auth, "Range": "items=0-9", "Accept": DOCUMENTS_V2})

    assert first.status_code == 206
    assert first.headers["content-type"] == DOCUMENTS_V2
    assert first.headers["content-range"] == "items 0-9/60"
    everything = http.get(url, headers=auth).json()
    assert [d["id"] for d in everything[:10]] == [d["id"] for d in first.json()]
    dates = [d["created_at"] for d in everything]
    assert dates == sorted(dates, reverse=True)
    suppliers = {d["metadata"]["supplier_name"] for d in everything}
    assert {"SNCF", "Amazon", "Orange", "Total Énergies"} <= suppliers
    document = everything[0]
    assert set(document) >= {"id", "name", "type", "source", "mime_type", "created_at"}
    assert set(document["metadata"]) == {"date", "amount", "supplier_name"}


def test_the_seed_is_deterministic(demo: Sandbox, http: httpx.Client, auth: Any) -> None:
    with Sandbox() as other:
        theirs = http.get(
            f"{other.base_url}/companies/{other.company_id}/documents", headers=login(other, http)
        ).json()
    ours = http.get(f"{demo.base_url}/companies/{demo.company_id}/documents", headers=auth).json()
    assert ours == theirs


def test_filters_and_sorts(demo: Sandbox, http: httpx.Client, auth: Any) -> None:
    url = f"{demo.base_url}/companies/{demo.company_id}/documents"
    params = {"sorts": "metadata.amount:asc", "types": "receipt,invoice", "accountable": "true"}
    found = http.get(url, headers=auth, params=params).json()

    assert found
    assert all(d["type"] in ("receipt", "invoice") and d["accountable"] for d in found)
    amounts = [d["metadata"]["amount"] for d in found if d["metadata"]["amount"] is not None]
    assert amounts == sorted(amounts)
    by_source = http.get(url, headers=auth, params={"source": "email"}).json()
    assert by_source
    assert {d["source"] for d in by_source} == {"email"}


@pytest.mark.parametrize(
    "params", [{"sorts": "size:desc"}, {"sorts": "created_at:up"}, {"accountable": "oui"}]
)
def test_bad_parameters_are_refused(
    demo: Sandbox, http: httpx.Client, auth: Any, params: dict[str, str]
) -> None:
    url = f"{demo.base_url}/companies/{demo.company_id}/documents"
    response = http.get(url, headers=auth, params=params)
    assert response.status_code == 400
    assert response.json()["error_code"] == "bad_request"


@pytest.mark.parametrize("query", ["énergies", "ENERGIES", "total energ", "TOTAL-ENERGIES"])
def test_matchable_search_ignores_accents_and_case(
    demo: Sandbox, http: httpx.Client, auth: Any, query: str
) -> None:
    url = f"{demo.base_url}/companies/{demo.company_id}/documents"
    response = http.get(
        url, headers={**auth, "Accept": DOCUMENTS_V3}, params={"matchable": "true", "q": query}
    )

    assert response.status_code == 200
    assert response.headers["content-type"] == DOCUMENTS_V3
    found = response.json()
    assert found
    for document in found:
        assert isinstance(document["metadata"], list)
        names = [m["supplier_name"] for m in document["metadata"]]
        assert names == ["Total Énergies"] or "total-energies" in document["name"]


def test_matchable_search_pages(demo: Sandbox, http: httpx.Client, auth: Any) -> None:
    url = f"{demo.base_url}/companies/{demo.company_id}/documents"
    params = {"matchable": "true", "q": "a"}
    everything = http.get(url, headers=auth, params=params).json()
    first = http.get(url, headers={**auth, "Range": "items=0-1"}, params=params)
    assert first.status_code == 206
    assert first.json() == everything[:2]


# -- upload and download -------------------------------------------------------------------


def test_upload_then_download_gives_the_same_bytes(
    own: Sandbox, own_auth: Any, url: str, http: httpx.Client
) -> None:
    created = upload(http, url, own_auth, "Reçu café été.pdf", PDF, type="invoice")

    assert created.status_code == 201
    document = created.json()
    assert created.headers["location"].endswith(f"/documents/{document['id']}")
    assert document["name"] == "Reçu café été.pdf"
    assert (document["type"], document["source"]) == ("invoice", "upload")
    assert (document["mime_type"], document["file_family"]) == ("application/pdf", "pdf")
    download = http.get(
        f"{url}/{document['id']}/download", headers={**own_auth, "Accept-Encoding": "gzip"}
    )
    assert download.status_code == 200
    assert download.content == PDF
    assert download.headers["content-type"] == "application/pdf"
    assert download.headers.get("content-encoding") in (None, "identity")
    assert download.headers["content-disposition"] == (
        'attachment; filename="Re_u caf_ _t_.pdf"; '
        "filename*=UTF-8''Re%C3%A7u%20caf%C3%A9%20%C3%A9t%C3%A9.pdf"
    )
    listed = http.get(url, headers={**own_auth, "Range": "items=0-0"}).json()
    assert listed[0]["id"] == document["id"]


def test_the_type_is_told_from_the_content_not_the_name(
    own_auth: Any, url: str, http: httpx.Client
) -> None:
    png = tiny_png(3)
    document = upload(http, url, own_auth, "scan.pdf", png).json()

    assert (document["mime_type"], document["file_family"]) == ("image/png", "image")
    assert document["type"] == "receipt"
    download = http.get(f"{url}/{document['id']}/download", headers=own_auth)
    assert download.headers["content-type"] == "image/png"
    assert download.content == png
    # The name keeps what was uploaded; the download's says what the file is.
    assert document["name"] == "scan.pdf"
    assert download.headers["content-disposition"] == 'attachment; filename="scan.png"'
    assert download.headers["x-content-type-options"] == "nosniff"


def test_a_download_is_never_sniffed_and_its_name_agrees_with_its_type(
    demo: Sandbox, own_auth: Any, url: str, http: httpx.Client, auth: Any
) -> None:
    uploaded = upload(http, url, own_auth, "photo.png", PDF).json()
    seeded = http.get(f"{demo.base_url}/companies/{demo.company_id}/documents", headers=auth)
    seeded_id = seeded.json()[0]["id"]

    download = http.get(f"{url}/{uploaded['id']}/download", headers=own_auth)
    seed_download = http.get(
        f"{demo.base_url}/companies/{demo.company_id}/documents/{seeded_id}/download",
        headers=auth,
    )

    assert download.headers["content-type"] == "application/pdf"
    assert download.headers["content-disposition"] == 'attachment; filename="photo.pdf"'
    for response in (download, seed_download):
        assert response.headers["x-content-type-options"] == "nosniff"


def test_uploaded_files_are_private(
    own: Sandbox, own_auth: Any, url: str, http: httpx.Client
) -> None:
    upload(http, url, own_auth, "prive.pdf", PDF)
    directory = own.db_path.with_name(own.db_path.name + ".files")

    assert stat.S_IMODE(directory.stat().st_mode) == 0o700
    files = list(directory.iterdir())
    assert files
    assert all(stat.S_IMODE(f.stat().st_mode) == 0o600 for f in files)
    assert not [f for f in files if f.name.startswith(".upload-")]


def chunked_upload(
    http: httpx.Client, url: str, auth: dict[str, str], chunks: list[bytes]
) -> httpx.Response:
    """A multipart upload sent chunked, without Content-Length."""
    boundary = "limite-de-test"

    def body() -> Iterator[bytes]:
        yield (
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; '
            f'filename="gros.bin"\r\nContent-Type: application/octet-stream\r\n\r\n'
        ).encode()
        yield from chunks
        yield f"\r\n--{boundary}--\r\n".encode()

    headers = {**auth, "Content-Type": f"multipart/form-data; boundary={boundary}"}
    return http.post(url, headers=headers, content=body())


def test_a_streamed_upload_without_length(own_auth: Any, url: str, http: httpx.Client) -> None:
    """A chunked body (no Content-Length) of several megabytes arrives whole."""
    chunk = bytes(range(256)) * 4096  # 1 MiB

    created = chunked_upload(http, url, own_auth, [chunk] * 8)

    assert created.status_code == 201, created.text
    document = created.json()
    assert document["mime_type"] == "application/octet-stream"
    download = http.get(f"{url}/{document['id']}/download", headers=own_auth)
    assert download.content == chunk * 8


@pytest.mark.parametrize(
    ("files", "field"),
    [
        ([("type", (None, "receipt"))], "file"),
        ([("file", ("", b"abc", "application/octet-stream"))], "file"),
        ([("file", ("vide.pdf", b"", "application/octet-stream"))], "file"),
        ([("file", ("a.pdf", PDF, "application/pdf")), ("type", (None, "inconnu"))], "type"),
    ],
)
def test_bad_uploads_get_422(
    own_auth: Any, url: str, http: httpx.Client, files: Any, field: str
) -> None:
    response = http.post(url, headers=own_auth, files=files)
    assert response.status_code == 422
    assert field in response.json()["errors"]


@pytest.mark.parametrize(
    ("content_type", "body"),
    [
        ("application/json", b'{"name": "x"}'),
        ("multipart/form-data", b"--x\r\n"),
        ("multipart/form-data; boundary=x", b"--x\r\nContent-Disposition: form-data; name="),
        (
            "multipart/form-data; boundary=x",
            b'--x\r\nContent-Disposition: form-data; name="file"; filename="a"\r\n\r\nabc',
        ),
    ],
)
def test_malformed_bodies_get_400(
    own: Sandbox, own_auth: Any, url: str, http: httpx.Client, content_type: str, body: bytes
) -> None:
    _assert_400(own, own_auth, url, http, content_type, body)


_WHOLE = (
    b'--x\r\nContent-Disposition: form-data; name="file"; filename="a.pdf"\r\n\r\n'
    + PDF
    + b"\r\n--x--"
)


@pytest.mark.parametrize(
    "after",
    [
        b"\r\nGARBAGE",
        b"GARBAGE",
        b'\r\n--x\r\nContent-Disposition: form-data; name="type"\r\n\r\ninvoice\r\n--x--\r\n',
        b"\r\n\r\n  \x00",
    ],
    ids=["a line", "glued", "another part", "a NUL after blanks"],
)
def test_bytes_after_the_closing_boundary_get_400(
    own: Sandbox, own_auth: Any, url: str, http: httpx.Client, after: bytes
) -> None:
    content_type = "multipart/form-data; boundary=x"
    count = "SELECT COUNT(*) FROM documents"
    before = own.db.scalar(count)
    _assert_400(own, own_auth, url, http, content_type, _WHOLE + after)
    # Sent chunked, the closing boundary cut in two and the rest in chunks of its own.
    cut = len(_WHOLE) - 4
    chunks = [_WHOLE[:cut], _WHOLE[cut:], after[:3], after[3:]]
    _assert_400(own, own_auth, url, http, content_type, iter(chunks))
    assert own.db.scalar(count) == before


def test_blank_lines_after_the_closing_boundary_are_fine(
    own_auth: Any, url: str, http: httpx.Client
) -> None:
    headers = {**own_auth, "Content-Type": "multipart/form-data; boundary=x"}
    for body in (_WHOLE, _WHOLE + b"\r\n", _WHOLE + b" \r\n\r\n"):
        response = http.post(url, headers=headers, content=body)
        assert response.status_code == 201, response.text


def _assert_400(
    own: Sandbox, own_auth: Any, url: str, http: httpx.Client, content_type: str, body: Any
) -> None:
    response = http.post(url, headers={**own_auth, "Content-Type": content_type}, content=body)
    assert response.status_code == 400
    assert response.json()["error_code"] == "bad_request"
    directory = own.db_path.with_name(own.db_path.name + ".files")
    left = list(directory.iterdir()) if directory.is_dir() else []  # none yet when run alone
    assert not [f for f in left if f.name.startswith(".upload-")]


def test_uploads_over_the_limit_get_413(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, http: httpx.Client
) -> None:
    monkeypatch.setenv("TIIME_SANDBOX_MAX_UPLOAD", "1000")
    with Sandbox(db_path=tmp_path / "sandbox.db") as sb:
        auth = login(sb, http)
        url = f"{sb.base_url}/companies/{sb.company_id}/documents"
        declared = upload(http, url, auth, "gros.pdf", b"%PDF" + b"x" * 70_000)
        streamed = chunked_upload(http, url, auth, [b"%PDF", b"x" * 600, b"x" * 600])
        fits = upload(http, url, auth, "petit.pdf", b"%PDF" + b"x" * 996)
        files = list((tmp_path / "sandbox.db.files").iterdir())

    for response in (declared, streamed):
        assert response.status_code == 413
        assert response.json()["error_code"] == "payload_too_large"
        assert "1000 octets" in response.json()["error_description"]
    assert fits.status_code == 201
    assert len(files) == 1  # the one that fits; nothing left of the others


def test_an_upload_survives_a_restart(tmp_path: Path, http: httpx.Client) -> None:
    db_path = tmp_path / "sandbox.db"
    with Sandbox(db_path=db_path) as first:
        auth = login(first, http)
        url = f"{first.base_url}/companies/{first.company_id}/documents"
        created = upload(http, url, auth, "durable.pdf", PDF).json()
    with Sandbox(db_path=db_path) as second:
        url = f"{second.base_url}/companies/{second.company_id}/documents"
        download = http.get(f"{url}/{created['id']}/download", headers=auth)
    assert download.content == PDF


def test_a_reset_forgets_the_old_files(tmp_path: Path, http: httpx.Client) -> None:
    db_path = tmp_path / "sandbox.db"
    with Sandbox(db_path=db_path) as first:
        url = f"{first.base_url}/companies/{first.company_id}/documents"
        upload(http, url, login(first, http), "ancien.pdf", PDF)
    with Sandbox(db_path=db_path, reset=True):
        assert list((tmp_path / "sandbox.db.files").iterdir()) == []


def test_seeded_documents_download_as_real_files(
    demo: Sandbox, http: httpx.Client, auth: Any
) -> None:
    url = f"{demo.base_url}/companies/{demo.company_id}/documents"
    everything = http.get(url, headers=auth).json()
    for document in everything[:6]:
        download = http.get(f"{url}/{document['id']}/download", headers=auth)
        assert download.status_code == 200
        assert download.headers["content-type"] == document["mime_type"]
        assert sniff(download.content) == document["mime_type"]
        assert document["name"] in download.headers["content-disposition"]


def test_another_company_s_document_is_not_found(
    demo: Sandbox, http: httpx.Client, auth: Any, other_company: int
) -> None:
    mine = http.get(f"{demo.base_url}/companies/{demo.company_id}/documents", headers=auth).json()[
        0
    ]
    other = login_other(demo, http)
    response = http.get(
        f"{demo.base_url}/companies/{other_company}/documents/{mine['id']}/download",
        headers=other,
    )
    assert response.status_code == 404
    unknown = http.get(
        f"{demo.base_url}/companies/{demo.company_id}/documents/999999999/preview", headers=auth
    )
    assert unknown.status_code == 404


def login_other(sb: Sandbox, http: httpx.Client) -> dict[str, str]:
    from .conftest import OTHER_EMAIL, OTHER_PASSWORD

    grant = password_grant(sb, username=OTHER_EMAIL, password=OTHER_PASSWORD)
    return {"Authorization": f"Bearer {http.post(sb.auth_url, json=grant).json()['access_token']}"}


def test_preview(demo: Sandbox, http: httpx.Client, auth: Any) -> None:
    url = f"{demo.base_url}/companies/{demo.company_id}/documents"
    document = http.get(url, headers=auth).json()[0]
    preview = http.get(f"{url}/{document['id']}/preview", headers=auth).json()
    assert preview["document_id"] == document["id"]
    assert preview["preview_available"] is document["preview_available"] is True
    assert preview["pages"][0]["url"].endswith(f"/documents/{document['id']}/download")


def test_categories_count_the_documents(demo: Sandbox, http: httpx.Client, auth: Any) -> None:
    base = f"{demo.base_url}/companies/{demo.company_id}"
    response = http.get(f"{base}/document_categories", headers={**auth, "Accept": DOCUMENTS_V3})
    assert response.headers["content-type"] == DOCUMENTS_V3
    categories = response.json()
    documents = http.get(f"{base}/documents", headers=auth).json()
    for category in categories:
        assert set(category) == {"id", "name", "code", "count", "identifier", "owner", "editable"}
        expected = sum(d["type"] == category["identifier"] for d in documents)
        assert category["count"] == expected
    assert any(c["editable"] and c["owner"] == "company" for c in categories)


# -- file types ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("head", "media_type"),
    [
        (tiny_pdf(["Bonjour"]), "application/pdf"),
        (tiny_png(1), "image/png"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "image/jpeg"),
        (b"GIF89a\x01\x00", "image/gif"),
        (b"RIFF\x24\x00\x00\x00WEBPVP8 ", "image/webp"),
        (b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00", "image/heic"),
        (
            b"PK\x03\x04" + b"\x00" * 26 + b"[Content_Types].xml word/document.xml",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        (
            b"PK\x03\x04" + b"\x00" * 26 + b"xl/workbook.xml",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
        (b"PK\x03\x04" + b"\x00" * 26 + b"photos/a.jpg", "application/zip"),
        ("Reçu n° 12 : 45,00 €\n".encode(), "text/plain"),
        (b"\x00\x01\x02binary", "application/octet-stream"),
        (b"", "application/octet-stream"),
    ],
)
def test_sniff(head: bytes, media_type: str) -> None:
    assert sniff(head) == media_type


@pytest.mark.parametrize(
    ("name", "header"),
    [
        ("facture.pdf", 'attachment; filename="facture.pdf"'),
        ('a"b.pdf', "attachment; filename=\"a_b.pdf\"; filename*=UTF-8''a%22b.pdf"),
        ("été.png", "attachment; filename=\"_t_.png\"; filename*=UTF-8''%C3%A9t%C3%A9.png"),
    ],
)
def test_content_disposition(name: str, header: str) -> None:
    assert content_disposition(name) == header


@pytest.mark.parametrize(
    ("name", "media_type", "expected"),
    [
        ("facture.pdf", "application/pdf", "facture.pdf"),
        ("FACTURE.PDF", "application/pdf", "FACTURE.PDF"),
        ("photo.png", "application/pdf", "photo.pdf"),
        ("scan.pdf", "image/jpeg", "scan.jpg"),
        ("photo.jpeg", "image/jpeg", "photo.jpeg"),
        ("facture", "application/pdf", "facture.pdf"),
        ("facture.", "application/pdf", "facture.pdf"),
        ("rapport.v2", "application/pdf", "rapport.v2.pdf"),
        ("page.html", "text/plain", "page.txt"),
        ("image.svg", "text/plain", "image.txt"),
        ("export.csv", "text/plain", "export.csv"),
        ("tableur.xlsx", "application/zip", "tableur.zip"),
        ("inconnu.png", "application/octet-stream", "inconnu.png"),
        (".pdf", "image/png", ".pdf.png"),
    ],
)
def test_download_name(name: str, media_type: str, expected: str) -> None:
    assert download_name(name, media_type) == expected


# -- every company has its categories ------------------------------------------------------


def _receipt_upload(sb: Sandbox, http: httpx.Client, company_id: int, auth: Any) -> httpx.Response:
    url = f"{sb.base_url}/companies/{company_id}/documents"
    return upload(http, url, auth, "ticket.pdf", PDF)


def _identifiers(sb: Sandbox, company_id: int) -> list[str]:
    return [
        row["identifier"]
        for row in sb.db.all(
            "SELECT identifier FROM document_categories WHERE company_id = ? ORDER BY id",
            (company_id,),
        )
    ]


def test_an_empty_seed_takes_receipts(tmp_path: Path, http: httpx.Client) -> None:
    with Sandbox(db_path=tmp_path / "empty.db", seed="empty") as sb:
        created = _receipt_upload(sb, http, sb.company_id, login(sb, http))
        categories = http.get(
            f"{sb.base_url}/companies/{sb.company_id}/document_categories",
            headers=login(sb, http),
        ).json()

    assert created.status_code == 201, created.text
    assert created.json()["type"] == "receipt"
    assert [c["identifier"] for c in categories][:2] == ["receipt", "invoice"]
    assert next(c for c in categories if c["identifier"] == "receipt")["count"] == 1


def test_companies_added_later_take_receipts(tmp_path: Path, http: httpx.Client) -> None:
    from tiime.sandbox.resources import companies

    with Sandbox(db_path=tmp_path / "added.db", seed="empty") as sb:
        own = sb.add_user("nouveau@tiime.test", "mot-de-passe-nouveau", "Nouvelle SARL")
        second = sb.add_company("nouveau@tiime.test", "Deuxième SAS")
        bare = companies.create_company(sb.db, "Sans membre")
        grant = password_grant(sb, username="nouveau@tiime.test", password="mot-de-passe-nouveau")
        token = http.post(sb.auth_url, json=grant).json()["access_token"]
        auth = {"Authorization": f"Bearer {token}"}
        answers = [_receipt_upload(sb, http, company, auth) for company in (own, second)]
        identifiers = [_identifiers(sb, company) for company in (own, second, bare)]

    assert [answer.status_code for answer in answers] == [201, 201], answers[0].text
    expected = [identifier for identifier, *_ in CATEGORIES]
    assert identifiers == [expected] * 3
