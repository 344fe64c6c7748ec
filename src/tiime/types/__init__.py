"""Typed models of the Tiime API (answers), and ``TypedDict`` s of the request bodies.

Dates are ``datetime.date``, date-times ``datetime.datetime`` (each decoded from any of the
API's forms, see :mod:`tiime.types._dates`), amounts ``decimal.Decimal``. To decode stored
JSON yourself as the SDK does: ``LenientDecoder(list[Client]).decode(data)``
(:func:`dec_hook` is the hook of its lenient path).
"""

from ._base import AmountInput, DateInput, Model
from ._dates import LenientDecoder, dec_hook
from ._json import JSONValue
from .bank import (
    AccountBalance,
    Bank,
    BankAccount,
    BankAccountType,
    BankTransaction,
    BankTransactionsMetadata,
    BankTransactionsPage,
    DocumentMatching,
    DocumentMatchings,
    Imputation,
    ImputationInput,
    ImputationLabel,
    ImputationLabelInput,
    LabelSuggestion,
)
from .client import Client
from .company import AccountingPeriod, ApeCode, Company, VatSystem
from .contact import Contact
from .country import Country
from .document import (
    Document,
    DocumentCategory,
    DocumentMetadata,
    MatchableDocument,
    MatchableDocumentTag,
)
from .expense_report import (
    ExpenseReport,
    ExpenseReportCreateParams,
    ExpenseReportMetadata,
    ExpenseReportMetadataInput,
)
from .invoice import (
    Invoice,
    InvoiceCreateParams,
    InvoiceLine,
    InvoiceLineInput,
    InvoiceSendParams,
    InvoicingUnit,
    InvoicingUnitInput,
    RecipientInput,
    TextLineInput,
    TotalsPerVatType,
    VatType,
    VatTypeInput,
)
from .label import Label, Tag, TagDetail
from .page import DocumentsPage, InvoicesPage
from .quotation import Quotation, QuotationCreateParams, QuotationSendParams
from .ref import NamedRef, Ref, RefInput
from .user import Address, User

__all__ = [
    "AccountBalance",
    "AccountingPeriod",
    "Address",
    "AmountInput",
    "ApeCode",
    "Bank",
    "BankAccount",
    "BankAccountType",
    "BankTransaction",
    "BankTransactionsMetadata",
    "BankTransactionsPage",
    "Client",
    "Company",
    "Contact",
    "Country",
    "DateInput",
    "Document",
    "DocumentCategory",
    "DocumentMatching",
    "DocumentMatchings",
    "DocumentMetadata",
    "DocumentsPage",
    "ExpenseReport",
    "ExpenseReportCreateParams",
    "ExpenseReportMetadata",
    "ExpenseReportMetadataInput",
    "Imputation",
    "ImputationInput",
    "ImputationLabel",
    "ImputationLabelInput",
    "Invoice",
    "InvoiceCreateParams",
    "InvoiceLine",
    "InvoiceLineInput",
    "InvoiceSendParams",
    "InvoicesPage",
    "InvoicingUnit",
    "InvoicingUnitInput",
    "JSONValue",
    "Label",
    "LabelSuggestion",
    "LenientDecoder",
    "MatchableDocument",
    "MatchableDocumentTag",
    "Model",
    "NamedRef",
    "Quotation",
    "QuotationCreateParams",
    "QuotationSendParams",
    "RecipientInput",
    "Ref",
    "RefInput",
    "Tag",
    "TagDetail",
    "TextLineInput",
    "TotalsPerVatType",
    "User",
    "VatSystem",
    "VatType",
    "VatTypeInput",
    "dec_hook",
]
