#!/usr/bin/env bash
# Every check and test Salesplan has: formatting, lints, the Rust tests (core, CLI,
# shell), generated bindings up to date, the UI's type check, lint and unit tests,
# the Rust tests once more at a shifted date (scripts/test-dates.sh --ci), the
# end-to-end test of the real app in a real window (Xvfb + tauri-driver), and the
# .deb packages installed, run and removed (scripts/test-package.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
export PATH="$HOME/.cargo/bin:$PATH"

echo "==> UI: lint, types, unit tests, build"
(cd ui && npx biome check . && npx tsc --noEmit && npx vitest run && npx vite build --logLevel warn)

echo "==> Rust: format, lints"
cargo fmt --all --check
cargo clippy --workspace --all-targets --quiet -- -D warnings

echo "==> Rust: tests (they also regenerate the TypeScript bindings)"
# One build of every target with one feature set: the tests, the app and the
# examples the end-to-end tests run share their dependencies (disk and time).
cargo build --workspace --all-targets --quiet
cargo test --workspace --quiet
# Every benchmark at its smoke size, so none rots unnoticed (full size: cargo bench, docs/BENCHMARKS.md).
cargo test --workspace --benches --quiet
if git rev-parse --git-dir >/dev/null 2>&1 && [ -n "$(git status --porcelain -- ui/src/ipc/bindings)" ]; then
  git status --short -- ui/src/ipc/bindings
  echo "error: ui/src/ipc/bindings is stale: run cargo test and commit the changes" >&2
  exit 1
fi

echo "==> Rust tests again, at another date (early next year: the demo's calendar crosses a year end)"
scripts/test-dates.sh --ci

echo "==> end to end: the real app under Xvfb"
node --test --test-concurrency=1 --test-reporter=spec e2e/
echo "screenshots: test-output/e2e/"

echo "==> the packages: built, installed, run and removed"
scripts/test-package.sh
