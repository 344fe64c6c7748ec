"""``tiime mcp``: a Model Context Protocol server over the SDK, for AI assistants.

Read-only tools by default; writes (a draft invoice, an imputation, a local file under
``--upload-dir`` uploaded, an e-mail) only when started with ``--allow-writes``
(``--allow-send`` on top for e-mail), each in two calls: a preview that sends nothing and
returns a short-lived single-use token, then a commit.
Needs the ``mcp`` extra: ``pip install 'tiime[mcp]'``.

    from tiime import AsyncTiimeClient
    from tiime.mcp import Options, build_server

    server = build_server(AsyncTiimeClient(), Options(allow_writes=True))
"""

from __future__ import annotations

from .server import INSTRUCTIONS, Options, build_server

__all__ = ["INSTRUCTIONS", "Options", "build_server"]
