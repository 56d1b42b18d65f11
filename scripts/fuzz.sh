#!/usr/bin/env bash
# Fuzzes the importer's readers (csv/tsv, xlsx, ods, xls) and cell parsers for a
# fixed time per target (not in CI; its figures go to docs/BENCHMARKS.md).
#   scripts/fuzz.sh [SECONDS_PER_TARGET=300] [SEED]
# Crashing inputs are kept in test-output/fuzz/; exits non-zero if any was found.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-300}
out=test-output/fuzz
mkdir -p "$out"
cargo run --release --quiet -p salesplan-files --example fuzz -- "$seconds" "$out" ${2:+"$2"}
