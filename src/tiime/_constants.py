"""Wire constants of the Tiime API, gathered in one place (see TIIME_API.md)."""

from __future__ import annotations

DEFAULT_BASE_URL = "https://chronos-api.tiime-apps.com/v1"
DEFAULT_AUTH_URL = "https://auth0.tiime.fr/oauth/token"
AUTH0_CLIENT_ID = "iEbsbe3o66gcTBfGRa012kj1Rb6vjAND"
AUTH0_AUDIENCE = "https://chronos/"
# `offline_access` asks Auth0 for a refresh token; whether the password grant honours it is
# unknown, so the client uses one when it comes back and logs in again otherwise.
AUTH0_SCOPE = "openid email offline_access"

APP_HEADERS = {
    "tiime-app": "tiime",
    "tiime-app-version": "4.30.3",
    "tiime-app-platform": "cli",
}

JSON = "application/json"
TIMELINE_V2 = "application/vnd.tiime.timeline.v2+json"
COMPANIES_V2 = "application/vnd.tiime.companies.v2+json"
LABELS_V2 = "application/vnd.tiime.labels.v2+json"
PDF = "application/pdf"
OCTET_STREAM = "application/octet-stream"
# Compressed answers: a 10,000-client list is several MB of JSON, a fraction of it gzipped.
ACCEPT_ENCODING = "gzip, deflate"

DEFAULT_TIMEOUT = 30.0
DEFAULT_CONNECT_TIMEOUT = 10.0
DEFAULT_MAX_RETRIES = 2
# The longest Retry-After the client waits for; a longer one raises at once (its value is
# kept as the error's `retry_after`).
MAX_RETRY_AFTER = 10.0
# A token is renewed this many seconds before it expires.
TOKEN_REFRESH_MARGIN = 60.0

ENV_COMPANY_ID = "TIIME_COMPANY_ID"
ENV_EMAIL = "TIIME_EMAIL"
ENV_PASSWORD = "TIIME_PASSWORD"
ENV_ACCESS_TOKEN = "TIIME_ACCESS_TOKEN"
ENV_BASE_URL = "TIIME_BASE_URL"
ENV_AUTH_URL = "TIIME_AUTH_URL"
BANK_TRANSACTIONS_V2 = "application/vnd.tiime.bank_transactions.v2+json"
LABEL_SUGGESTIONS_V2 = "application/vnd.tiime.bank_transactions.label_suggestions.v2+json"
