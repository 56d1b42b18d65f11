#!/usr/bin/env bash
# The tests at other dates than today's, under faketime (Debian's libfaketime): the
# Rust tests at each date given (default: a handful around the coming year end,
# early in a year, mid-year, a month's last day and the next leap day), and with
# --e2e the UI's unit tests and the end-to-end tests at one date (the first
# given, or CI's). Every process the tests start (the CLI, PostgreSQL, the app)
# sees the same shifted clock; the monotonic clock stays real, so timeouts keep
# their length.
#
#   scripts/test-dates.sh                       # every default date, Rust tests
#   scripts/test-dates.sh --e2e                 # and the UI's unit and end-to-end tests at CI's date
#   scripts/test-dates.sh '2028-02-29 12:00'    # one date of your choice
#   scripts/test-dates.sh --ci                  # what CI runs: one date, early next year
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
export PATH="$HOME/.cargo/bin:$PATH"

year=$(date -u +%Y)
next=$((year + 1))
leap=$next
until (( (leap % 4 == 0 && leap % 100 != 0) || leap % 400 == 0 )); do leap=$((leap + 1)); done
ci_date="$next-03-01 09:00"
default_dates=(
  "$year-12-31 23:30"   # just before a year end
  "$next-01-01 00:30"   # just after it
  "$next-01-04 10:00"   # early in a year: the demo's last month is in the year before
  "$ci_date"            # a budget for next year made when this year has two months
  "$next-04-30 22:00"   # the last day of a month
  "$next-07-15 12:00"   # mid-year
  "$leap-02-29 12:00"   # a leap day
)

e2e=false
dates=()
for arg in "$@"; do
  case "$arg" in
    --e2e) e2e=true ;;
    --ci) dates+=("$ci_date") ;;
    *) dates+=("$arg") ;;
  esac
done
# The end-to-end tests take minutes: they run at the first date given, or at CI's.
e2e_at=${dates[0]:-$ci_date}
((${#dates[@]})) || dates=("${default_dates[@]}")

# Seconds from now to a date (UTC); the dates must lie ahead, as a clock runs forward.
offset_to() {
  local offset
  offset=$(($(date -u -d "$1 UTC" +%s) - $(date -u +%s)))
  ((offset >= 0)) || { echo "skipped: $1 is past (give dates ahead)" >&2; return 1; }
  echo "$offset"
}
# faketime's offset form keeps one clock for every process started, so a child
# started later never sees an earlier time than its parent.
export FAKETIME_DONT_FAKE_MONOTONIC=1

echo "==> building the tests once, at today's date"
cargo build --workspace --all-targets --quiet

failed=()
for at in "${dates[@]}"; do
  echo "==> Rust tests at $at UTC"
  started=$(date +%s)
  # Only the test binaries run shifted: cargo itself keeps the real clock, so
  # nothing it builds is dated in the future.
  offset=$(offset_to "$at") || continue
  if cargo test --workspace --quiet --no-fail-fast \
    --config "target.'cfg(all())'.runner = ['faketime', '-f', '+$offset']"; then
    echo "    passed at $at in $(($(date +%s) - started)) s"
  else
    failed+=("$at")
  fi
done

if $e2e; then
  at=$e2e_at
  echo "==> UI unit tests and end-to-end tests at $at UTC"
  (cd ui && npx vite build --logLevel warn)
  offset=$(offset_to "$at") || exit 1
  (cd ui && faketime -f "+$offset" npx vitest run) || failed+=("vitest at $at")
  faketime -f "+$offset" node --test --test-concurrency=1 --test-reporter=spec e2e/ || failed+=("e2e at $at")
fi

if ((${#failed[@]})); then
  printf 'error: the tests failed at: %s\n' "${failed[@]}" >&2
  exit 1
fi
