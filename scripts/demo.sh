#!/usr/bin/env bash
# The clients workflow through the `tiime` command, on the embedded sandbox (no account needed).
# Run by `make demo`, which sets up the environment first.
set -euo pipefail
TIIME="${TIIME:-.venv/bin/tiime}"
export TIIME_SANDBOX=1   # every command below runs on the local sandbox, as its demo user

step() { printf '\n\033[1m$ tiime %s\033[0m\n' "$*"; }

step clients create --name "Boulangerie Dupré" ...
created=$("$TIIME" clients create --name "Boulangerie Dupré" --email contact@dupre.example \
  --siret "732 829 320 00074" --address "12 rue Mercière" --postal-code 69002 --city Lyon \
  --professional --format json)
echo "$created"
id=$(printf '%s' "$created" | "$(dirname "$TIIME")/python" -c 'import json, sys; print(json.load(sys.stdin)["id"])')

step clients list --active --format table
"$TIIME" clients list --active --format table

step clients search "dupre" --format table   "# accent- and case-insensitive"
"$TIIME" clients search "dupre" --format table

step clients get "$id" --format json
"$TIIME" clients get "$id" --format json

printf '\nThe sandbox database keeps these clients between runs: %s\n' \
  "$("$(dirname "$TIIME")/python" -c 'from tiime.cli._session import sandbox_db_path; print(sandbox_db_path())')"
