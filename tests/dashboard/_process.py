"""``tiime dashboard`` run as a user runs it: a process, its printed URL, Ctrl-C to stop."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
from collections.abc import Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit


@dataclass
class Running:
    url: str  # the printed URL, with the token
    root: str  # http://127.0.0.1:PORT
    token: str
    process: subprocess.Popen[str]
    err: str = ""  # what it wrote on stderr, once stopped
    first_line: str = ""  # what it printed first: "Tiime dashboard on URL"


def clean_env(**given: str) -> dict[str, str]:
    """The environment without the developer's TIIME_* variables nor a desktop, in English
    whatever the machine's locale, plus ``given``."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("TIIME_") and key not in {"DISPLAY", "WAYLAND_DISPLAY"}
    }
    env["TIIME_LANG"] = "en"
    env.update(given)
    return env


@contextmanager
def dashboard(args: list[str], env: Mapping[str, str]) -> Iterator[Running]:
    """Run ``tiime ARGS`` (a dashboard), yield once its URL is printed, then Ctrl-C it.

    On leaving, asserts that it stopped on Ctrl-C with status 0 and no traceback.
    """
    process = subprocess.Popen(
        [sys.executable, "-m", "tiime.cli", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=dict(env),
    )
    running = None
    try:
        assert process.stdout is not None
        with ThreadPoolExecutor(1) as pool:
            first = pool.submit(process.stdout.readline).result(timeout=60)
        # "Tiime dashboard on URL" (or in the language asked: "Tableau de bord Tiime sur URL")
        printed = re.search(r" (http://127\.0\.0\.1:[0-9]+/\S*)$", first.rstrip("\n"))
        assert printed, first
        url = printed.group(1)
        parts = urlsplit(url)
        running = Running(
            url=url,
            root=f"{parts.scheme}://{parts.netloc}",
            token=parse_qs(parts.query)["token"][0],
            process=process,
            first_line=first.rstrip("\n"),
        )
        yield running
    finally:
        process.send_signal(signal.SIGINT)  # Ctrl-C
        try:
            _, err = process.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.communicate()
            raise AssertionError("tiime dashboard did not stop on Ctrl-C") from None
        if running is not None:
            running.err = err
    assert process.returncode == 0, err
    assert "Traceback" not in err, err
