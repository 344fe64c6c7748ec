"""Benchmark: the SDK against raw httpx + json.loads, on a loopback server with 10,000 clients.

    make bench                      # or: .venv/bin/python benchmarks/bench_clients.py
    .venv/bin/python benchmarks/bench_clients.py --clients 10000 --rounds 30

A server process on 127.0.0.1 answers the token endpoint, the clients list (10,000
clients of realistic size, the fields of the API reference with the list-only ones) and
one client. The same ``httpx.Client`` settings (one keep-alive connection) are used by
both sides. Printed: the median time of each, and the ratios SDK / raw. Also printed,
to show why the models are msgspec structs: decoding the same list body with
``json.loads``, with msgspec into the typed models, and with pydantic v2 (if installed).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import multiprocessing
import random
import statistics
import sys
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx
from _loopback import free_port, timed

from tiime import TiimeClient
from tiime._response import decoder_for
from tiime.types import Client

CITIES = [
    ("Paris", "75001"),
    ("Lyon", "69002"),
    ("Marseille", "13001"),
    ("Bordeaux", "33000"),
    ("Lille", "59000"),
    ("Toulouse", "31000"),
    ("Nantes", "44000"),
    ("Strasbourg", "67000"),
]
WORDS = ["Société", "Boulangerie", "Atelier", "Café", "Garage", "Cabinet", "Studio", "Maison"]


def make_client(i: int, rng: random.Random) -> dict[str, Any]:
    city, postal = rng.choice(CITIES)
    siren = f"{rng.randrange(10**8, 10**9)}"
    name = f"{rng.choice(WORDS)} {rng.choice(['Dupont', 'Martin', 'Hélène', 'Léon'])} {i}"
    archived = rng.random() < 0.1
    return {
        "id": 100000 + i,
        "name": name,
        "slug": name.lower().replace(" ", "-"),
        "address": f"{rng.randrange(1, 200)} rue de la République",
        "address_complement": None,
        "postal_code": postal,
        "city": city,
        "country": {"id": 75, "name": "France", "code": "FR"},
        "country_code": "FR",
        "email": f"contact{i}@exemple.fr" if rng.random() < 0.8 else None,
        "phone": "+33 1 23 45 67 89",
        "siren_or_siret": siren + "00010",
        "siret": siren + "00010",
        "siren": siren,
        "intracom_vat_number": f"FR{rng.randrange(10, 99)}{siren}",
        "archived": archived,
        "archived_at": "2026-01-31 10:00:00" if archived else None,
        "professional": True,
        "color": "#FFC681",
        "acronym": name[:2].upper(),
        "note": None,
        "bic": None,
        "iban": None,
        "invoicing_use_email": False,
        "payment_status": rng.choice(["paid", "pending", "late"]),
        "balance_including_taxes": round(rng.uniform(0, 5000), 2),
        "billed_including_taxes": round(rng.uniform(0, 50000), 2),
        "billed_excluding_taxes": round(rng.uniform(0, 40000), 2),
    }


def serve(port: int, count: int, ready: Any) -> None:
    rng = random.Random(42)
    clients = [make_client(i, rng) for i in range(count)]
    list_body = json.dumps(clients).encode()
    one_body = json.dumps({k: v for k, v in clients[0].items() if k != "payment_status"}).encode()
    token_body = json.dumps({"access_token": "x.y.z", "expires_in": 7200}).encode()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def _send(self, body: bytes, content_type: str = "application/json") -> None:
            # One write for head and body: separate writes meet delayed ACKs (40 ms stalls).
            head = (
                f"HTTP/1.1 200 OK\r\nContent-Type: {content_type}\r\n"
                f"Content-Length: {len(body)}\r\n\r\n"
            ).encode()
            self.wfile.write(head + body)

        def do_POST(self) -> None:
            self.rfile.read(int(self.headers.get("Content-Length", 0)))
            self._send(token_body)

        def do_GET(self) -> None:
            if self.path.startswith("/v1/companies/1/clients/"):
                self._send(one_body)
            else:
                self._send(list_body, "application/vnd.tiime.timeline.v2+json")

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    ready.set()
    server.serve_forever()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--get-rounds", type=int, default=2000)
    args = parser.parse_args()

    port = free_port()
    ready = multiprocessing.Event()
    proc = multiprocessing.Process(target=serve, args=(port, args.clients, ready), daemon=True)
    proc.start()
    ready.wait(30)
    base = f"http://127.0.0.1:{port}"
    try:
        run(base, args)
    finally:
        proc.terminate()


def run(base: str, args: argparse.Namespace) -> None:
    headers = {
        "Authorization": "Bearer x.y.z",
        "tiime-app": "tiime",
        "tiime-app-version": "4.30.3",
        "tiime-app-platform": "cli",
    }
    list_headers = {
        **headers,
        "Accept": "application/vnd.tiime.timeline.v2+json",
        "Range": "items=0-*",
    }
    raw = httpx.Client()
    sdk = TiimeClient(
        company_id=1,
        access_token="x.y.z",
        base_url=f"{base}/v1",
        auth_url=f"{base}/oauth/token",
    )
    list_url = f"{base}/v1/companies/1/clients"
    one_url = f"{base}/v1/companies/1/clients/100000"
    assert len(sdk.clients.list()) == args.clients

    results: dict[str, list[float]] = {}
    # Interleave the two sides round by round so that drift of the machine hits both.
    for _ in range(3):
        for name, fn, rounds in (
            (
                "raw list",
                lambda: json.loads(raw.get(list_url, headers=list_headers).content),
                args.rounds,
            ),
            ("sdk list", lambda: sdk.clients.list(), args.rounds),
            (
                "raw get",
                lambda: json.loads(raw.get(one_url, headers=headers).content),
                args.get_rounds,
            ),
            ("sdk get", lambda: sdk.clients.get(100000), args.get_rounds),
        ):
            results.setdefault(name, []).extend(timed(fn, rounds // 3 or 1))

    body = raw.get(list_url, headers=list_headers).content
    decode: dict[str, Callable[[], object]] = {
        "json.loads": lambda: json.loads(body),
        "msgspec -> Client": lambda: decoder_for(list[Client]).decode(body),
    }
    with contextlib.suppress(ImportError):
        decode["pydantic v2 -> model"] = pydantic_decoder(body)

    med = {name: statistics.median(ts) for name, ts in results.items()}
    print(
        f"Python {sys.version.split()[0]}, httpx {httpx.__version__}, {args.clients} clients, "
        f"list body {len(body) / 1e6:.1f} MB"
    )
    for name, value in med.items():
        print(
            f"  {name:<9} median {value * 1000:8.2f} ms   (min {min(results[name]) * 1000:.2f} ms)"
        )
    print(f"  list ratio sdk/raw: {med['sdk list'] / med['raw list']:.2f}   (target <= 0.80)")
    print(f"  get  ratio sdk/raw: {med['sdk get'] / med['raw get']:.2f}   (target <= 1.10)")
    print("Decoding the list body alone (median of 15):")
    for name, fn in decode.items():
        print(f"  {name:<22} {statistics.median(timed(fn, 15)) * 1000:8.2f} ms")
    sdk.close()
    raw.close()


def pydantic_decoder(body: bytes) -> Callable[[], object]:
    from datetime import datetime
    from decimal import Decimal

    import pydantic

    class PCountry(pydantic.BaseModel):
        model_config = pydantic.ConfigDict(extra="allow")
        id: int | None = None
        name: str | None = None
        code: str | None = None

    fields: dict[str, Any] = dict.fromkeys(Client.__struct_fields__, (str | None, None))
    fields.update(
        id=(int | None, None),
        country=(PCountry | None, None),
        archived=(bool | None, None),
        professional=(bool | None, None),
        invoicing_use_email=(bool | None, None),
        archived_at=(datetime | None, None),
        balance_including_taxes=(Decimal | None, None),
        billed_including_taxes=(Decimal | None, None),
        billed_excluding_taxes=(Decimal | None, None),
    )
    model = pydantic.create_model(
        "PClient", __config__=pydantic.ConfigDict(extra="allow"), **fields
    )
    adapter = pydantic.TypeAdapter(list[model])  # type: ignore[valid-type]
    return lambda: adapter.validate_json(body)


if __name__ == "__main__":
    main()
