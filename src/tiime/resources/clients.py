"""Clients (customers): ``companies/{company_id}/clients``."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from .. import _constants as C
from .._exceptions import ValidationError
from .._pagination import RangePager
from .._request import APIRequest, CreatedLookup, Operation
from .._resource import (
    APIResource,
    AsyncAPIResource,
    AsyncRawAPIResource,
    SyncAPIResource,
    SyncRawAPIResource,
    endpoint,
    paginated,
    view,
)
from .._validation import (
    check_bool,
    check_email,
    check_limit,
    check_name,
    check_page_size,
    check_query,
    check_siren_or_siret,
    check_text,
)
from ..types import Client, Contact
from ._created import LOOKBACK, check_since, newest_match, now

__all__ = ["AsyncClients", "Clients"]

# Module-level names, since the `list` method shadows the builtin inside the class.
ClientList = list[Client]
ContactList = list[Contact]

_LIST_HEADERS = {"Accept": C.TIMELINE_V2}
MAX_PAGE_SIZE = 1000


def _bool_word(value: bool) -> str:
    return "true" if value else "false"


# The create's fields a client read back carries under the same name.
_COMPARED = ("name", "email", "phone", "address", "postal_code", "city", "professional")


def matches_client(client: Client, sent: Mapping[str, Any]) -> bool:
    """Whether ``client`` is what the create body ``sent`` makes: the same name, e-mail,
    phone, address, postal code, city, kind and SIREN/SIRET, for those sent."""
    for key in _COMPARED:
        if sent.get(key) is not None and getattr(client, key) != sent[key]:
            return False
    number = sent.get("siren_or_siret")
    return number is None or number in (client.siren_or_siret, client.siret, client.siren)


class _ClientsCalls(APIResource):
    """The clients calls, written once for the sync, async and raw variants."""

    def _listing(self, params: dict[str, str]) -> Any:
        path = self._company_path("clients")

        def request(range_header: str) -> APIRequest[list[Client]]:
            return APIRequest.get(
                path, list[Client], params=params, headers={**_LIST_HEADERS, "Range": range_header}
            )

        return request

    @endpoint
    def list(
        self, *, archived: bool | None = None, limit: int | None = None
    ) -> Operation[list[Client]]:
        """List the company's clients.

        Sends ``GET companies/{cid}/clients`` with ``Range: items=0-*`` and the timeline v2
        media type; ``archived=True`` or ``False`` adds ``?archived=true|false`` (archived
        or active clients only), ``None`` (the default) lists them all. If the server
        answers with a part only (206), the rest is fetched (see :mod:`tiime._pagination`).
        ``limit`` stops after that many clients (``items=0-(limit-1)``). Returns
        ``list[Client]``.
        """
        archived = check_bool(archived, "archived")
        params = {} if archived is None else {"archived": _bool_word(archived)}
        return RangePager(self._listing(params), limit=check_limit(limit))

    @endpoint
    def get(self, client_id: int) -> Operation[Client]:
        """Get one client: ``GET companies/{cid}/clients/{client_id}``. Returns a :class:`Client`.

        Raises :class:`~tiime.NotFoundError` if there is no such client in the company.
        """
        client_id = self._id(client_id, "client_id")
        return APIRequest.get(self._company_path("clients", client_id), Client)

    @endpoint
    def create(
        self,
        *,
        name: str,
        email: str | None = None,
        phone: str | None = None,
        address: str | None = None,
        postal_code: str | None = None,
        city: str | None = None,
        country_id: int | None = None,
        siren_or_siret: str | None = None,
        professional: bool | None = None,
    ) -> Operation[Client]:
        """Create a client: ``POST companies/{cid}/clients``. Returns the new :class:`Client`.

        The body holds the fields given, absent ones left out. ``name`` is required;
        ``email`` must look like an address; ``siren_or_siret`` must be a valid SIREN (9
        digits) or SIRET (14 digits), spaces allowed, and is sent as digits; ``country_id``
        is Tiime's country id (France is 75). Bad input raises
        :class:`~tiime.ValidationError` before anything is sent. A create is never retried
        once it may have reached the server, so a network failure cannot duplicate a client;
        if the answer is lost, :class:`~tiime.AmbiguousWriteError` is raised, whose
        ``find_created()`` tells whether the client was made (see :meth:`find_created`).
        """
        body: dict[str, Any] = {"name": check_name(name, "name")}
        fields: dict[str, Any] = {
            "email": check_email(email),
            "phone": check_text(phone, "phone", one_line=True),
            "address": check_text(address, "address"),
            "postal_code": check_text(postal_code, "postal_code", one_line=True),
            "city": check_text(city, "city", one_line=True),
            "country_id": None if country_id is None else self._id(country_id, "country_id"),
            "siren_or_siret": check_siren_or_siret(siren_or_siret),
            "professional": check_bool(professional, "professional"),
        }
        body.update((key, value) for key, value in fields.items() if value is not None)
        return APIRequest.post(
            self._company_path("clients"), Client, json=body, created=self._created(body)
        )

    @endpoint
    def find_created(self, sent: Mapping[str, Any], *, since: datetime) -> Operation[Client | None]:
        """The client a create made, when its answer was lost
        (:class:`~tiime.AmbiguousWriteError`: ``exc.find_created()`` calls this with
        ``exc.sent`` and ``exc.since``), or ``None`` if there is none.

        Sends ``GET companies/{cid}/clients?search=NAME`` (the name of ``sent``, the
        create body as sent; 100 at most) and returns the newest (highest id) whose
        fields are those sent. A client carries no creation time: one made before the
        call with all the same fields is taken for it (creating it again would make the
        same client twice anyway). ``None``: no such client, the create can be sent again
        (after a timeout, give the server a moment first).
        """
        if not isinstance(sent, Mapping) or not isinstance(sent.get("name"), str):
            raise ValidationError("sent must be the create body (a dict with the name)")
        check_since(since)
        return self._find_created(sent)

    def _find_created(self, sent: Mapping[str, Any]) -> Operation[Client | None]:
        listing = RangePager(self._listing({"search": sent["name"]}), LOOKBACK, limit=LOOKBACK)
        return newest_match(listing, lambda client: matches_client(client, sent))

    def _created(self, body: Mapping[str, Any]) -> CreatedLookup:
        """How to look for the client ``body`` creates, should the answer be lost."""
        return CreatedLookup("client", body, now(), lambda: self._find_created(body))

    @endpoint
    def search(self, query: str, *, limit: int | None = None) -> Operation[ClientList]:
        """Search clients by name: ``GET companies/{cid}/clients?search=QUERY``.

        Sent with ``Range: items=0-*`` and the timeline v2 media type, all pages followed
        (``limit`` bounds them). Returns ``list[Client]``.
        """
        query = check_query(query, "query")
        return RangePager(self._listing({"search": query}), limit=check_limit(limit))

    @endpoint
    def contacts(self, client_id: int) -> Operation[ContactList]:
        """A client's contacts: ``GET companies/{cid}/clients/{client_id}/contacts``."""
        client_id = self._id(client_id, "client_id")
        return APIRequest.get(self._company_path("clients", client_id, "contacts"), ContactList)

    @paginated
    def iter(
        self, *, archived: bool | None = None, page_size: int = 100, limit: int | None = None
    ) -> RangePager[Client]:
        """Iterate over the clients page by page (``Range: items=START-END``).

        Each page asks ``page_size`` clients; iteration follows the server's pages, capped
        or not, until it has no more (see :mod:`tiime._pagination`), never yields the same
        client twice, and stops after ``limit`` clients if given. Memory stays flat however
        many clients there are. Sync: an iterator; async: an async iterator.
        """
        archived = check_bool(archived, "archived")
        page_size = check_page_size(page_size, MAX_PAGE_SIZE)
        params = {} if archived is None else {"archived": _bool_word(archived)}
        return RangePager(self._listing(params), page_size, limit=check_limit(limit))


class ClientsWithRawResponse(_ClientsCalls, SyncRawAPIResource):
    """``client.clients.with_raw_response``."""


class AsyncClientsWithRawResponse(_ClientsCalls, AsyncRawAPIResource):
    """``client.clients.with_raw_response`` of the async client."""


class Clients(_ClientsCalls, SyncAPIResource):
    """``client.clients`` of :class:`~tiime.TiimeClient`."""

    with_raw_response = view(ClientsWithRawResponse)


class AsyncClients(_ClientsCalls, AsyncAPIResource):
    """``client.clients`` of :class:`~tiime.AsyncTiimeClient`: the same calls, awaited."""

    with_raw_response = view(AsyncClientsWithRawResponse)
