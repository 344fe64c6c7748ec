"""The Range / Content-Range pagination of list answers (see tiime.sandbox.ranges)."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from tiime.sandbox import Sandbox
from tiime.sandbox.kernel.paging import RangeError, RequestedRange, page_for, parse_range

TOTAL = 36


def _get(http: httpx.Client, url: str, auth: dict[str, str], range_: str) -> httpx.Response:
    return http.get(url, headers={**auth, "Range": range_})


@pytest.mark.parametrize(
    ("range_", "status", "content_range", "count"),
    [
        ("items=0-9", 206, "items 0-9/36", 10),
        ("items=0-0", 206, "items 0-0/36", 1),
        ("items=10-19", 206, "items 10-19/36", 10),
        ("items=30-35", 200, "items 30-35/36", 6),
        ("items=30-99", 200, "items 30-35/36", 6),
        ("items=0-35", 200, "items 0-35/36", 36),
        ("items=0-*", 200, "items 0-35/36", 36),
        ("items=10-*", 200, "items 10-35/36", 26),
        ("items=35-35", 200, "items 35-35/36", 1),
        ("items=36-*", 200, "items */36", 0),
        ("items=100-199", 200, "items */36", 0),
        ("items=99999999999999999999-*", 200, "items */36", 0),
        ("items=0-99999999999999999999", 200, "items 0-35/36", 36),
        ("items = 0 - 9", 206, "items 0-9/36", 10),
    ],
)
def test_range_answers(
    http: httpx.Client,
    clients_url: str,
    auth: dict[str, str],
    range_: str,
    status: int,
    content_range: str,
    count: int,
) -> None:
    response = _get(http, clients_url, auth, range_)

    assert response.status_code == status
    assert response.headers["content-range"] == content_range
    assert len(response.json()) == count


def test_range_window_matches_the_full_list(
    http: httpx.Client, clients_url: str, auth: dict[str, str]
) -> None:
    everything = http.get(clients_url, headers=auth).json()

    window = _get(http, clients_url, auth, "items=5-14").json()

    assert window == everything[5:15]


def test_no_range_header_answers_everything(
    http: httpx.Client, clients_url: str, auth: dict[str, str]
) -> None:
    response = http.get(clients_url, headers=auth)

    assert response.status_code == 200
    assert response.headers["content-range"] == "items 0-35/36"
    assert len(response.json()) == TOTAL


@pytest.mark.parametrize(
    "range_", ["bytes=0-5", "items=abc", "items=5-2", "items=-5", "items=0", "items=", "0-9", ""]
)
def test_malformed_range_is_not_satisfiable(
    http: httpx.Client, clients_url: str, auth: dict[str, str], range_: str
) -> None:
    response = _get(http, clients_url, auth, range_)

    assert response.status_code == 416
    assert response.headers["content-range"] == "items */36"
    body = response.json()
    assert body["error"] == 416
    assert body["error_code"] == "range_not_satisfiable"


def test_total_counts_the_filtered_list(
    http: httpx.Client, clients_url: str, auth: dict[str, str]
) -> None:
    archived = http.get(clients_url, headers=auth, params={"archived": "true"}).json()

    response = http.get(
        clients_url, headers={**auth, "Range": "items=0-0"}, params={"archived": "true"}
    )

    assert response.headers["content-range"] == f"items 0-0/{len(archived)}"


def test_empty_list_with_a_range(
    http: httpx.Client, clients_url: str, auth: dict[str, str]
) -> None:
    response = http.get(
        clients_url, headers={**auth, "Range": "items=0-*"}, params={"search": "zzz-none"}
    )

    assert response.status_code == 200
    assert response.headers["content-range"] == "items */0"
    assert response.json() == []


def _pages(
    http: httpx.Client, url: str, auth: dict[str, str], size: int | None
) -> Iterator[httpx.Response]:
    """Walk a list the way an SDK iterator would, stopping on 200 or an empty page."""
    start = 0
    while True:
        end = "*" if size is None else str(start + size - 1)
        response = _get(http, url, auth, f"items={start}-{end}")
        yield response
        items = response.json()
        if response.status_code == 200 or not items:
            return
        start += len(items)


@pytest.mark.parametrize("size", [1, 7, 10, 12, 36, 50])
def test_walking_pages_yields_every_item_once(
    http: httpx.Client, clients_url: str, auth: dict[str, str], size: int
) -> None:
    ids = [item["id"] for page in _pages(http, clients_url, auth, size) for item in page.json()]

    assert len(ids) == TOTAL
    assert len(set(ids)) == TOTAL
    assert ids == sorted(ids)


def test_server_page_cap_makes_partial_answers(http: httpx.Client) -> None:
    with Sandbox(clients=25, max_page_size=10) as sb:
        auth = {"Authorization": f"Bearer {sb.issue_token()}"}
        url = f"{sb.base_url}/companies/{sb.company_id}/clients"

        pages = list(_pages(http, url, auth, None))

        assert [page.status_code for page in pages] == [206, 206, 200]
        assert [page.headers["content-range"] for page in pages] == [
            "items 0-9/25",
            "items 10-19/25",
            "items 20-24/25",
        ]
        assert len({item["id"] for page in pages for item in page.json()}) == 25
        # Without a Range header the whole list still comes back.
        assert len(http.get(url, headers=auth).json()) == 25


def test_contacts_and_companies_follow_the_same_rules(
    demo: Sandbox, http: httpx.Client, clients_url: str, auth: dict[str, str]
) -> None:
    first = http.get(clients_url, headers=auth).json()[0]
    contacts_url = f"{clients_url}/{first['id']}/contacts"
    contacts = http.get(contacts_url, headers=auth).json()
    assert len(contacts) > 1

    response = _get(http, contacts_url, auth, "items=0-0")

    assert response.status_code == 206
    assert response.headers["content-range"] == f"items 0-0/{len(contacts)}"
    assert _get(http, f"{demo.base_url}/companies", auth, "bytes=1-2").status_code == 416


class TestParsing:
    """The Range rules without HTTP."""

    def test_parse(self) -> None:
        assert parse_range(None) is None
        assert parse_range("items=0-99") == RequestedRange(0, 99)
        assert parse_range("ITEMS=3-*") == RequestedRange(3, None)
        with pytest.raises(RangeError):
            parse_range("items=9-3")

    @pytest.mark.parametrize(
        ("requested", "total", "cap", "expected"),
        [
            (None, 5, None, (0, None, 200, "items 0-4/5")),
            (None, 0, None, (0, None, 200, "items */0")),
            (RequestedRange(0, 99), 5, None, (0, 5, 200, "items 0-4/5")),
            (RequestedRange(0, 1), 5, None, (0, 2, 206, "items 0-1/5")),
            (RequestedRange(0, None), 5, 2, (0, 2, 206, "items 0-1/5")),
            (RequestedRange(4, None), 5, 2, (4, 1, 200, "items 4-4/5")),
            (RequestedRange(5, 9), 5, None, (5, 0, 200, "items */5")),
        ],
    )
    def test_page_for(
        self,
        requested: RequestedRange | None,
        total: int,
        cap: int | None,
        expected: tuple[int, int | None, int, str],
    ) -> None:
        page = page_for(requested, total, cap)
        returned = total - page.offset if page.limit is None else page.limit

        assert (page.offset, page.limit, page.status(returned), page.content_range(returned)) == (
            expected
        )
