"""The MCP server: its tools, their schemas and annotations, its resources, its instructions.

Built on the low-level ``Server`` of the official SDK (``mcp`` 2.x): the tool list is
written here once, each tool with its argument struct (schema and checking, see
:mod:`._args`), a short description and annotations that tell the truth.
"""

from __future__ import annotations

import base64
import logging
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import msgspec
from mcp import types
from mcp.server import Server, ServerRequestContext
from mcp.shared.exceptions import MCPError

from .._exceptions import TiimeError
from .._version import __version__
from . import _args as A
from ._books import Books
from ._data import to_text
from ._errors import ToolFailure, explain
from ._reads import Download, Reads
from ._tokens import TOKEN_TTL
from ._upload import UploadDir
from ._writes import Writes

if TYPE_CHECKING:
    from .._client import AsyncTiimeClient

__all__ = ["INSTRUCTIONS", "Options", "build_server"]

INSTRUCTIONS = """\
Tiime: a French company's invoicing and books. Amounts are euros as numbers with cents \
(VAT included where named so). A draft invoice has no number and can change; it is numbered \
when saved, and a saved or sent invoice is final. A bank transaction is imputed to accounting \
labels: the imputations' amounts must add up exactly to the transaction's amount (same sign); \
imputing replaces its previous imputations. Lists are paged: pass next_cursor back to go on. \
When several companies are served (see companies), pass company (its id) to every tool. \
Dates are ISO 8601; "today" is the date in France. Writes, when offered, are two calls: a \
preview_* that sends nothing and returns the exact request and a token, then commit with \
that token once the user agrees; never commit without the user's consent."""

LOG = logging.getLogger("tiime.mcp")

# The start options a tool needs when it is not offered (other writes: --allow-writes).
NEEDS = {
    "preview_bulk_imputation": "--allow-writes --allow-bulk",
    "preview_send_invoice": "--allow-writes --allow-send",
}

_READ = types.ToolAnnotations(
    read_only_hint=True, destructive_hint=False, idempotent_hint=True, open_world_hint=False
)


@dataclass(frozen=True)
class Options:
    """How a server is started: ``tiime mcp [--company X]... [--all-companies]
    [--allow-writes [X,...]] [--allow-bulk] [--allow-send] [--upload-dir DIR]``.
    ``write_companies`` (ids or names) limits the writes to those of the served companies
    (empty: all of them). ``upload_dir``: the directory files are uploaded from, and below
    (``None``: the current directory). ``clock`` dates the write tokens (tests move it)."""

    companies: Sequence[str] = ()
    all_companies: bool = False
    allow_writes: bool = False
    write_companies: Sequence[str] = ()
    allow_bulk: bool = False
    allow_send: bool = False
    upload_dir: str | None = None
    token_ttl: float = TOKEN_TTL
    clock: Callable[[], float] = field(default=time.monotonic)


@dataclass(frozen=True)
class ToolSpec:
    name: str
    title: str
    description: str
    args: type[msgspec.Struct]
    run: Callable[[Any], Awaitable[Any]]
    annotations: types.ToolAnnotations


def _tools(reads: Reads, writes: Writes, options: Options) -> list[ToolSpec]:
    tools = [
        ToolSpec(
            "companies",
            "Companies served",
            "The companies this server serves (id, name); pass one as company.",
            A.NoArgs,
            reads.companies,
            _READ,
        ),
        ToolSpec(
            "list",
            "List records",
            "List a resource, in the API's order, with filters (each says the resources it "
            "applies to); paged by limit and next_cursor.",
            A.ListArgs,
            reads.list,
            _READ,
        ),
        ToolSpec(
            "get",
            "Get one record",
            "One record in full (an invoice with its lines, a transaction with its imputations).",
            A.GetArgs,
            reads.get,
            _READ,
        ),
        ToolSpec(
            "status",
            "Company status",
            "At a glance: bank balances, draft and unpaid invoices, pending quotations, "
            "transactions to impute, clients.",
            A.CompanyArgs,
            reads.status,
            _READ,
        ),
        ToolSpec(
            "overdue_invoices",
            "Overdue invoices",
            "Saved or sent invoices past their due date, oldest first, with days late.",
            A.PagedArgs,
            reads.overdue_invoices,
            _READ,
        ),
        ToolSpec(
            "unimputed_transactions",
            "Transactions to impute",
            "Bank transactions not imputed yet, each with its suggested labels (best first).",
            A.PagedArgs,
            reads.unimputed_transactions,
            _READ,
        ),
        ToolSpec(
            "download",
            "Download a file",
            "An invoice or quotation PDF, or a document's file, as an embedded resource.",
            A.DownloadArgs,
            reads.download,
            _READ,
        ),
    ]
    if not options.allow_writes:
        return tools
    preview = _READ  # a preview reads, checks and keeps a token: it changes nothing
    tools += [
        ToolSpec(
            "preview_draft",
            "Preview a new draft",
            "A new draft invoice or quotation: checked, the exact request shown, nothing "
            "sent; returns a token for commit.",
            A.DraftArgs,
            writes.preview_draft,
            preview,
        ),
        ToolSpec(
            "preview_update_invoice",
            "Preview changing a draft invoice",
            "Changes to a draft invoice: checked, the exact request shown beside the draft, "
            "nothing sent; returns a token for commit.",
            A.UpdateArgs,
            writes.preview_update,
            preview,
        ),
        ToolSpec(
            "preview_imputation",
            "Preview an imputation",
            "A bank transaction's imputation to labels, amounts adding up to its own: "
            "checked, the exact request shown beside the imputations it replaces, nothing "
            "sent; returns a token for commit.",
            A.ImputationArgs,
            writes.preview_imputation,
            preview,
        ),
    ]
    tools.append(
        ToolSpec(
            "preview_match_documents",
            "Preview matching documents",
            "The documents (receipts...) matched to a bank transaction, as a whole set: "
            "checked, the exact request shown beside the matching it replaces, nothing sent; "
            "returns a token for commit.",
            A.MatchArgs,
            writes.preview_matching,
            preview,
        )
    )
    tools.append(
        ToolSpec(
            "preview_upload",
            "Preview uploading a document",
            "A local file (a receipt...) to upload, by path: checked, its name, size, "
            "SHA-256 and type shown, nothing sent; returns a token for commit.",
            A.UploadArgs,
            writes.preview_upload,
            preview,
        )
    )
    if options.allow_bulk:
        tools.append(
            ToolSpec(
                "preview_bulk_imputation",
                "Preview imputing several transactions",
                "Several bank transactions, each whole to one label: checked, the exact "
                "requests shown, nothing sent; returns a token for commit.",
                A.BulkImputationArgs,
                writes.preview_bulk_imputation,
                preview,
            )
        )
    if options.allow_send:
        tools.append(
            ToolSpec(
                "preview_send_invoice",
                "Preview e-mailing an invoice",
                "E-mailing a saved invoice: checked, the exact request shown, nothing sent; "
                "returns a token for commit.",
                A.SendArgs,
                writes.preview_send,
                preview,
            )
        )
    tools.append(
        ToolSpec(
            "commit",
            "Commit a preview",
            "Send the request of a preview, once, with its token (valid "
            f"{int(options.token_ttl)} s, single use). Only with the user's consent.",
            A.CommitArgs,
            writes.commit,
            types.ToolAnnotations(
                read_only_hint=False,
                destructive_hint=True,  # an imputation replaces the previous ones
                idempotent_hint=False,
                open_world_hint=options.allow_send,  # an e-mail leaves the books
            ),
        )
    )
    return tools


def _tool(spec: ToolSpec) -> types.Tool:
    return types.Tool(
        name=spec.name,
        title=spec.title,
        description=spec.description,
        input_schema=A.input_schema(spec.args),
        annotations=spec.annotations,
    )


def _embedded(download: Download) -> types.BlobResourceContents:
    return types.BlobResourceContents(
        uri=download.uri,
        mime_type=download.mime_type,
        blob=base64.b64encode(download.data).decode(),
    )


_TEMPLATES = [
    types.ResourceTemplate(
        name="invoice_pdf",
        uri_template="tiime://companies/{company}/invoices/{id}/pdf",
        mime_type="application/pdf",
        description="An invoice as a PDF.",
    ),
    types.ResourceTemplate(
        name="quotation_pdf",
        uri_template="tiime://companies/{company}/quotations/{id}/pdf",
        mime_type="application/pdf",
        description="A quotation as a PDF.",
    ),
    types.ResourceTemplate(
        name="document",
        uri_template="tiime://companies/{company}/documents/{id}/file",
        description="A document's file (a receipt...).",
    ),
]


def build_server(client: AsyncTiimeClient, options: Options | None = None) -> Server[Any]:
    """The server of ``client``'s login: read tools always, write tools with
    ``options.allow_writes`` (and e-mail with ``options.allow_send`` on top)."""
    options = options or Options()
    books = Books(client, options.companies, all_companies=options.all_companies)
    reads = Reads(books)
    writes = Writes(
        books,
        clock=options.clock,
        ttl=options.token_ttl,
        only=options.write_companies,
        upload_dir=UploadDir(options.upload_dir),
    )
    specs = {spec.name: spec for spec in _tools(reads, writes, options)}
    listed = [_tool(spec) for spec in specs.values()]

    async def list_tools(
        ctx: ServerRequestContext[Any], params: types.PaginatedRequestParams | None
    ) -> types.ListToolsResult:
        return types.ListToolsResult(tools=listed)

    async def call_tool(
        ctx: ServerRequestContext[Any], params: types.CallToolRequestParams
    ) -> types.CallToolResult:
        spec = specs.get(params.name)
        if spec is None:
            flags = NEEDS.get(params.name)
            if flags is None and params.name.startswith(("preview_", "commit")):
                flags = "--allow-writes"
            hint = f" (the user starts the server with {flags} for it)" if flags else ""
            return _failure(f"No tool {params.name!r}{hint}: call one of tools/list.")
        try:
            answer = await spec.run(A.parse(spec.args, params.arguments))
        except (ToolFailure, A.ArgumentError, TiimeError) as exc:
            return _failure(explain(exc))
        except Exception as exc:  # a bug, or a group of the above: told, and logged on stderr
            if not _expected(exc):
                LOG.error("tool %s failed", params.name, exc_info=exc)
            return _failure(explain(exc))
        if isinstance(answer, Download):
            size = f"{len(answer.data)} bytes, {answer.mime_type}"
            return types.CallToolResult(
                content=[
                    types.TextContent(text=f"{answer.uri} ({size})"),
                    types.EmbeddedResource(resource=_embedded(answer)),
                ]
            )
        return types.CallToolResult(content=[types.TextContent(text=to_text(answer))])

    async def list_resources(
        ctx: ServerRequestContext[Any], params: types.PaginatedRequestParams | None
    ) -> types.ListResourcesResult:
        return types.ListResourcesResult(resources=[])

    async def list_templates(
        ctx: ServerRequestContext[Any], params: types.PaginatedRequestParams | None
    ) -> types.ListResourceTemplatesResult:
        return types.ListResourceTemplatesResult(resource_templates=_TEMPLATES)

    async def read_resource(
        ctx: ServerRequestContext[Any], params: types.ReadResourceRequestParams
    ) -> types.ReadResourceResult:
        try:
            download = await reads.read_uri(str(params.uri))
        except Exception as exc:
            raise MCPError(types.INVALID_PARAMS, explain(exc)) from None
        return types.ReadResourceResult(contents=[_embedded(download)])

    return Server(
        "tiime",
        version=__version__,
        title="Tiime",
        instructions=INSTRUCTIONS,
        on_list_tools=list_tools,
        on_call_tool=call_tool,
        on_list_resources=list_resources,
        on_list_resource_templates=list_templates,
        on_read_resource=read_resource,
    )


def _expected(exc: BaseException) -> bool:
    """Whether ``exc`` is (a group of) the failures a tool reports as they are."""
    group = getattr(exc, "exceptions", None)
    if isinstance(group, tuple):
        return all(_expected(inner) for inner in group)
    return isinstance(exc, (ToolFailure, A.ArgumentError, TiimeError))


def _failure(sentence: str) -> types.CallToolResult:
    return types.CallToolResult(content=[types.TextContent(text=sentence)], is_error=True)
