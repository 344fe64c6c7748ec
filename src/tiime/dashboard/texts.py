"""Every text the dashboard shows, in one place: the server's words and the pages' labels.

The pages read :data:`PAGE` from ``GET /api/texts``, so that a translation is one catalogue
(the issue on languages adds French beside this English one).
"""

from __future__ import annotations

__all__ = ["ALL_COMPANIES", "NO_CLIENT", "OTHER_EXPENSE", "PAGE", "errors"]

# Names the figures give to what has none (the reference's "Toutes les sociétés",
# "Sans client" and "Autre").
ALL_COMPANIES = "All companies"
NO_CLIENT = "No client"
OTHER_EXPENSE = "Other"


class errors:
    """The one-line error answers of the JSON routes."""

    INVALID_COMPANY = "Invalid company ID"
    UNKNOWN_RESOURCE = "Unknown resource: {}"
    NOT_FOUND = "Not found"
    TOKEN_REQUIRED = (
        "Access token required: open the URL that `tiime dashboard` printed (it carries the token)"
    )
    BAD_HOST = "Invalid Host header: the dashboard answers on 127.0.0.1 and localhost only"
    UNAUTHENTICATED = "Not logged in, or the login expired: run `tiime auth login`, then refresh"
    UNREACHABLE = "Cannot reach the Tiime API: {}"


PAGE: dict[str, str] = {
    "title": "Tiime dashboard",
    "overview": "Overview",
    "review": "Yearly review",
    "company": "Company",
    "all_companies": ALL_COMPANIES,
    "refresh": "Refresh",
    "loading": "Loading…",
    "year": "Year",
    "all_time": "All time",
    "treasury": "Treasury",
    "total_balance": "Total balance",
    "account": "Account",
    "bank": "Bank",
    "balance": "Balance",
    "balance_date": "As of",
    "no_accounts": "No enabled bank account",
    "unpaid_invoices": "Unpaid invoices",
    "drafts": "Draft invoices",
    "number": "Number",
    "client": "Client",
    "amount": "Amount",
    "due_date": "Due",
    "days_late": "Days late",
    "on_time": "on time",
    "no_unpaid": "No unpaid invoice",
    "pending_quotations": "Pending quotations",
    "unimputed": "Transactions to impute",
    "clients": "Clients",
    "revenue_ttc": "Revenue incl. tax",
    "revenue_ht": "Revenue excl. tax",
    "inflows": "Inflows",
    "outflows": "Outflows",
    "net_cashflow": "Net cash flow",
    "monthly_flows": "Inflows and outflows by month",
    "monthly_revenue": "Revenue by month (incl. tax)",
    "invoices_count": "Invoices",
    "n_invoice": "{n} invoice",
    "n_invoices": "{n} invoices",
    "avg_invoice": "Average invoice",
    "biggest_invoice": "Biggest invoice",
    "best_month": "Best month",
    "worst_month": "Worst month",
    "net": "Net",
    "ratio": "Inflows / outflows",
    "transactions_count": "Transactions",
    "top_clients": "Top clients",
    "top_expenses": "Top expenses",
    "expense": "Expense",
    "none": "—",
    "years_active": "Years active",
    "since": "since",
    "no_data": "Nothing this year",
}
