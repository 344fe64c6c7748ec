#!/usr/bin/env bash
# The clients, invoices, documents and bank workflows through the `tiime` command, on the embedded
# sandbox (no account needed).
# Run by `make demo`, which sets up the environment first. Idempotent: the sandbox database
# keeps its data between runs, so the demo client and receipt are created once and found
# the next times.
set -euo pipefail
TIIME="${TIIME:-.venv/bin/tiime}"
PYTHON="$(dirname "$TIIME")/python"
export TIIME_SANDBOX=1   # every command below runs on the local sandbox, as its demo user
# The demo's sandbox database: TIIME_SANDBOX_DB when set, else .demo/ in the project, which
# `make clean` removes (not the user's own sandbox in their data directory).
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export TIIME_SANDBOX_DB="${TIIME_SANDBOX_DB:-$ROOT/.demo/sandbox.db}"
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

# The invoice of the demo client: made, saved (numbered) and downloaded once, found again
# by its title the next times.
TITLE="Démo tiime : création du site"
invoice_of() { "$PYTHON" -c 'import json, sys; print(next((i["id"] for i in json.load(sys.stdin) if i["client_id"] == int(sys.argv[1]) and i["title"] == sys.argv[2]), ""))' "$id" "$TITLE"; }

step invoices list --format json "  # an invoice for client $id already there?"
invoice=$("$TIIME" invoices list --format json | invoice_of)
if [ -n "$invoice" ]; then
  echo "found: invoice $invoice (created by an earlier run; not created twice)"
else
  step invoices create --client-id "$id" --title "\"$TITLE\"" --lines '[...]'
  invoice=$("$TIIME" invoices create --client-id "$id" --title "$TITLE" --format json --lines \
    '[{"description": "Maquettes et intégration", "quantity": 3, "unit_price": 450, "unit": "day"},
      {"description": "Hébergement (12 mois)", "quantity": 12, "unit_price": 9.90, "unit": "package"},
      {"description": "Livre « Le pain au levain »", "quantity": 2, "unit_price": 24.50, "vat": "reduced"}]' \
    | "$PYTHON" -c 'import json, sys; print(json.load(sys.stdin)["id"])')
  echo "created: draft invoice $invoice"
  step invoices update "$invoice" --status saved "  # numbered now"
  "$TIIME" invoices update "$invoice" --status saved --format json \
    | "$PYTHON" -c 'import json, sys; i = json.load(sys.stdin); print("saved: invoice %s is number %s, total incl. VAT %s EUR" % (i["id"], i["compiled_number"], i["total_including_taxes"]))'
fi

OUT="${TMPDIR:-/tmp}/tiime-demo"
mkdir -p "$OUT"
number=$("$TIIME" invoices get "$invoice" --format json | "$PYTHON" -c 'import json, sys; print(json.load(sys.stdin)["compiled_number"])')
step invoices pdf "$invoice" --output "$OUT/facture-$number.pdf" --force
"$TIIME" invoices pdf "$invoice" --output "$OUT/facture-$number.pdf" --force --format table

step invoices list --limit 5 --format table
"$TIIME" invoices list --limit 5 --format table

# Documents: a receipt uploaded once, then downloaded back and compared byte for byte.
RECEIPT="ticket-demo-sncf.pdf"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$PYTHON" -c 'import sys; from tiime.sandbox.filetypes import tiny_pdf
open(sys.argv[1], "wb").write(tiny_pdf(["SNCF", "Paris - Lyon, 2e classe", "Montant TTC : 87.50 EUR"]))' \
  "$work/$RECEIPT"
doc_id() { "$PYTHON" -c 'import json, sys; print(next((d["id"] for d in json.load(sys.stdin) if d["name"] == sys.argv[1]), ""))' "$RECEIPT"; }

step documents list --type receipt --format json "  # the demo receipt, from an earlier run?"
doc=$("$TIIME" documents list --type receipt --format json | doc_id)
if [ -n "$doc" ]; then
  echo "found: document $doc (uploaded by an earlier run; not uploaded twice)"
else
  step documents upload "$RECEIPT" --type receipt --format json
  uploaded=$("$TIIME" documents upload "$work/$RECEIPT" --type receipt --format json)
  echo "$uploaded"
  doc=$(printf '[%s]' "$uploaded" | doc_id)
fi

step documents list --limit 5 --format table
"$TIIME" documents list --limit 5 --format table

step documents download "$doc" --output "$RECEIPT.copy" --format json
"$TIIME" documents download "$doc" --output "$work/$RECEIPT.copy" --format json
cmp "$work/$RECEIPT" "$work/$RECEIPT.copy"
echo "the downloaded file is the uploaded one, byte for byte"

step expenses list --limit 3 --format table
"$TIIME" expenses list --limit 3 --format table

# The bank: balances, what the labels' suggestions would impute, one imputation, the summary.
step bank balance --format table
"$TIIME" bank balance --format table

step bank auto-impute --limit 3 --format table "  # a dry run: nothing imputed"
"$TIIME" bank auto-impute --limit 3 --format table

step bank auto-impute --apply --yes --limit 1 --format table "  # imputes the next transaction with a suggestion (--yes: without asking)"
"$TIIME" bank auto-impute --apply --yes --limit 1 --format table

step status --format table
"$TIIME" status --format table

printf '\nThe sandbox database keeps this data between runs: %s\n' "$TIIME_SANDBOX_DB"
if [ "$TIIME_SANDBOX_DB" = "$ROOT/.demo/sandbox.db" ]; then
  echo "(\`make clean\` removes it; TIIME_SANDBOX_DB=FILE puts it elsewhere)"
fi
