#!/usr/bin/env bash
# Builds Salesplan and opens it. With no ledger yet, the app creates the demo
# company in the OS data dir (or at $SALESPLAN_DB) and opens on it.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
echo "==> building the UI"
(cd ui && npm run --silent build)
echo "==> building the app"
cargo build --release -p salesplan-desktop -p salesplan-cli
echo "==> starting Salesplan (the CLI is at target/release/salesplan)"
exec target/release/salesplan-desktop
