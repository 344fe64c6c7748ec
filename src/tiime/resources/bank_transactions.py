"""Bank transactions, their label suggestions, imputations and document matchings:
``companies/{company_id}/bank_transactions``."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal
from typing import Any, cast

from .. import _constants as C
from .._exceptions import ValidationError
from .._pagination import RangePager
from .._request import APIRequest, Chain, Operation
from .._resource import (
    APIResource,
    AsyncAPIResource,
    AsyncRawAPIResource,
    SyncAPIResource,
    SyncRawAPIResource,
    endpoint,
    paginated,
    view,
)
from .._response import MappedReader
from .._validation import (
    check_amount,
    check_bool,
    check_choice,
    check_date,
    check_id,
    check_limit,
    check_page_size,
    check_text,
)
from ..types import (
    AmountInput,
    BankTransaction,
    BankTransactionsPage,
    Document,
    DocumentMatching,
    DocumentMatchings,
    ImputationInput,
    LabelSuggestion,
)
from ._upload import FileInput, upload_content, upload_size
from .documents import created_document_lookup

__all__ = ["AsyncBankTransactions", "BankTransactions"]

# Module-level names, since the `list` method shadows the builtin inside the class.
TransactionList = list[BankTransaction]
SuggestionList = list[LabelSuggestion]
MatchingList = list[DocumentMatching]

MAX_PAGE_SIZE = 1000
# Transactions asked per page by list() and iter(): large pages, few round trips (the
# reference's listAll asks 200; the size is the client's choice, pages are followed alike).
LIST_PAGE_SIZE = 1000
AMOUNT_TYPES = ("positive", "negative")


def _transactions_of(page: BankTransactionsPage) -> TransactionList:
    return page.transactions or []


def _matchings_of(answer: DocumentMatchings) -> MatchingList:
    return answer.matchings or []


def _filters(
    *,
    hide_refused: bool,
    bank_account: int | None,
    amount_type: str | None,
    operation_type: str | None,
    sorts: str | None,
    from_date: date | str | None,
    to_date: date | str | None,
    search: str | None,
) -> dict[str, str]:
    """The list query, checked, in the reference's order: ``hide_refused`` first, then
    ``bank_account``, ``amount_type``, ``operation_type``, ``sorts``, then
    ``transaction_date_start``, ``transaction_date_end`` and ``wording`` when non-empty."""
    refused = check_bool(hide_refused, "hide_refused")
    query = {"hide_refused": "true" if refused else "false"}
    optional = {
        "bank_account": None
        if bank_account is None
        else str(check_id(bank_account, "bank_account")),
        "amount_type": check_choice(amount_type, "amount_type", AMOUNT_TYPES),
        "operation_type": check_text(
            operation_type, "operation_type", one_line=True, max_length=100
        ),
        "sorts": check_text(sorts, "sorts", one_line=True, max_length=200),
        "transaction_date_start": None if from_date is None else check_date(from_date, "from_date"),
        "transaction_date_end": None if to_date is None else check_date(to_date, "to_date"),
        "wording": check_text(search, "search", one_line=True, max_length=500),
    }
    query.update((key, value) for key, value in optional.items() if value)
    return query


def _cents(value: Any, name: str) -> Decimal:
    """An amount of money: exact, at most two decimals."""
    amount = check_amount(value, name)
    if amount != amount.quantize(Decimal("0.01")):
        raise ValidationError(f"{name} has more than two decimals: {value!r}")
    return amount


def _imputation_body(imputation: Any, position: int) -> dict[str, Any]:
    """One imputation as sent: ``{label, amount, documents, accountant_detail_requests}``."""
    where = f"imputations[{position}]"
    if not isinstance(imputation, Mapping):
        raise ValidationError(f"{where} must be a dict (ImputationInput)")
    label = imputation.get("label")
    if not isinstance(label, Mapping):
        raise ValidationError(f"{where}.label must be a dict with the label's id")
    check_id(label.get("id"), f"{where}.label.id")

    def refs(key: str) -> list[dict[str, int]]:
        items = imputation.get(key) or []
        if not isinstance(items, Sequence) or isinstance(items, (str, bytes)):
            raise ValidationError(f"{where}.{key} must be a list of {{'id': ...}}")
        return [
            {
                "id": check_id(
                    item.get("id") if isinstance(item, Mapping) else item, f"{where}.{key}"
                )
            }
            for item in items
        ]

    return {
        "label": dict(label),
        "amount": _cents(imputation.get("amount"), f"{where}.amount"),
        "documents": refs("documents"),
        "accountant_detail_requests": refs("accountant_detail_requests"),
    }


def _check_total(body: list[dict[str, Any]], expected: Any) -> None:
    """The imputations' amounts must add up to the transaction's, to the cent."""
    total_expected = _cents(expected, "amount")
    total = sum((item["amount"] for item in body), Decimal(0))
    if total != total_expected:
        raise ValidationError(
            f"the imputations add up to {total}, not to the transaction's amount {total_expected}"
        )


class _BankTransactionsCalls(APIResource):
    """The bank transaction calls, written once for the sync, async and raw variants."""

    def _listing(self, params: dict[str, str]) -> Any:
        path = self._company_path("bank_transactions")

        def request(range_header: str) -> APIRequest[Any]:
            return APIRequest.get(
                path,
                BankTransactionsPage,
                params=params,
                headers={"Accept": C.BANK_TRANSACTIONS_V2, "Range": range_header},
            )

        return request

    def _pager(self, params: dict[str, str], page_size: int, limit: int | None) -> Any:
        return RangePager(
            cast(Any, self._listing(params)),
            page_size,
            limit=check_limit(limit),
            items_of=_transactions_of,
        )

    @endpoint
    def list(
        self,
        *,
        hide_refused: bool = False,
        bank_account: int | None = None,
        amount_type: str | None = None,
        operation_type: str | None = None,
        sorts: str | None = None,
        from_date: date | str | None = None,
        to_date: date | str | None = None,
        search: str | None = None,
        limit: int | None = None,
    ) -> Operation[TransactionList]:
        """Every transaction matching the filters, over all pages.

        Sends ``GET companies/{cid}/bank_transactions`` with the bank transactions v2
        media type, the query in the reference's order (``hide_refused`` always, first;
        then ``bank_account``, ``amount_type`` (``positive`` or ``negative``),
        ``operation_type``, ``sorts`` (``transaction_date:desc``...), and, when given,
        ``transaction_date_start`` (``from_date``, a ``date`` or ISO text),
        ``transaction_date_end`` (``to_date``) and ``wording`` (``search``)), and
        ``Range: items=0-999``, then ``items=999-1999``... (each page from the item read
        last, to see a list that changed meanwhile) followed by the pagination rule of
        :mod:`tiime._pagination` (never stopping at a short page while the server has
        more). ``limit`` stops after that many. Returns ``list[BankTransaction]``; the
        ``metadata`` of the answer (``total_amount``...) is given by :meth:`list_page`.
        Reads: each page is retried on a network failure or a 5xx.
        """
        params = _filters(
            hide_refused=hide_refused,
            bank_account=bank_account,
            amount_type=amount_type,
            operation_type=operation_type,
            sorts=sorts,
            from_date=from_date,
            to_date=to_date,
            search=search,
        )
        return cast(Operation[TransactionList], self._pager(params, LIST_PAGE_SIZE, limit))

    @endpoint
    def list_page(
        self,
        *,
        page: int = 1,
        page_size: int = 100,
        hide_refused: bool = False,
        bank_account: int | None = None,
        amount_type: str | None = None,
        operation_type: str | None = None,
        sorts: str | None = None,
        from_date: date | str | None = None,
        to_date: date | str | None = None,
        search: str | None = None,
    ) -> Operation[BankTransactionsPage]:
        """One page of transactions with its ``metadata``: the answer as the server gives it.

        The same request as :meth:`list` for page ``page`` (from 1) of ``page_size``
        (``Range: items=START-END``, END inclusive: page 3 of 50 is ``items=100-149``).
        Returns a :class:`BankTransactionsPage`: ``.transactions``, and ``.metadata``
        (``total_amount`` of the transactions matching the filters, as ``Decimal``...).
        A read: retried on a network failure or a 5xx.
        """
        page = check_id(page, "page")
        page_size = check_page_size(page_size, MAX_PAGE_SIZE)
        params = _filters(
            hide_refused=hide_refused,
            bank_account=bank_account,
            amount_type=amount_type,
            operation_type=operation_type,
            sorts=sorts,
            from_date=from_date,
            to_date=to_date,
            search=search,
        )
        start = (page - 1) * page_size
        request: APIRequest[BankTransactionsPage] = self._listing(params)(
            f"items={start}-{start + page_size - 1}"
        )
        return request

    @paginated
    def iter(
        self,
        *,
        hide_refused: bool = False,
        bank_account: int | None = None,
        amount_type: str | None = None,
        operation_type: str | None = None,
        sorts: str | None = None,
        from_date: date | str | None = None,
        to_date: date | str | None = None,
        search: str | None = None,
        page_size: int = LIST_PAGE_SIZE,
        limit: int | None = None,
    ) -> RangePager[BankTransaction]:
        """Iterate over the transactions matching the filters (those of :meth:`list`), page
        by page of ``page_size`` (at most 1000): memory stays flat however many there are.
        Sync: an iterator; async: an async iterator. Each page is retried on a network
        failure or a 5xx."""
        params = _filters(
            hide_refused=hide_refused,
            bank_account=bank_account,
            amount_type=amount_type,
            operation_type=operation_type,
            sorts=sorts,
            from_date=from_date,
            to_date=to_date,
            search=search,
        )
        pager: RangePager[BankTransaction] = self._pager(
            params, check_page_size(page_size, MAX_PAGE_SIZE), limit
        )
        return pager

    @endpoint
    def unimputed(self, *, limit: int | None = None) -> Operation[TransactionList]:
        """The transactions not imputed yet: ``GET companies/{cid}/bank_transactions/unimputed``.

        Sent with ``Range: items=0-*``; a partial (206) answer is followed to the end.
        Items may hold only ``id`` (then :meth:`get` gives the rest). Returns
        ``list[BankTransaction]``. A read: retried on a network failure or a 5xx.
        """
        path = self._company_path("bank_transactions", "unimputed")

        def request(range_header: str) -> APIRequest[TransactionList]:
            return APIRequest.get(path, TransactionList, headers={"Range": range_header})

        return RangePager(request, limit=check_limit(limit))

    @endpoint
    def get(self, transaction_id: int) -> Operation[BankTransaction]:
        """One transaction: ``GET companies/{cid}/bank_transactions/{id}``. Returns a
        :class:`BankTransaction` (with its ``imputations``). A read: retried on a network
        failure or a 5xx."""
        transaction_id = self._id(transaction_id, "transaction_id")
        return APIRequest.get(
            self._company_path("bank_transactions", transaction_id), BankTransaction
        )

    @endpoint
    def label_suggestions(self, transaction_id: int) -> Operation[SuggestionList]:
        """The labels the server suggests for a transaction, best first:
        ``GET companies/{cid}/bank_transactions/{id}/label_suggestions`` with the label
        suggestions v2 media type. Returns ``list[LabelSuggestion]``. A read: retried on a
        network failure or a 5xx."""
        transaction_id = self._id(transaction_id, "transaction_id")
        return APIRequest.get(
            self._company_path("bank_transactions", transaction_id, "label_suggestions"),
            SuggestionList,
            headers={"Accept": C.LABEL_SUGGESTIONS_V2},
        )

    @endpoint
    def impute(
        self,
        transaction: int | BankTransaction,
        imputations: Sequence[ImputationInput],
        *,
        amount: AmountInput | None = None,
    ) -> Operation[BankTransaction]:
        """Impute a transaction to labels: ``PATCH companies/{cid}/bank_transactions/{id}``
        with ``{"imputations": [{"label", "amount", "documents", "accountant_detail_requests"}]}``.

        ``transaction`` is a :class:`BankTransaction` (its ``amount`` is used) or an id. With
        an id and no ``amount=``, the transaction is read first (``GET
        companies/{cid}/bank_transactions/{id}``) for its amount: the reference's
        ``impute(transaction_id, imputations)`` works as is, at the cost of one read. The
        imputations' amounts (``Decimal``, ``int`` or ``float``, at most cents) must add up
        to the transaction's amount exactly, checked before the PATCH is sent (the
        imputations themselves are checked before anything is sent); ``documents`` and
        ``accountant_detail_requests`` default to ``[]``. Returns the imputed
        :class:`BankTransaction`.

        Never replayed: a PATCH that changes the books is not sent again once it may have
        reached the server (a lost answer raises :class:`~tiime.AmbiguousWriteError`; read
        the transaction back to know).
        """
        if isinstance(imputations, (str, bytes, Mapping)) or not isinstance(imputations, Sequence):
            raise ValidationError("imputations must be a list of ImputationInput")
        if not imputations:
            raise ValidationError("imputations must hold at least one imputation")
        body = [_imputation_body(item, n) for n, item in enumerate(imputations)]
        if isinstance(transaction, BankTransaction):
            transaction_id = transaction.id
            expected = transaction.amount if amount is None else amount
        else:
            transaction_id = self._id(transaction, "transaction")
            expected = amount
        path = self._company_path("bank_transactions", transaction_id)

        def patch(total_expected: Any) -> APIRequest[BankTransaction]:
            _check_total(body, total_expected)
            return APIRequest.patch(path, BankTransaction, json={"imputations": body})

        if expected is not None:
            return patch(expected)

        def after_reading(read: BankTransaction) -> APIRequest[BankTransaction]:
            if read.amount is None:
                raise ValidationError(
                    f"transaction {transaction_id} came back without its amount: pass amount="
                )
            return patch(read.amount)

        return Chain(APIRequest.get(path, BankTransaction), after_reading)

    @endpoint
    def match_documents(
        self, transaction_id: int, document_ids: Sequence[int]
    ) -> Operation[MatchingList]:
        """Set the documents matched to a transaction:
        ``PUT companies/{cid}/bank_transactions/{id}/document_matchings`` with
        ``{"documents": [{"id": 11}, {"id": 12}]}`` (ids in the order given, duplicates
        refused). Returns ``list[DocumentMatching]``.

        Replayed on a network failure or a 5xx: the PUT states the whole set of matched
        documents, so sending it twice leaves the books as sending it once.
        """
        transaction_id = self._id(transaction_id, "transaction_id")
        if isinstance(document_ids, (str, bytes)) or not isinstance(document_ids, Sequence):
            raise ValidationError("document_ids must be a list of ids")
        ids = [check_id(value, "document_ids[]") for value in document_ids]
        if len(set(ids)) != len(ids):
            raise ValidationError("document_ids holds the same id twice")
        return APIRequest.put(
            self._company_path("bank_transactions", transaction_id, "document_matchings"),
            MatchingList,
            json={"documents": [{"id": value} for value in ids]},
        )

    @endpoint
    def attach_receipt(
        self, transaction_id: int, file: FileInput, *, filename: str | None = None
    ) -> Operation[Document]:
        """Attach a receipt file to a transaction in one call:
        ``POST companies/{cid}/bank_transactions/{id}/receipts``, multipart, the part
        ``file`` (with the file name, ``Content-Type: application/octet-stream``). The
        service makes a document of it and matches it to the transaction. Returns the
        :class:`Document` made.

        This call is not in the reference: its wire is the one the public Ruby client
        ``opus-codium/ruby-tiime`` sends (``BankTransaction.upload_receipt``, a multipart
        body), and that client does not say what it answers; the sandbox answers the
        document (201), created and matched in one write transaction. ``file`` and
        ``filename`` are as for :meth:`~tiime.resources.documents.Documents.upload` (a
        path, the bytes or a binary file object, streamed, never read whole; bad input
        raises :class:`~tiime.ValidationError` before anything is sent). Never replayed
        once it may have reached the server; a lost answer raises
        :class:`~tiime.AmbiguousWriteError`, whose ``find_created()`` looks for the
        document by its file name among the newest documents
        (:meth:`~tiime.resources.documents.Documents.find_created`); ``matchings(id)``
        tells whether it was matched.
        """
        transaction_id = self._id(transaction_id, "transaction_id")
        name, content = upload_content(file, filename)
        sent = {"filename": name, "size": upload_size(content), "type": None}
        return APIRequest.post(
            self._company_path("bank_transactions", transaction_id, "receipts"),
            Document,
            files=[("file", (name, content, "application/octet-stream"))],
            created=created_document_lookup(self, sent),
        )

    @endpoint
    def matchings(self, transaction_id: int) -> Operation[MatchingList]:
        """The documents matched to a transaction:
        ``GET companies/{cid}/bank_transactions/{id}/matchings`` (``{"matchings": [...]}``).
        Returns ``list[DocumentMatching]``. A read: retried on a network failure or a 5xx."""
        transaction_id = self._id(transaction_id, "transaction_id")
        return APIRequest.get(
            self._company_path("bank_transactions", transaction_id, "matchings"),
            MappedReader(DocumentMatchings, _matchings_of),
        )


class BankTransactionsWithRawResponse(_BankTransactionsCalls, SyncRawAPIResource):
    """``client.bank_transactions.with_raw_response``."""


class AsyncBankTransactionsWithRawResponse(_BankTransactionsCalls, AsyncRawAPIResource):
    """``client.bank_transactions.with_raw_response`` of the async client."""


class BankTransactions(_BankTransactionsCalls, SyncAPIResource):
    """``client.bank_transactions`` of :class:`~tiime.TiimeClient`."""

    with_raw_response = view(BankTransactionsWithRawResponse)


class AsyncBankTransactions(_BankTransactionsCalls, AsyncAPIResource):
    """``client.bank_transactions`` of :class:`~tiime.AsyncTiimeClient`: the same calls, awaited."""

    with_raw_response = view(AsyncBankTransactionsWithRawResponse)
