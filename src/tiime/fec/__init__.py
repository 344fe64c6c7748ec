"""``tiime.fec``: the *Fichier des Écritures Comptables* (article A47 A-1 of the Livre des
procédures fiscales) built from the books the API exposes, and a checker of any FEC.

This is a **pre-accounting export**: entries derived from Tiime's invoices and bank
transactions, for the accountant to import into their own software and review. It is not
a certified closing of the books.

The mapping (:mod:`tiime.fec.build`):

* **Sales journal** ``VE`` ("Ventes"), one entry per invoice that is not a draft, dated its
  emission date, piece reference its number: the client's account ``411000`` (auxiliary
  account ``C<client id>``, the client's name) debited with the total including taxes;
  revenue credited per VAT rate (``706100`` 20 %, ``706200`` 10 %, ``706300`` 5.5 %,
  ``706400`` 2.1 %, ``706500`` without VAT), VAT collected credited per rate (``445711``
  20 %, ``445712`` 10 %, ``445713`` 5.5 %, ``445714`` 2.1 %). A credit note (negative
  amounts) has its sides swapped.
* **Bank journals** ``BQ1``, ``BQ2``... (one per bank account, by id), one entry per
  transaction, dated its transaction date, piece reference ``T<transaction id>``: the bank
  account ``5121<n>`` debited with a receipt (credited with a payment) against each
  imputation's label: a client's label on ``411000`` with that client's auxiliary account
  (the invoice's payment), a sales label on ``70<label id>``, an expense label on
  ``60<label id>``, any other on ``47<label id>``, with the label's name.
  **Unimputed transactions** (and the part of a transaction its imputations leave) go to
  the suspense account ``471000`` ("Compte d'attente") and are listed in a warning.
* Fields: ``ValidDate`` is the entry's date (nothing is validated by Tiime);
  ``EcritureLet``, ``DateLet``, ``Montantdevise`` and ``Idevise`` are empty (amounts in
  euros). Dates ``AAAAMMJJ``, amounts with a decimal comma and no thousands separator,
  fields separated by tabs (tabs and line breaks inside a text become spaces), lines
  ending ``\\r\\n``, ISO 8859-15 (a character it lacks written without its accent, else
  ``?``). The file is named ``<SIREN>FEC<AAAAMMJJ>.txt`` with the closing date of the
  period.
"""

from __future__ import annotations

from .build import FecExport, Line, build_fec
from .check import FEC_FIELDS, check_fec
from .write import fec_filename, write_fec

__all__ = [
    "FEC_FIELDS",
    "FecExport",
    "Line",
    "build_fec",
    "check_fec",
    "fec_filename",
    "write_fec",
]
