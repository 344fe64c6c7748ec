"""What ``tiime invoices`` and ``tiime quotations`` share: the line flags, ``--lines``,
``--from-file``, and writing a PDF. Standard library only at the top (start-up speed)."""

from __future__ import annotations

import argparse

from ...i18n import N_, _
from .._errors import CommandError, UsageError, missing_extra
from .._parser import number, positive_int

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from contextlib import AbstractContextManager
    from typing import Any

    from .._session import Session

VAT_CODES = ("normal", "intermediate", "reduced", "super_reduced", "none")
# The reference CLI's unit ids.
UNITS = {"unit": 1, "hour": 2, "day": 3, "package": 4, "word": 5, "character": 6, "page": 7}
# How deep ``--lines`` and ``--from-file`` may nest: a document is 4 levels (its lines,
# a line, its VAT); thousands would overflow the stack of whatever walks them.
MAX_NESTING = 16
_TOO_DEEP = N_("nested more than {levels} levels deep")  # translated at use: _too_deep()
LINE_KEYS = (
    "description",
    "quantity",
    "unit_price",
    "unit_amount",
    "unit",
    "vat",
    "vat_type",
    "discount_amount",
    "discount_percentage",
    "discount_description",
)


def _too_deep() -> str:
    return _(_TOO_DEEP).format(levels=MAX_NESTING)


def add_line_flags(parser: argparse.ArgumentParser, *, units: bool = True) -> None:
    """``--description --quantity --unit-price --vat [--unit]``, ``--lines``, ``--from-file``."""
    parser.add_argument(
        "--client-id", type=positive_int, help=_("the client, by its id (default: none)")
    )
    parser.add_argument(
        "--client-name",
        help=_("the client's name when it has no id (default: none; not with --client-id)"),
    )
    add_client_flag(parser)
    parser.add_argument("--title", help=_("the title (default: none)"))
    parser.add_argument(
        "--description", help=_("the one line's description (required without --lines)")
    )
    parser.add_argument(
        "--quantity",
        default="1",
        type=number,
        help=_("the one line's quantity, e.g. 1.5 (default: 1)"),
    )
    parser.add_argument(
        "--unit-price",
        type=number,
        help=_("the one line's unit price excluding VAT, e.g. 450.50 (required without --lines)"),
    )
    parser.add_argument(
        "--vat",
        choices=VAT_CODES,
        default="normal",
        help=_(
            "VAT: normal 20 %%, intermediate 10 %%, reduced 5.5 %%, super_reduced 2.1 %%, "
            "none (default: normal)"
        ),
    )
    if units:
        parser.add_argument(
            "--unit", choices=tuple(UNITS), help=_("the one line's unit (default: none)")
        )
    parser.add_argument(
        "--lines",
        metavar="JSON",
        help=_(
            'several lines: \'[{"description": ..., "quantity": 2, "unit_price": 450, '
            '"unit": "day", "vat": "normal"}]\' (default: the one line of the flags above)'
        ),
    )
    parser.add_argument(
        "--from-file",
        metavar="FILE",
        help=_(
            "the whole document from a JSON or YAML file (.yaml/.yml): client_id or "
            "client_name, date, title, status, lines as for --lines; flags given override "
            "it (default: none)"
        ),
    )
    add_credit_flag(parser)
    parser.add_argument(
        "--dry-run",
        action="store_true",
        help=_("print the body that would be sent, and send nothing (default: off)"),
    )


def add_client_flag(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--client",
        metavar="ID|NAME",
        help=_(
            "the client on file, by id or by name (a name shared by several clients is "
            "refused, the candidates listed; default: none)"
        ),
    )


def add_credit_flag(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--credit",
        action="store_true",
        help=_(
            "a credit or discount lines: allow a negative quantity, unit price or total "
            "(default: refused)"
        ),
    )


def resolve_client(session: Session, value: str) -> int:
    """The id of the client ``value`` names: an id as is, else the one client whose name
    is ``value`` (case and accents as typed, surrounding spaces ignored; exact matches
    first, then names containing it). None or several: a usage error (the candidates)."""
    text = value.strip()
    if text.isdigit():
        return int(text)
    wanted = text.casefold()
    if not wanted:
        raise UsageError(_("--client: give a client's id or name"))
    clients = list(session.client().clients.iter(page_size=1000))
    exact = [c for c in clients if (c.name or "").strip().casefold() == wanted]
    found = exact or [c for c in clients if wanted in (c.name or "").casefold()]
    if len(found) == 1:
        return found[0].id
    if not found:
        raise UsageError(
            _(
                "--client {text!r}: no client of that name (`tiime clients search` shows them; "
                "--client-name for a client not on file)"
            ).format(text=text)
        )
    candidates = ", ".join(f"{c.id} {c.name}" for c in found[:10])
    more = f" and {len(found) - 10} more" if len(found) > 10 else ""
    raise UsageError(
        _("--client {text!r} names {n} clients: {candidates}{more}; give its id").format(
            text=text, n=len(found), candidates=candidates, more=more
        )
    )


def parse_lines_json(text: str, default_vat: str = "normal") -> list[dict[str, Any]]:
    """``--lines JSON`` as the SDK's lines; a usage error if it is not a list of lines."""
    import json

    from ..._nesting import nested_deeper_than

    try:
        raw = json.loads(text)
    except ValueError as exc:
        raise UsageError(_("--lines is not valid JSON ({exc})").format(exc=exc)) from None
    except RecursionError:
        raise UsageError(_("--lines is {too_deep}").format(too_deep=_too_deep())) from None
    if nested_deeper_than(raw, MAX_NESTING):
        raise UsageError(_("--lines is {too_deep}").format(too_deep=_too_deep()))
    return _lines_of(raw, default_vat)


def optional_lines(text: str | None) -> Any:
    """``--lines`` of an update: None when not given (the lines unchanged)."""
    return None if text is None else parse_lines_json(text)


def _lines_of(raw: Any, default_vat: str) -> list[dict[str, Any]]:
    if not isinstance(raw, list) or not raw:
        raise UsageError(_("the lines must be a non-empty list"))
    return [_line(item, position, default_vat) for position, item in enumerate(raw, start=1)]


def read_file(name: str) -> dict[str, Any]:
    """The object in a JSON or YAML file; a usage error if it is not one (or too deep)."""
    import json
    from pathlib import Path

    from ..._nesting import nested_deeper_than

    path = Path(name)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise UsageError(
            _("--from-file {path}: {value}").format(path=path, value=exc.strerror or exc)
        ) from None
    except UnicodeDecodeError:
        raise UsageError(_("--from-file {path}: not UTF-8 text").format(path=path)) from None
    if path.suffix.lower() in (".yaml", ".yml"):
        try:
            import yaml
        except ImportError:
            raise missing_extra("cli", "PyYAML") from None
        try:
            data = yaml.safe_load(text)
        except yaml.YAMLError as exc:
            raise UsageError(
                _("--from-file {path}: not valid YAML ({value})").format(
                    path=path, value=_one_line(exc)
                )
            ) from None
        except RecursionError:
            raise UsageError(
                _("--from-file {path}: {too_deep}").format(path=path, too_deep=_too_deep())
            ) from None
    else:
        try:
            data = json.loads(text)
        except ValueError as exc:
            raise UsageError(
                _("--from-file {path}: not valid JSON ({exc})").format(path=path, exc=exc)
            ) from None
        except RecursionError:  # thousands of nested lists: refused whatever the stack left
            raise UsageError(
                _("--from-file {path}: {too_deep}").format(path=path, too_deep=_too_deep())
            ) from None
    if nested_deeper_than(data, MAX_NESTING):
        raise UsageError(
            _("--from-file {path}: {too_deep}").format(path=path, too_deep=_too_deep())
        )
    if not isinstance(data, dict):
        raise UsageError(
            _("--from-file {path}: expected an object (a mapping) at the top").format(path=path)
        )
    return data


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split())


def _line(item: Any, position: int, default_vat: str) -> dict[str, Any]:
    """A line as the SDK takes it, from ``{description, quantity, unit_price, unit, vat}``."""
    where = f"line {position}"
    if not isinstance(item, dict):
        raise UsageError(
            _("{where}: expected an object with description, quantity, unit_price").format(
                where=where
            )
        )
    unknown = sorted(set(item) - set(LINE_KEYS))
    if unknown:
        raise UsageError(
            _("{where}: unknown keys {value} (known: {value2})").format(
                where=where, value=", ".join(unknown), value2=", ".join(LINE_KEYS)
            )
        )
    price = item.get("unit_price", item.get("unit_amount"))
    if item.get("description") is None or price is None:
        raise UsageError(_("{where}: description and unit_price are required").format(where=where))
    vat = item.get("vat_type", item.get("vat", default_vat))
    if isinstance(vat, dict):
        vat = vat.get("code")
    if vat not in VAT_CODES:
        raise UsageError(
            _("{where}: vat must be one of {value}, not {vat!r}").format(
                where=where, value=", ".join(VAT_CODES), vat=vat
            )
        )
    line: dict[str, Any] = {
        "description": item["description"],
        "quantity": item.get("quantity", 1),
        "unit_amount": price,
        "vat_type": {"code": vat},
    }
    unit = item.get("unit")
    if unit is not None:
        if not isinstance(unit, str) or unit not in UNITS:
            raise UsageError(
                _("{where}: unit must be one of {value}, not {unit!r}").format(
                    where=where, value=", ".join(UNITS), unit=unit
                )
            )
        line["invoicing_unit"] = {"id": UNITS[unit], "code": unit}
    for key in ("discount_amount", "discount_percentage", "discount_description"):
        if item.get(key) is not None:
            line[key] = item[key]
    return line


def document_fields(args: argparse.Namespace) -> dict[str, Any]:
    """``--from-file`` merged with the flags: client, date, title, status, lines."""
    data = read_file(args.from_file) if args.from_file else {}
    fields: dict[str, Any] = {}
    for key in ("client_id", "client_name", "title", "status", "free_field", "due_date"):
        value = getattr(args, key, None)
        if value is None:
            value = data.get(key)
        if value is not None:
            fields[key] = value
    day = args.date if args.date is not None else data.get("date", data.get("emission_date"))
    if day is not None:
        fields["date"] = str(day)  # YAML reads 2024-04-01 as a date
    if getattr(args, "client", None) is not None:
        if args.client_id is not None or args.client_name is not None:
            raise UsageError(_("--client goes alone: not with --client-id or --client-name"))
        fields.pop("client_id", None)
        fields.pop("client_name", None)
        fields["client"] = args.client
    raw_lines: Any = None
    if args.lines is not None:
        fields["lines"] = parse_lines_json(args.lines, args.vat)
        return fields
    if args.description is not None or args.unit_price is not None:
        if args.description is None or args.unit_price is None:
            raise UsageError(_("--description and --unit-price go together (or use --lines)"))
        raw_lines = [
            {
                "description": args.description,
                "quantity": args.quantity,
                "unit_price": args.unit_price,
                "unit": getattr(args, "unit", None),
                "vat": args.vat,
            }
        ]
    elif "lines" in data:
        raw_lines = data["lines"]
    if raw_lines is None:
        raise UsageError(
            _(
                "--description and --unit-price are required for a one-line document (or use "
                "--lines, or --from-file, for several lines)"
            )
        )
    fields["lines"] = _lines_of(raw_lines, args.vat)
    return fields


def dry_run(session: Session, calls: type[Any], name: str, resource: Any, **kwargs: Any) -> int:
    """Print ``{dry_run, method, path, body}`` of the request that ``resource.name(**kwargs)``
    would send (checked and computed by the SDK's own builder); send nothing."""
    request = vars(calls)[name].__wrapped__(resource, **kwargs)
    session.output.one(
        {"dry_run": True, "method": request.method, "path": request.path, "body": request.json}
    )
    return 0


def add_pdf_flags(parser: argparse.ArgumentParser, default: str) -> None:
    parser.add_argument(
        "--output",
        "-o",
        metavar="FILE",
        help=_("where to write the PDF (default: {default} in the current directory)").format(
            default=default
        ),
    )
    parser.add_argument(
        "--force",
        action="store_true",
        help=_("overwrite FILE if it exists (default: refuse to overwrite)"),
    )


def write_pdf(
    session: Session,
    args: argparse.Namespace,
    stream: Callable[[int], AbstractContextManager[Any]],
    default_name: str,
) -> int:
    """Stream a PDF into ``--output`` (or ``default_name``), never over a file unless
    ``--force``; prints ``{status: downloaded, path}``."""
    from pathlib import Path

    target = Path(args.output or default_name)
    if args.output and target.is_dir():  # --output DIR: the default name in DIR
        target = target / default_name
    elif not target.parent.is_dir():
        raise UsageError(_("--output: no such directory: {parent}").format(parent=target.parent))
    if target.exists() and not args.force:
        raise CommandError(
            _("{target} exists: give --force to overwrite it, or --output FILE").format(
                target=target
            )
        )
    if target.is_dir():
        raise CommandError(
            _("{target} is a directory: give a file name with --output").format(target=target)
        )
    with stream(args.id) as response:
        written = response.write_to_file(target)
    session.output.one({"status": "downloaded", "id": args.id, "path": str(written)})
    return 0


def add_send_flags(parser: argparse.ArgumentParser, *, client_default: bool = False) -> None:
    parser.add_argument(
        "--email",
        action="append",
        required=not client_default,
        metavar="ADDRESS",
        help=_("a recipient's address; repeat for several (default: the client's e-mail on file)")
        if client_default
        else _("a recipient's address; repeat for several (required)"),
    )
    parser.add_argument("--subject", help=_("the e-mail's subject (default: the server's)"))
    parser.add_argument("--message", help=_("the e-mail's text (default: the server's)"))
