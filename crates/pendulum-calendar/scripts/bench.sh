#!/usr/bin/env bash
# The calendar benchmark side by side: the Python reference and pendulum's reader on the
# same generated corpus, one after the other in one run, with the ratio printed by
# calendar_bench (which also fails when any file's occurrences differ from the reference).
#
#   crates/pendulum-calendar/scripts/bench.sh ANCHORS_DIR [PEOPLE] [RUNS]
#
# ANCHORS_DIR holds gen_calendars.py and bench_py.py (the reference, which needs
# `pip install icalendar recurring-ical-events`). Files go to a temporary folder.
set -euo pipefail
anchors=${1:?usage: bench.sh ANCHORS_DIR [PEOPLE] [RUNS]}
people=${2:-200}
runs=${3:-7}
cd "$(dirname "$0")/../../.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

python3 "$anchors/gen_calendars.py" "$work/corpus" "$people" >/dev/null
echo "corpus: $people people, $(du -sh "$work/corpus" | cut -f1)"
echo "== Python reference (icalendar + recurring-ical-events)"
python3 "$anchors/bench_py.py" "$work/corpus" "$work/reference.csv" | tail -n 4
echo "== pendulum"
cargo build --release -q -p pendulum-calendar --example calendar_bench
target=${CARGO_TARGET_DIR:-target}
bench=("$target/release/examples/calendar_bench" "$work/corpus" "$work/reference.csv" --runs "$runs")
if [ -x /usr/bin/time ]; then
  # GNU time (Debian's package `time`) adds the peak memory.
  /usr/bin/time -v "${bench[@]}" 2> "$work/time.txt"
  awk '/Maximum resident set size/ {print "peak memory of calendar_bench: " $NF " KiB"}' "$work/time.txt"
else
  "${bench[@]}"
fi
