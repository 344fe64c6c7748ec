"""The sandbox under abuse, on loopback, bounded in time and count.

1. Authenticated GETs per second while 8 threads send wrong passwords for 5 s (and, for
   comparison, with nobody attacking). Wrong logins are hashed off the event loop and
   limited per e-mail and per address, so reads go on being served.
2. 2,000 connections each sending half a request: how many the server still holds after
   1 s and after 12 s (its header-read timeout is 10 s), and whether a healthy request is
   served meanwhile.
3. 520 connections each trickling a request body, one byte every 2 s, for 25 s (one the
   server closes is opened again): healthy GETs per second meanwhile (each on a new
   connection), how many fail, how many trickling connections were opened and how many
   the server still holds at the end (and, for comparison, GETs per second with nobody
   trickling).

    .venv/bin/python benchmarks/bench_sandbox_load.py [--slow-bodies]
"""

from __future__ import annotations

import contextlib
import json
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
from _loopback import free_port

from tiime import _constants as C
from tiime.sandbox import Sandbox
from tiime.sandbox.seeding import DEMO_EMAIL, DEMO_PASSWORD

CLIENT = Path(__file__).with_name("_load_client.py")

DURATION = 5.0
ATTACKERS = 8
HALF_SENT = 2_000
TRICKLING = 520
TRICKLE_EVERY = 2.0
TRICKLE_FOR = 25.0


def reads_per_second(port: int, connections: int, attackers: int) -> tuple[float, dict[str, int]]:
    """Authenticated GETs per second on ``connections`` keep-alive connections, from a
    process of their own, while ``attackers`` threads of a third one send wrong passwords
    (none: nobody attacking); and the count of each login answer's status."""
    command = [sys.executable, str(CLIENT)]
    seconds = str(DURATION)
    reader = subprocess.Popen(
        [*command, "read", str(port), str(connections), seconds, _login(port)],
        stdout=subprocess.PIPE,
    )
    attack = None
    if attackers:
        attack = subprocess.Popen(
            [*command, "attack", str(port), str(attackers), seconds], stdout=subprocess.PIPE
        )
    read = json.loads(reader.communicate()[0])
    statuses = json.loads(attack.communicate()[0]) if attack else {}
    return read["gets"] / DURATION, statuses


def _login(port: int) -> str:
    """An access token of the demo user (before any attacker: they share its address)."""
    body = {
        "grant_type": "password",
        "client_id": C.AUTH0_CLIENT_ID,
        "username": DEMO_EMAIL,
        "password": DEMO_PASSWORD,
    }
    answer = httpx.post(f"http://127.0.0.1:{port}/oauth/token", json=body)
    return str(answer.raise_for_status().json()["access_token"])


@contextlib.contextmanager
def served() -> Iterator[int]:
    """``python -m tiime.sandbox`` on a free port over a new database: its port."""
    port = free_port()
    with tempfile.TemporaryDirectory() as folder:
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "tiime.sandbox",
                "--port",
                str(port),
                "--db",
                str(Path(folder) / "sandbox.db"),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            deadline = time.monotonic() + 60
            while True:
                with contextlib.suppress(OSError):
                    socket.create_connection(("127.0.0.1", port), timeout=1).close()
                    break
                if time.monotonic() > deadline or server.poll() is not None:
                    raise SystemExit("the sandbox did not start")
                time.sleep(0.1)
            yield port
        finally:
            server.terminate()
            server.wait()


def held(socks: list[socket.socket]) -> int:
    count = 0
    for sock in socks:
        sock.setblocking(False)
        try:
            if sock.recv(1, socket.MSG_PEEK):
                count += 1
        except BlockingIOError:
            count += 1  # open, nothing to read: still held
        except OSError:
            pass
    return count


def half_sent(sb: Sandbox) -> None:
    socks = []
    try:
        for _ in range(HALF_SENT):
            sock = socket.create_connection(("127.0.0.1", sb.port))
            sock.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n")
            socks.append(sock)
        time.sleep(1)
        started = time.perf_counter()
        try:
            healthy = str(httpx.get(f"{sb.url}/", timeout=15).status_code)
        except httpx.HTTPError as exc:
            healthy = type(exc).__name__
        took = time.perf_counter() - started
        print(
            f"  after 1 s: {held(socks):,} of {HALF_SENT:,} held; a healthy GET: {healthy}"
            f" in {took:.2f} s"
        )
        time.sleep(11)
        print(f"  after 12 s: {held(socks):,} held")
    finally:
        for sock in socks:
            sock.close()


def _still_open(sock: socket.socket) -> bool:
    """Whether the server still holds ``sock`` without having answered on it."""
    sock.setblocking(False)
    try:
        sock.recv(1, socket.MSG_PEEK)  # an answer, or the end of the connection
    except BlockingIOError:
        return True  # open, nothing to read
    except OSError:
        return False
    return False


def healthy_gets(sb: Sandbox, stop: float) -> tuple[int, int]:
    """GET / on a new connection each, until ``stop``: (served, failed)."""
    served = failed = 0
    limits = httpx.Limits(max_keepalive_connections=0)
    with httpx.Client(timeout=5, limits=limits) as http:
        while time.monotonic() < stop:
            try:
                ok = http.get(f"{sb.url}/").status_code == 200
            except httpx.HTTPError:
                ok = False
            served += ok
            failed += not ok
    return served, failed


def slow_bodies(sb: Sandbox, clients: int) -> tuple[float, int, int, int]:
    """``clients`` connections trickling a body for :data:`TRICKLE_FOR` seconds (one
    closed by the server is opened again, as an attacker would), and a healthy client
    meanwhile: (its GETs per second, its failures, trickling connections opened, those
    still held at the end)."""
    head = (
        f"POST /oauth/token HTTP/1.1\r\nHost: 127.0.0.1:{sb.port}\r\n"
        "Content-Type: application/json\r\nContent-Length: 100000\r\n\r\n{"
    ).encode()
    opened = 0

    def connect() -> socket.socket:
        nonlocal opened
        sock = socket.create_connection(("127.0.0.1", sb.port))
        sock.sendall(head)
        opened += 1
        return sock

    socks = [connect() for _ in range(clients)]
    try:
        stop = time.monotonic() + TRICKLE_FOR
        done = threading.Event()

        def trickle() -> None:
            while not done.wait(TRICKLE_EVERY):
                for position, sock in enumerate(socks):
                    try:
                        sock.send(b" ")
                    except OSError:
                        sock.close()
                        with contextlib.suppress(OSError):
                            socks[position] = connect()

        trickler = threading.Thread(target=trickle)
        trickler.start()
        try:
            served, failed = healthy_gets(sb, stop)
        finally:
            done.set()
            trickler.join()
        still = sum(_still_open(sock) for sock in socks)
        return served / TRICKLE_FOR, failed, opened, still
    finally:
        for sock in socks:
            sock.close()


def main() -> None:
    if "--slow-bodies" not in sys.argv[1:]:
        load()
    with Sandbox(clients=1) as sb:
        alone = healthy_gets(sb, time.monotonic() + DURATION)[0] / DURATION
        rate, failed, opened, still = slow_bodies(sb, TRICKLING)
    print(f"{TRICKLING} connections trickling a body (1 byte every {TRICKLE_EVERY:g} s):")
    print(f"  healthy GET / (new connection each), nobody trickling  {alone:7.0f}/s")
    print(
        f"  healthy GET / while they trickle ({TRICKLE_FOR:g} s)         {rate:7.0f}/s"
        f"   ({failed:,} failed)"
    )
    print(f"  trickling connections opened {opened:,}; held at the end {still:,}")


def load() -> None:
    print(
        f"Authenticated GETs per second ({DURATION:g} s each; the sandbox, the readers and"
        " the attackers: three processes):"
    )
    for connections in (1, 8):
        with served() as port:
            quiet, _ = reads_per_second(port, connections, 0)
        with served() as port:
            flooded, statuses = reads_per_second(port, connections, ATTACKERS)
        print(f"  {connections} connection(s), nobody attacking              {quiet:7.0f}/s")
        print(
            f"  {connections} connection(s), {ATTACKERS} threads sending wrong passwords"
            f" {flooded:7.0f}/s ({flooded / quiet:.0%})"
            f"   (login answers: {dict(sorted(statuses.items()))})"
        )
    print(f"{HALF_SENT:,} connections sending half a request:")
    with Sandbox(clients=1) as sb:
        half_sent(sb)


if __name__ == "__main__":
    main()
