"""Benchmark: start-up time of the `tiime` command against a bare `python -c pass`.

    make bench                      # or: .venv/bin/python benchmarks/bench_startup.py --runs 30

Each command is run as a whole process, the pair alternated run by run so that drift of
the machine hits both; printed are the medians and the median of the per-pair ratios
(targets: `tiime --version` at most 4x `python -c pass`; `tiime --help` and
`tiime invoices --help` at most 3x).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time

from _bytecode import compile_project


def wall(cmd: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    compile_project()
    exe = shutil.which("tiime", path=os.path.dirname(sys.executable)) or "tiime"
    baseline = [sys.executable, "-c", "pass"]
    print(f"Python {sys.version.split()[0]}; {args.runs} runs each, after one warm-up")
    for words, target in ((["--version"], 4), (["--help"], 3), (["invoices", "--help"], 3)):
        cmd = [exe, *words]
        wall(cmd), wall(baseline)  # warm-up: the file cache
        pairs = [(wall(cmd), wall(baseline)) for _ in range(args.runs)]
        ratio = statistics.median(a / b for a, b in pairs)
        print(
            f"  tiime {' '.join(words):<16} median "
            f"{statistics.median(a for a, _ in pairs) * 1000:6.1f} ms"
            f"   python -c pass {statistics.median(b for _, b in pairs) * 1000:5.1f} ms"
            f"   ratio {ratio:.2f} (target <= {target})"
        )


if __name__ == "__main__":
    main()
