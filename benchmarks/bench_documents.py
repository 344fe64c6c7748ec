"""Benchmark: uploading and downloading a large document, the SDK against raw httpx.

    make bench                      # or: .venv/bin/python benchmarks/bench_documents.py
    .venv/bin/python benchmarks/bench_documents.py --megabytes 100 --rounds 5

The sandbox (in this process, on 127.0.0.1) receives a file of random bytes and gives it
back. Each transfer runs in a fresh child process, so that its memory is its own: the
SDK's ``documents.upload(path)`` then ``with_streaming_response.download(id)`` +
``write_to_file``, and raw httpx doing the same (a multipart POST streamed from the open
file, a streamed GET written chunk by chunk). Each child reports its resident memory
after start-up (imports, client made) and its peak (``VmHWM``); the growth is the peak
less the start. Printed: the best time of each side over the rounds, the ratios SDK /
raw, the memory growth of the children and of the sandbox, and whether the downloaded
bytes are those uploaded.
"""

from __future__ import annotations

import argparse
import filecmp
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import httpx

from tiime.sandbox import Sandbox

CHILD = r"""
import json, sys, time
from pathlib import Path

def rss(field):
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) * 1024
    return 0

mode, base_url, auth_url, company, email, password, token, source, target = sys.argv[1:]
import httpx
if mode == "sdk":
    import tiime
    client = tiime.TiimeClient(
        company_id=int(company), email=email, password=password,
        base_url=base_url, auth_url=auth_url, timeout=300,
    )
    client.company.get()  # log in and open the connection before measuring
    start = rss("VmRSS")
    t0 = time.perf_counter()
    document = client.documents.upload(source)
    t1 = time.perf_counter()
    with client.documents.with_streaming_response.download(document.id) as response:
        response.write_to_file(target)
    t2 = time.perf_counter()
else:
    client = httpx.Client(timeout=300, headers={"Authorization": "Bearer " + token})
    company_url = f"{base_url}/companies/{company}"
    client.get(company_url).raise_for_status()
    start = rss("VmRSS")
    t0 = time.perf_counter()
    with open(source, "rb") as file:
        answer = client.post(
            company_url + "/documents",
            files={"file": (Path(source).name, file, "application/octet-stream")},
        )
    answer.raise_for_status()
    t1 = time.perf_counter()
    download_url = f"{company_url}/documents/{answer.json()['id']}/download"
    with client.stream("GET", download_url) as response:
        response.raise_for_status()
        with open(target, "wb") as out:
            for chunk in response.iter_bytes(64 * 1024):
                out.write(chunk)
    t2 = time.perf_counter()
print(json.dumps({"upload": t1 - t0, "download": t2 - t1, "start": start, "peak": rss("VmHWM")}))
"""


def own_memory(field: str) -> int:
    """This process's ``VmRSS`` or ``VmHWM`` (peak), in bytes (0 off Linux)."""
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1]) * 1024
    return 0


def write_random_file(path: Path, megabytes: int) -> None:
    with path.open("wb") as out:
        for _ in range(megabytes):
            out.write(os.urandom(1024 * 1024))


def run_child(mode: str, sb: Sandbox, token: str, source: Path, target: Path) -> dict[str, Any]:
    target.unlink(missing_ok=True)
    args = [sb.base_url, sb.auth_url, str(sb.company_id), sb.email, sb.password, token]
    result = subprocess.run(
        [sys.executable, "-c", CHILD, mode, *args, str(source), str(target)],
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    if result.returncode != 0:
        raise SystemExit(f"{mode} child failed:\n{result.stderr}")
    measures: dict[str, Any] = json.loads(result.stdout)
    measures["same bytes"] = filecmp.cmp(source, target, shallow=False)
    return measures


def login(sb: Sandbox) -> str:
    answer = httpx.post(
        sb.auth_url,
        json={
            "grant_type": "password",
            "client_id": "iEbsbe3o66gcTBfGRa012kj1Rb6vjAND",
            "audience": "https://chronos/",
            "username": sb.email,
            "password": sb.password,
        },
    )
    answer.raise_for_status()
    return str(answer.json()["access_token"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--megabytes", type=int, default=100, help="file size (default 100)")
    parser.add_argument("--rounds", type=int, default=5, help="runs of each side (default 5)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="tiime-bench-") as tmp:
        source, target = Path(tmp) / "justificatif.bin", Path(tmp) / "downloaded.bin"
        write_random_file(source, args.megabytes)
        with Sandbox(db_path=Path(tmp) / "sandbox.db") as sb:
            token = login(sb)
            server_start = own_memory("VmRSS")
            best: dict[str, dict[str, float]] = {}
            growth = {"sdk": 0, "raw": 0}
            identical = True
            for _ in range(args.rounds):
                for mode in ("raw", "sdk"):
                    measures = run_child(mode, sb, token, source, target)
                    identical = identical and measures["same bytes"]
                    growth[mode] = max(growth[mode], measures["peak"] - measures["start"])
                    for step in ("upload", "download"):
                        kept = best.setdefault(mode, {}).get(step, float("inf"))
                        best[mode][step] = min(kept, measures[step])
            server_growth = own_memory("VmHWM") - server_start
    mib = 1024 * 1024
    print(f"Documents: a {args.megabytes} MB file, best of {args.rounds} (sandbox on loopback)")
    print(f"  {'':<10} {'upload':>9} {'download':>9} {'memory growth':>14}")
    for mode in ("raw", "sdk"):
        up, down = best[mode]["upload"], best[mode]["download"]
        print(f"  {mode:<10} {up:8.2f}s {down:8.2f}s {growth[mode] / mib:11.1f} MB")
    for step in ("upload", "download"):
        ratio = best["sdk"][step] / best["raw"][step]
        print(f"  {step} ratio sdk/raw: {ratio:.2f}   (target <= 1.50)")
    total = sum(best["sdk"].values()) / sum(best["raw"].values())
    print(f"  upload + download ratio sdk/raw: {total:.2f}   (target <= 1.50)")
    print(f"  SDK memory growth: {growth['sdk'] / mib:.1f} MB   (target < 50 MB)")
    print(f"  sandbox (this process) memory growth: {server_growth / mib:.1f} MB")
    print(f"  downloaded bytes identical to the uploaded ones: {identical}")


if __name__ == "__main__":
    main()
