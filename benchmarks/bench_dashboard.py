"""Benchmark: `tiime dashboard` on a company of 10,000 invoices and 10,000 transactions.

    make bench                     # or: .venv/bin/python benchmarks/bench_dashboard.py
    .venv/bin/python benchmarks/bench_dashboard.py --invoices 10000 --transactions 10000

A sandbox seeded with that company runs in a process of its own; `tiime dashboard` runs as
a user runs it (a process pointed at the sandbox by TIIME_BASE_URL...). Printed, one run
each (after one warm-up request that logs in):

* the server's time to answer the overview and the yearly review (every page of every
  listing fetched, the figures computed), against the time the SDK takes to list the same
  data in this process (``list()`` of each listing, one after the other): the ratio says
  what the dashboard adds to the listing it cannot avoid;
* the dashboard process's memory: resident set before the first request and its peak
  (VmHWM) after both;
* with Chromium and Playwright installed, the time from navigation to the overview's
  figures and charts shown (the page's ``dashboard-ready`` mark), in headless Chromium.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

from tiime import TiimeClient


def run_sandbox(db_path: str, sizes: dict[str, int], urls: Any, stop: Any) -> None:
    """The sandbox, seeded, in a process of its own (the dashboard's GIL is its own)."""
    from tiime.sandbox import Sandbox

    with Sandbox(db_path=Path(db_path), sizes=sizes) as sandbox:
        urls.put((sandbox.base_url, sandbox.auth_url, sandbox.email, sandbox.password))
        stop.wait()


def memory_kib(pid: int) -> dict[str, int]:
    """VmRSS and VmHWM (peak) of a process, in KiB (Linux)."""
    found = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        name, _, value = line.partition(":")
        if name in ("VmRSS", "VmHWM"):
            found[name] = int(value.split()[0])
    return found


def timed(fn: Any) -> tuple[float, Any]:
    began = time.perf_counter()
    value = fn()
    return time.perf_counter() - began, value


def first_paint(url: str) -> float | None:
    """Milliseconds from navigation to the overview's figures and charts, or None."""
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return None
    if chromium is None:
        return None
    flags = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
    flags += ["--disable-component-update", "--disable-sync", "--no-first-run"]
    with (
        tempfile.TemporaryDirectory() as profile,
        sync_playwright() as playwright,
    ):
        context = playwright.chromium.launch_persistent_context(
            profile, executable_path=chromium, headless=True, args=flags
        )
        page = context.new_page()
        page.goto(url)
        page.wait_for_selector("body[data-state=ready]", timeout=300_000)
        mark = page.evaluate("() => performance.getEntriesByName('dashboard-ready')[0].startTime")
        context.close()
        return float(mark)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--invoices", type=int, default=10_000)
    parser.add_argument("--transactions", type=int, default=10_000)
    options = parser.parse_args()
    sizes = {"invoices": options.invoices, "bank_transactions": options.transactions}
    with tempfile.TemporaryDirectory() as folder:
        urls: Any = multiprocessing.Queue()
        stop = multiprocessing.Event()
        server = multiprocessing.Process(
            target=run_sandbox, args=(str(Path(folder) / "sandbox.db"), sizes, urls, stop)
        )
        server.start()
        dashboard = None
        try:
            base_url, auth_url, email, password = urls.get(timeout=600)
            env = {
                **{k: v for k, v in os.environ.items() if not k.startswith("TIIME_")},
                "TIIME_CONFIG_DIR": folder,
                "TIIME_BASE_URL": base_url,
                "TIIME_AUTH_URL": auth_url,
                "TIIME_EMAIL": email,
                "TIIME_PASSWORD": password,
                "TIIME_COMPANY_ID": "12345",
            }
            dashboard = subprocess.Popen(
                [sys.executable, "-m", "tiime.cli", "dashboard", "--no-open", "--port", "0"],
                stdout=subprocess.PIPE,
                text=True,
                env=env,
            )
            assert dashboard.stdout is not None
            url = dashboard.stdout.readline().split(" on ", 1)[1].strip()
            root = url.split("/?", 1)[0]
            idle = memory_kib(dashboard.pid)
            rows = []
            with httpx.Client(base_url=root, timeout=600) as http:
                http.get(url)  # the token for the cookie
                http.get("/api/companies")  # warm-up: the dashboard logs in
                overview_s, overview = timed(lambda: http.get("/api/company/12345/overview"))
                review_s, review = timed(lambda: http.get("/api/company/12345/wrapped"))
            assert overview.status_code == 200, overview.text
            assert review.status_code == 200, review.text
            counted = overview.json()["global"]
            assert counted["total_invoices"] == options.invoices, counted["total_invoices"]
            assert counted["total_transactions"] == options.transactions
            peak = memory_kib(dashboard.pid)

            with TiimeClient(
                base_url=base_url,
                auth_url=auth_url,
                email=email,
                password=password,
                company_id=12345,
            ) as sdk:
                sdk.list_companies()  # log in
                invoices_s, _ = timed(sdk.invoices.list)
                transactions_s, _ = timed(sdk.bank_transactions.list)
                others_s, _ = timed(
                    lambda: (
                        sdk.bank_accounts.list(enabled=True),
                        sdk.quotations.list(),
                        sdk.clients.list(),
                        sdk.bank_transactions.unimputed(),
                    )
                )
            listing_overview = invoices_s + transactions_s + others_s
            listing_review = invoices_s + transactions_s
            paint = first_paint(url.replace("token=", "company=12345&token="))
            what = f"{options.invoices:,} invoices, {options.transactions:,} transactions"
            rows.append(
                (
                    f"overview of {what}: server / SDK list() of the same",
                    f"{overview_s / listing_overview:.2f} ({overview_s * 1000:.0f} ms vs "
                    f"{listing_overview * 1000:.0f} ms)",
                )
            )
            rows.append(
                (
                    f"yearly review of {what}: server / SDK list() of the same",
                    f"{review_s / listing_review:.2f} ({review_s * 1000:.0f} ms vs "
                    f"{listing_review * 1000:.0f} ms)",
                )
            )
            rows.append(
                (
                    "dashboard process memory: idle RSS, peak after both",
                    f"{idle['VmRSS'] / 1024:.0f} MiB, {peak['VmHWM'] / 1024:.0f} MiB",
                )
            )
            rows.append(
                (
                    "headless Chromium: navigation to figures and charts shown (overview)",
                    "skipped (no Chromium or Playwright)"
                    if paint is None
                    else f"{paint / 1000:.2f} s",
                )
            )
        finally:
            if dashboard is not None:
                dashboard.send_signal(signal.SIGINT)
                dashboard.wait(30)
            stop.set()
            server.join(30)
    width = max(len(name) for name, _ in rows)
    print("bench_dashboard (one run each)")
    for name, value in rows:
        print(f"  {name:<{width}}  {value}")


if __name__ == "__main__":
    main()
