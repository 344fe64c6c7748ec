"""``python -m tiime.sandbox``: serve the sandbox in the foreground."""

from __future__ import annotations

import argparse
from collections.abc import Sequence

from .server import DEFAULT_HOST, DEFAULT_PORT, default_db_path, serve


def main(argv: Sequence[str] | None = None) -> None:
    """Parse the command line and serve."""
    parser = argparse.ArgumentParser(
        prog="python -m tiime.sandbox", description="Serve the local Tiime API sandbox."
    )
    parser.add_argument("--host", default=DEFAULT_HOST, help="address to bind (%(default)s)")
    parser.add_argument("--port", type=int, default=DEFAULT_PORT, help="port (%(default)s)")
    parser.add_argument(
        "--db", dest="db_path", default=None, help=f"database file ({default_db_path()})"
    )
    parser.add_argument(
        "--clients", type=int, default=None, help="demo clients to seed a new database with (36)"
    )
    args = parser.parse_args(argv)
    serve(args.host, args.port, args.db_path, args.clients)


if __name__ == "__main__":
    main()
