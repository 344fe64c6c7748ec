#!/usr/bin/env bash
# The clients and bank workflows through the `tiime` command, on the embedded sandbox (no account needed).
# Run by `make demo`, which sets up the environment first. Idempotent: the sandbox database
# keeps its data between runs, so the demo client is created once and found the next times.
set -euo pipefail
TIIME="${TIIME:-.venv/bin/tiime}"
PYTHON="$(dirname "$TIIME")/python"
export TIIME_SANDBOX=1   # every command below runs on the local sandbox, as its demo user
NAME="Boulangerie Dupré"

step() { printf '\n\033[1m$ tiime %s\033[0m\n' "$*"; }
# The id of the client named exactly "$NAME" in a JSON listing on stdin, or nothing.
id_of() { "$PYTHON" -c 'import json, sys; print(next((c["id"] for c in json.load(sys.stdin) if c["name"] == sys.argv[1]), ""))' "$NAME"; }

step clients search "\"$NAME\"" --format json "  # already there from an earlier run?"
id=$("$TIIME" clients search "$NAME" --format json | id_of)
if [ -n "$id" ]; then
  echo "found: client $id (created by an earlier run; not created twice)"
else
  step clients create --name "\"$NAME\"" ...
  created=$("$TIIME" clients create --name "$NAME" --email contact@dupre.example \
    --siret "732 829 320 00074" --address "12 rue Mercière" --postal-code 69002 --city Lyon \
    --professional --format json)
  echo "$created"
  id=$(printf '[%s]' "$created" | id_of)
fi

step clients list --active --limit 5 --format table
"$TIIME" clients list --active --limit 5 --format table

step clients search dupre --format table   "  # accent- and case-insensitive"
"$TIIME" clients search dupre --format table

step clients get --id "$id" --format json
"$TIIME" clients get --id "$id" --format json

printf '\nThe sandbox database keeps these clients between runs: %s\n' \
  "$("$PYTHON" -c 'from tiime.cli._session import sandbox_db_path; print(sandbox_db_path())')"

# The bank: balances, what the labels' suggestions would impute, one imputation, the summary.
step bank balance --format table
"$TIIME" bank balance --format table

step bank auto-impute --limit 3 --format table "  # a dry run: nothing imputed"
"$TIIME" bank auto-impute --limit 3 --format table

step bank auto-impute --apply --limit 1 --format table "  # imputes the next transaction with a suggestion"
"$TIIME" bank auto-impute --apply --limit 1 --format table

step status --format table
"$TIIME" status --format table
