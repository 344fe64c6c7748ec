"""Bank accounts, transactions and their imputations (labels), and the impute body."""

from __future__ import annotations

from decimal import Decimal
from typing import TypedDict

from ._base import AmountInput, Model
from ._dates import Date, DateTime
from .label import Tag
from .ref import NamedRef, Ref, RefInput

__all__ = [
    "AccountBalance",
    "Bank",
    "BankAccount",
    "BankAccountType",
    "BankTransaction",
    "BankTransactionsMetadata",
    "BankTransactionsPage",
    "DocumentMatching",
    "DocumentMatchings",
    "Imputation",
    "ImputationInput",
    "ImputationLabel",
    "ImputationLabelInput",
    "LabelSuggestion",
]


class Bank(Model):
    """The bank holding an account."""

    id: int
    name: str | None = None
    brand: str | None = None
    sigle: str | None = None
    code: str | None = None
    logo_url: str | None = None


class BankAccountType(Model):
    """The kind of a bank account: ``{"id", "code", "description"}``."""

    id: int
    code: str | None = None
    description: str | None = None


class BankAccount(Model):
    """A bank account (``GET companies/{cid}/bank_accounts``, ``.../bank_accounts/{id}``)."""

    id: int
    name: str | None = None
    bank: Bank | None = None
    short_bank_name: str | None = None
    bank_account_type: BankAccountType | None = None
    iban: str | None = None
    bic: str | None = None
    enabled: bool | None = None
    closed: bool | None = None
    is_wallet: bool | None = None
    balance_amount: Decimal | None = None
    balance_currency: str | None = None
    balance_date: Date | None = None
    synchronization_date: DateTime | None = None


class AccountBalance(Model):
    """One account's balance, as ``bank_accounts.balance()`` gives it (no sum, no conversion)."""

    name: str | None = None
    balance_amount: Decimal | None = None
    currency: str | None = None


# gc=False, and so its subclass ImputationLabel: scalars and a NamedRef only (see ref.Ref).
class LabelSuggestion(Model, gc=False):
    """A label the server suggests for a transaction (``.../label_suggestions``)."""

    id: int
    label: str | None = None
    name: str | None = None
    acronym: str | None = None
    color: str | None = None
    client: NamedRef | None = None


class ImputationLabel(LabelSuggestion):
    """The label of an imputation: a suggestion's fields and the label's settings."""

    disabled: bool | None = None
    invoice_client: bool | None = None
    predictable: bool | None = None
    is_standard: bool | None = None
    sales: bool | None = None
    type: str | None = None
    vat_exoneration_type: str | None = None
    disabled_by: str | None = None
    registry_type: str | None = None
    vat_exigibility: str | None = None
    vat_area: str | None = None
    sale_type: str | None = None
    configuration_source: str | None = None


# gc=False, as BankTransaction: their lists hold only untracked structs (Ref, Tag,
# Imputation), so a cycle through them would need a value against the types; 10,000
# transactions (and their imputations) decode a quarter faster without the collector.
class Imputation(Model, gc=False):
    """The part of a transaction's amount put on one label."""

    id: int
    amount: Decimal | None = None
    label: ImputationLabel | None = None
    count_documents: int | None = None
    count_invoices: int | None = None
    accountant_detail_requests: list[Ref] | None = None
    updated_by: str | None = None
    comment: str | None = None


# gc=False: see Imputation.
class BankTransaction(Model, gc=False):
    """A bank transaction; ``amount`` is negative for an outflow.

    ``bank_name`` is read by the reference CLI but not declared by its types. Items of
    ``bank_transactions/unimputed`` may hold only ``id``.
    """

    id: int
    wording: str | None = None
    original_wording: str | None = None
    amount: Decimal | None = None
    currency: str | None = None
    transaction_date: Date | None = None
    realization_date: Date | None = None
    vat_application_date: Date | None = None
    bank_account: Ref | None = None
    bank_name: str | None = None
    short_bank_name: str | None = None
    operation_type: str | None = None
    status: str | None = None
    status_code: str | None = None
    comment: str | None = None
    tags: list[Tag] | None = None
    beneficiary: NamedRef | None = None
    merchant: NamedRef | None = None
    transfer_label: str | None = None
    imputations: list[Imputation] | None = None
    count_documents: int | None = None
    count_invoices: int | None = None


class BankTransactionsMetadata(Model):
    """The ``metadata`` of a transactions page; ``total_amount`` sums the filtered ones."""

    has_multiple_cardholder: bool | None = None
    accountant_detail_request_data: list[Ref] | None = None
    total_amount: Decimal | None = None


class BankTransactionsPage(Model):
    """The answer of ``GET companies/{cid}/bank_transactions``: an object, not a list."""

    metadata: BankTransactionsMetadata | None = None
    transactions: list[BankTransaction] | None = None


class DocumentMatching(Model):
    """A document matched to a transaction (``.../document_matchings``)."""

    id: int
    document: Ref | None = None
    bank_transaction: Ref | None = None
    matching_type: str | None = None
    invalid_matching: bool | None = None


class DocumentMatchings(Model):
    """The answer of ``GET .../bank_transactions/{id}/matchings``: ``{"matchings": [...]}``."""

    matchings: list[DocumentMatching] | None = None


class _ImputationLabelRequired(TypedDict):
    id: int


class ImputationLabelInput(_ImputationLabelRequired, total=False):
    """The label sent in an imputation: a suggestion's fields plus ``disabled``."""

    label: str
    name: str
    acronym: str
    color: str
    client: RefInput | None
    disabled: bool


class _ImputationRequired(TypedDict):
    label: ImputationLabelInput
    amount: AmountInput


class ImputationInput(_ImputationRequired, total=False):
    """One imputation of ``PATCH .../bank_transactions/{id}`` (``{"imputations": [...]}``);
    ``documents`` and ``accountant_detail_requests`` are sent as ``[]`` when left out."""

    documents: list[RefInput]
    accountant_detail_requests: list[RefInput]
