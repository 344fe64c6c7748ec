"""``python -m tiime.sandbox``: serve the sandbox in the foreground (``--openapi [FILE]``:
write the OpenAPI description of its API instead)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from .chaos import parse_chaos
from .kernel import SandboxError
from .seeding import PROFILES
from .server import DEFAULT_HOST, DEFAULT_PORT, default_db_path, serve


def _size(text: str) -> tuple[str, int]:
    """``RESOURCE=N`` of ``--size``."""
    name, equal, count = text.partition("=")
    if not equal or not name or not count.isdigit() or len(count) > 9:
        raise argparse.ArgumentTypeError(f"expected RESOURCE=N (clients=20000), not {text!r}")
    return name, int(count)


def _write_openapi(prog: str, target: str) -> None:
    """Write the description to ``target`` (``-``: stdout); exit 1 when it cannot be."""
    from .openapi import dumps, generate

    text = dumps(generate())
    if target == "-":
        sys.stdout.write(text)
        return
    try:
        Path(target).write_text(text, encoding="utf-8")
    except OSError as exc:
        print(f"{prog}: error: cannot write {target}: {exc.strerror}", file=sys.stderr)
        sys.exit(1)


def main(argv: Sequence[str] | None = None) -> None:
    """Parse the command line and serve; a usage error exits 2, a sandbox that cannot
    start exits 1, each with one line on stderr."""
    parser = argparse.ArgumentParser(
        prog="python -m tiime.sandbox", description="Serve the local Tiime API sandbox."
    )
    parser.add_argument("--host", default=DEFAULT_HOST, help="address to bind (%(default)s)")
    parser.add_argument("--port", type=int, default=DEFAULT_PORT, help="port (%(default)s)")
    parser.add_argument(
        "--db", dest="db_path", default=None, help=f"database file ({default_db_path()})"
    )
    parser.add_argument(
        "--seed",
        default="demo",
        choices=PROFILES,
        help="seed profile of a new or reset database (%(default)s)",
    )
    parser.add_argument(
        "--size",
        dest="sizes",
        type=_size,
        action="append",
        default=[],
        metavar="RESOURCE=N",
        help="seed N items of a resource (clients=20000); tops an existing database up",
    )
    parser.add_argument(
        "--clients", type=int, default=None, metavar="N", help="shorthand for --size clients=N"
    )
    parser.add_argument(
        "--reset", action="store_true", help="delete the database and seed it again"
    )
    parser.add_argument(
        "--allow-remote",
        action="store_true",
        help="allow a --host other machines can reach (the sandbox has a public demo login)",
    )
    parser.add_argument(
        "--chaos",
        metavar="RATE[,KIND...]",
        help="inject faults into RATE of the requests (0.1 or 10%%): see tiime.sandbox.chaos",
    )
    parser.add_argument("--chaos-seed", type=int, metavar="N", help="the seed of the chaos draws")
    parser.add_argument(
        "--openapi",
        nargs="?",
        const="-",
        metavar="FILE",
        help="write the OpenAPI description of the API to FILE (or stdout) and exit",
    )
    args = parser.parse_args(argv)
    if args.openapi is not None:
        _write_openapi(parser.prog, args.openapi)
        return
    if args.chaos is not None:
        try:
            parse_chaos(args.chaos)
        except ValueError as exc:
            parser.error(f"--chaos: {exc}")
        if args.allow_remote:
            parser.error("--chaos is refused with --allow-remote")
    elif args.chaos_seed is not None:
        parser.error("--chaos-seed needs --chaos")
    chaos = {} if args.chaos is None else {"chaos": args.chaos, "chaos_seed": args.chaos_seed}
    try:
        serve(
            args.host,
            args.port,
            args.db_path,
            args.clients,
            seed=args.seed,
            sizes=dict(args.sizes),
            reset=args.reset,
            allow_remote=args.allow_remote,
            **chaos,
        )
    except SandboxError as exc:
        print(f"{parser.prog}: error: {exc.localized()}", file=sys.stderr)
        sys.exit(1)
    except KeyboardInterrupt:  # while seeding: serving itself stops quietly on Ctrl-C
        sys.exit(130)


if __name__ == "__main__":
    main()
