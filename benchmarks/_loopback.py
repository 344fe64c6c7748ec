"""What the benchmarks share: a free loopback port, and timing a call after a warm-up."""

from __future__ import annotations

import socket
import time
from collections.abc import Callable


def free_port() -> int:
    """A TCP port nothing listens on, on 127.0.0.1."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def timed(fn: Callable[[], object], rounds: int) -> list[float]:
    """The seconds each of ``rounds`` calls took, after one warm-up call (connection open,
    caches filled)."""
    fn()
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return times
