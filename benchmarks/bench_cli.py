"""Benchmark: the `tiime` command against a bare httpx script, on one loopback sandbox.

    make bench                      # or: .venv/bin/python benchmarks/bench_cli.py --runs 15

One sandbox process on 127.0.0.1 holds 10,000 clients. The command line logs in from a
stored login (a token in a temporary TIIME_CONFIG_DIR), as after `tiime auth login`: no
password grant per run. Every command is a whole process, its output sent to /dev/null;
the pairs are alternated run by run so that drift of the machine hits both sides. Printed,
all measured in this one run (medians):

* `tiime clients list --format json` vs a bare script doing `httpx.get(...)` of the same
  listing and writing `response.text` (target: at most 1.2x);
* `tiime clients get ID --format json` vs the same script fetching one client (<= 1.2x);
* `tiime clients list --format table` (10,000 rows) vs the JSON listing (<= 2x);
* the peak RSS the JSON listing adds over the same command listing one client (the
  interpreter and its imports), vs the size of the answer (target: under 2x); the bare
  script's figure (the listing vs one client) is shown beside it.

Then, on a second sandbox holding 10,000 invoices and 100,000 bank transactions:

* `tiime invoices list` as a table 80 columns wide (``COLUMNS=80``, through the pager's
  code path: ``--no-pager``) vs the JSON listing (target: at most 1.5x);
* `tiime bank transactions --format xlsx --output FILE` (100,000 rows): its time, and
  the peak RSS it adds over the same command writing one row (target: under 50 MB);
* `tiime --help` and `tiime invoices --help` vs `python -c pass` (target: at most 3x).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from _bytecode import compile_project

SERVER = """
import json, sys, time
from tiime.sandbox import Sandbox
sizes = json.loads(sys.argv[3]) if len(sys.argv) > 3 else None
sb = Sandbox(db_path=sys.argv[1], clients=int(sys.argv[2]), sizes=sizes, token_ttl=24 * 3600)
sb.start()
print(sb.base_url, sb.auth_url, sb.company_id, sb.issue_token(), flush=True)
sys.stdin.read()  # until the benchmark closes the pipe
sb.stop()
"""

BARE = """
import sys, httpx
url, token = sys.argv[1], sys.argv[2]
headers = {"Authorization": "Bearer " + token, "Accept": "application/vnd.tiime.timeline.v2+json",
           "Range": "items=0-*", "tiime-app": "tiime", "tiime-app-platform": "cli"}
response = httpx.get(url, headers=headers)
response.raise_for_status()
sys.stdout.write(response.text)
"""

# The peak RSS of a command, measured by a small process of its own: a child forked from
# this (larger) process would count this process's pages in its peak.
PEAK_RSS = """
import os, subprocess, sys
child = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL)
_, status, usage = os.wait4(child.pid, 0)
sys.exit(f"exit {status}") if status else print(usage.ru_maxrss * 1024)
"""


def run(cmd: list[str], env: dict[str, str]) -> tuple[float, int]:
    """Wall time (s) and exit code of one run of ``cmd``; a failure stops the benchmark."""
    start = time.perf_counter()
    completed = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    elapsed = time.perf_counter() - start
    if completed.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed: {completed.stderr.decode()}")
    return elapsed, completed.returncode


def peak_rss(cmd: list[str], env: dict[str, str]) -> int:
    """The peak resident memory of one run of ``cmd``, in bytes."""
    out = subprocess.run(
        [sys.executable, "-c", PEAK_RSS, *cmd], env=env, capture_output=True, check=True
    ).stdout
    return int(out)


def pairs(a: list[str], b: list[str], env: dict[str, str], runs: int) -> list[tuple[float, float]]:
    run(a, env), run(b, env)  # warm-up: the file cache, the server's
    return [(run(a, env)[0], run(b, env)[0]) for _ in range(runs)]


def show(label: str, timings: list[tuple[float, float]], other: str, target: float) -> float:
    ratio = statistics.median(a / b for a, b in timings)
    first = statistics.median(a for a, _ in timings) * 1000
    second = statistics.median(b for _, b in timings) * 1000
    verdict = "ok" if ratio <= target else "MISSED"
    print(
        f"  {label:<34} {first:7.1f} ms   {other:<22} {second:7.1f} ms"
        f"   ratio {ratio:4.2f} (target <= {target}) {verdict}"
    )
    return ratio


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15, help="runs of each (default: 15)")
    parser.add_argument("--clients", type=int, default=10_000, help="(default: 10000)")
    parser.add_argument("--invoices", type=int, default=10_000, help="(default: 10000)")
    parser.add_argument(
        "--transactions", type=int, default=100_000, help="for xlsx (default: 100000)"
    )
    parser.add_argument("--only-output", action="store_true", help="the output figures only")
    args = parser.parse_args()
    compile_project()
    exe = shutil.which("tiime", path=os.path.dirname(sys.executable)) or "tiime"

    if not args.only_output:
        with sandbox(args.clients, None) as (env, base_url, company, token):
            measure(exe, env, base_url, company, token, args.runs)
    sizes = {"invoices": args.invoices, "bank_transactions": args.transactions}
    with sandbox(1, sizes) as (env, _, _, _):
        measure_output(exe, env, args.runs)


@contextlib.contextmanager
def sandbox(
    clients: int, sizes: dict[str, int] | None
) -> Iterator[tuple[dict[str, str], str, int, str]]:
    """A sandbox process on loopback and a stored login to it: (env, base URL, company, token)."""
    with tempfile.TemporaryDirectory() as tmp:
        server = subprocess.Popen(
            [
                sys.executable,
                "-c",
                SERVER,
                str(Path(tmp) / "bench.db"),
                str(clients),
                json.dumps(sizes),
            ],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        try:
            assert server.stdout is not None
            base_url, auth_url, company, token = server.stdout.readline().split()
            env = {k: v for k, v in os.environ.items() if not k.startswith("TIIME_")}
            env["TIIME_CONFIG_DIR"] = str(Path(tmp) / "config")
            env["TIIME_BASE_URL"] = base_url
            store_login(env, base_url, auth_url, int(company), token)
            yield env, base_url, int(company), token
        finally:
            assert server.stdin is not None
            server.stdin.close()
            server.wait(timeout=30)


def measure_output(exe: str, env: dict[str, str], runs: int) -> None:
    """Tables at 80 columns, xlsx of many transactions, and --help's start-up."""
    table_env = {**env, "COLUMNS": "80"}
    cli_json = [exe, "invoices", "list", "--format", "json"]
    cli_table = [exe, "invoices", "list", "--format", "table", "--no-pager"]
    print(f"Output: {runs} runs each after one warm-up")
    show(
        "tiime invoices list (table, 80 col)",
        pairs(cli_table, cli_json, table_env, runs),
        "the JSON listing",
        1.5,
    )
    with tempfile.TemporaryDirectory() as tmp:
        book = str(Path(tmp) / "transactions.xlsx")
        xlsx = [exe, "bank", "transactions", "--format", "xlsx", "--output", book]
        one = [*xlsx, "--limit", "1"]
        seconds = statistics.median(run(xlsx, env)[0] for _ in range(3))
        rows = len(
            json.loads(
                subprocess.run(
                    [exe, "bank", "transactions", "--format", "json", "--columns", "id"],
                    env=env,
                    capture_output=True,
                    check=True,
                ).stdout
            )
        )
        size = os.path.getsize(book)
        peak = statistics.median(peak_rss(xlsx, env) for _ in range(3))
        base = statistics.median(peak_rss(one, env) for _ in range(3))
    growth = (peak - base) / 1e6
    print(
        f"  tiime bank transactions --format xlsx: {rows:,} rows in {seconds:.1f} s "
        f"({size / 1e6:.1f} MB); memory growth over one row {growth:.1f} MB "
        f"(target < 50) {'ok' if growth < 50 else 'MISSED'}"
    )
    bare = [sys.executable, "-c", "pass"]
    for command in ([exe, "--help"], [exe, "invoices", "--help"]):
        show(
            " ".join(["tiime", *command[1:]]),
            pairs(command, bare, env, runs),
            "python -c pass",
            3.0,
        )


def store_login(
    env: dict[str, str], base_url: str, auth_url: str, company: int, token: str
) -> None:
    """What `tiime auth login` leaves: a token (valid for a day) and the company."""
    code = (
        "import sys, time\n"
        "from tiime._config import StoredLogin, save_login\n"
        "from tiime._secrets import Secret, Token\n"
        "save_login(StoredLogin(sys.argv[1], sys.argv[2], Token(Secret(sys.argv[4]),"
        " expires_at=time.time() + 86400), company_id=int(sys.argv[3])))\n"
    )
    subprocess.run(
        [sys.executable, "-c", code, base_url, auth_url, str(company), token], env=env, check=True
    )


def measure(
    exe: str, env: dict[str, str], base_url: str, company: int, token: str, runs: int
) -> None:
    clients_url = f"{base_url}/companies/{company}/clients"
    listing = subprocess.run(
        [sys.executable, "-c", BARE, clients_url, token], env=env, capture_output=True, check=True
    ).stdout
    first_id = json.loads(listing)[0]["id"]
    size = len(listing)
    print(
        f"Python {sys.version.split()[0]}; {len(json.loads(listing))} clients, answer "
        f"{size / 1e6:.1f} MB; {runs} runs each after one warm-up"
    )

    cli_json = [exe, "clients", "list", "--format", "json"]
    bare_list = [sys.executable, "-c", BARE, clients_url, token]
    show(
        "tiime clients list --format json",
        pairs(cli_json, bare_list, env, runs),
        "bare httpx script",
        1.2,
    )
    cli_get = [exe, "clients", "get", str(first_id), "--format", "json"]
    bare_get = [sys.executable, "-c", BARE, f"{clients_url}/{first_id}", token]
    show("tiime clients get ID", pairs(cli_get, bare_get, env, runs), "bare script, one", 1.2)
    cli_table = [exe, "clients", "list", "--format", "table"]
    show(
        "tiime clients list --format table",
        pairs(cli_table, cli_json, env, runs),
        "the JSON listing",
        2.0,
    )

    cli_one = [exe, "clients", "list", "--format", "json", "--limit", "1"]
    cli_peak = statistics.median(peak_rss(cli_json, env) for _ in range(3))
    cli_base = statistics.median(peak_rss(cli_one, env) for _ in range(3))
    bare_peak = statistics.median(peak_rss(bare_list, env) for _ in range(3))
    bare_base = statistics.median(peak_rss(bare_get, env) for _ in range(3))
    added = (cli_peak - cli_base) / size
    print(
        f"  memory: the JSON listing adds {(cli_peak - cli_base) / 1e6:.1f} MB of RSS "
        f"({cli_peak / 1e6:.0f} MB peak) = {added:.2f}x the answer "
        f"(target < 2) {'ok' if added < 2 else 'MISSED'}; "
        f"the bare script adds {(bare_peak - bare_base) / 1e6:.1f} MB = "
        f"{(bare_peak - bare_base) / size:.2f}x"
    )


if __name__ == "__main__":
    main()
