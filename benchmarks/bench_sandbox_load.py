"""The sandbox under abuse, on loopback, bounded in time and count.

1. Authenticated GETs per second while 8 threads send wrong passwords for 5 s (and, for
   comparison, with nobody attacking). Wrong logins are hashed off the event loop and
   limited per e-mail and per address, so reads go on being served.
2. 2,000 connections each sending half a request: how many the server still holds after
   1 s and after 12 s (its header-read timeout is 10 s), and whether a healthy request is
   served meanwhile.

    .venv/bin/python benchmarks/bench_sandbox_load.py
"""

from __future__ import annotations

import socket
import threading
import time

import httpx

from tiime import _constants as C
from tiime.sandbox import Sandbox

DURATION = 5.0
ATTACKERS = 8
HALF_SENT = 2_000


def reads_per_second(sb: Sandbox, attackers: int) -> tuple[float, dict[int, int]]:
    stop = time.monotonic() + DURATION
    statuses: dict[int, int] = {}
    lock = threading.Lock()
    gets = 0

    def attack(n: int) -> None:
        with httpx.Client(timeout=30) as http:
            i = 0
            while time.monotonic() < stop:
                answer = http.post(
                    sb.auth_url,
                    json={
                        "grant_type": "password",
                        "client_id": C.AUTH0_CLIENT_ID,
                        "username": f"x{n}-{i}@tiime.test",
                        "password": "wrong",
                    },
                )
                with lock:
                    statuses[answer.status_code] = statuses.get(answer.status_code, 0) + 1
                i += 1

    def read() -> None:
        nonlocal gets
        headers = {"Authorization": f"Bearer {sb.issue_token()}"}
        with httpx.Client(timeout=30, headers=headers) as http:
            while time.monotonic() < stop:
                if http.get(f"{sb.base_url}/users/me").status_code == 200:
                    gets += 1

    threads = [threading.Thread(target=attack, args=(n,)) for n in range(attackers)]
    threads.append(threading.Thread(target=read))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return gets / DURATION, statuses


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


def main() -> None:
    with Sandbox() as sb:
        quiet, _ = reads_per_second(sb, 0)
    with Sandbox() as sb:
        flooded, statuses = reads_per_second(sb, ATTACKERS)
    print(f"Authenticated GETs per second ({DURATION:g} s each):")
    print(f"  nobody attacking                         {quiet:7.0f}/s")
    print(
        f"  {ATTACKERS} threads sending wrong passwords        {flooded:7.0f}/s"
        f"   (login answers: {dict(sorted(statuses.items()))})"
    )
    print(f"{HALF_SENT:,} connections sending half a request:")
    with Sandbox(clients=1) as sb:
        half_sent(sb)


if __name__ == "__main__":
    main()
