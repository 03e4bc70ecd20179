#!/usr/bin/env bash
# Kills `pendulum import` and `pendulum serve` with SIGKILL, over and over, and checks after
# each kill that the database passes SQLite's integrity check and holds exactly the state
# before or after each write: the import whole or not at all, and every check-in the server
# acknowledged (HTTP 201) before the kill. Everything runs on 127.0.0.1 in a temporary folder.
#
# Usage: scripts/kill-test.sh [ROUNDS] [PENDULUM]
#   ROUNDS    kills of each kind (default 100)
#   PENDULUM  the binary to test (default target/release/pendulum, else target/debug/pendulum)
# Needs bash, curl and sqlite3. Bounded in time: each round waits at most a few seconds.
# Exits 0 when every round passed, 1 at the first round that did not (its files are kept).

set -euo pipefail

rounds=${1:-100}
root=$(cd "$(dirname "$0")/.." && pwd)
target=${CARGO_TARGET_DIR:-$root/target}
pendulum=${2:-}
if [[ -z $pendulum ]]; then
    for candidate in "$target/release/pendulum" "$target/debug/pendulum"; do
        if [[ -x $candidate ]]; then
            pendulum=$candidate
            break
        fi
    done
fi
[[ -x $pendulum ]] || { echo "no pendulum binary: build one (cargo build --release -p pendulum-cli) or name it" >&2; exit 2; }
for tool in curl sqlite3; do
    command -v "$tool" >/dev/null || { echo "kill-test.sh needs $tool on the PATH" >&2; exit 2; }
done

work=$(mktemp -d)
server=
cleanup() {
    [[ -n $server ]] && kill -9 "$server" 2>/dev/null || true
    [[ -n ${keep:-} ]] || rm -rf "$work"
}
trap cleanup EXIT
trap 'keep=1; echo "FAILED: a command failed at line $LINENO; files kept in $work" >&2' ERR
export HOME=$work NO_COLOR=1

fail() {
    keep=1
    echo "FAILED: $*" >&2
    echo "files kept in $work" >&2
    exit 1
}

p() { "$pendulum" --db "$@"; }

integrity() {
    local verdict
    verdict=$(sqlite3 "$1" 'PRAGMA integrity_check;')
    [[ $verdict == ok ]] || fail "integrity check of $1: $verdict"
}

fixture=$root/crates/pendulum-cli/tests/fixtures/org
base=$work/base.db
p "$base" import "$fixture"/{teams,people,stints,checkins}.csv >/dev/null
# Into the database file itself, so that copying the file copies everything.
sqlite3 "$base" 'PRAGMA wal_checkpoint(TRUNCATE);' >/dev/null

# An import of 5,000 people with a stint and two check-ins each.
awk 'BEGIN {
    print "id,name,email,level,team,manager" > "'"$work"'/people.csv"
    print "person,role,team,level,start" > "'"$work"'/stints.csv"
    print "person,date,joy,energy,learning" > "'"$work"'/checkins.csv"
    for (n = 0; n < 5000; n++) {
        printf "n%d,New %d,n%d@example.com,L3,platform,ada\n", n, n, n > "'"$work"'/people.csv"
        printf "n%d,engineer,platform,L3,2024-01-01\n", n > "'"$work"'/stints.csv"
        printf "n%d,2026-01-05,3,4,5\nn%d,2026-04-06,4,3,2\n", n, n > "'"$work"'/checkins.csv"
    }
}'
import=("$work"/people.csv "$work"/stints.csv "$work"/checkins.csv)

before=$(p "$base" export --json | sha256sum)
cp "$base" "$work/whole.db"
started=$(date +%s%N)
p "$work/whole.db" import "${import[@]}" >/dev/null
takes_ms=$(( ($(date +%s%N) - started) / 1000000 ))
after=$(p "$work/whole.db" export --json | sha256sum)
rm -f "$work"/whole.db*
echo "pendulum: $pendulum"
echo "import of 5,000 people takes ${takes_ms} ms; killing it $rounds times"

as_before=0 as_after=0
for ((round = 0; round < rounds; round++)); do
    db=$work/killed.db
    rm -f "$db" "$db-wal" "$db-shm"
    cp "$base" "$db"
    # The binary itself, not through p: $! must be the process that gets the signal.
    "$pendulum" --db "$db" import "${import[@]}" >/dev/null 2>&1 &
    child=$!
    # Spread the kills over one and a half times what the import took, since a machine
    # under load may run it slower this time.
    sleep "$(awk -v r="$round" -v n="$rounds" -v t="$takes_ms" 'BEGIN { printf "%.3f", t * 1.5 * r / n / 1000 }')"
    kill -9 "$child" 2>/dev/null || true
    wait "$child" 2>/dev/null || true
    integrity "$db"
    now=$(p "$db" export --json | sha256sum)
    if [[ $now == "$before" ]]; then
        as_before=$((as_before + 1))
    elif [[ $now == "$after" ]]; then
        as_after=$((as_after + 1))
    else
        fail "import round $round: the database is neither as before nor as after the import"
    fi
done
echo "import: $rounds kills, integrity ok every time; $as_before left it as before, $as_after as after"

# The server: a member account for Eve, check-ins posted by 4 writers, SIGKILL mid-burst.
db=$work/served.db
cp "$base" "$db"
echo 'a long enough password' | p "$db" user add eve@example.com --role member --person eve --password-stdin >/dev/null
token=$(p "$db" token create eve@example.com 2>/dev/null)
acked=$work/acknowledged
sent=$work/sent
: >"$acked"
: >"$sent"
# Round r's writers check in on days of its own block of 400 days from 1900-01-01, writer w on
# every fourth day from the block's w-th: no two check-ins of Eve's ever share a day.
block=400

writer() { # writer FIRST_DAY STEP ADDRESS: posts check-ins until the server is gone
    local n=$1 last=$(( $1 + block - 4 )) date status
    while ((n <= last)); do
        date=$(date -u -d "1900-01-01 + $n days" +%F)
        echo "$date" >>"$sent"
        status=$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 \
            -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
            -d "{\"date\":\"$date\",\"joy\":3,\"energy\":4,\"learning\":5}" \
            "http://$3/api/v1/people/eve/checkins") || return 0
        case $status in
            201) echo "$date" >>"$acked" ;;
            000) return 0 ;;
            *) echo "$status" >"$work/refused"; return 0 ;;
        esac
        n=$((n + $2))
    done
}

for ((round = 0; round < rounds; round++)); do
    "$pendulum" --db "$db" serve --bind 127.0.0.1:0 >"$work/serve.out" 2>/dev/null &
    server=$!
    address=
    for _ in $(seq 600); do # 30 s at most
        address=$(grep -o 'http://[0-9.:]*' "$work/serve.out" || true)
        [[ -n $address ]] && break
        sleep 0.05
    done
    address=${address#http://}
    [[ -n $address ]] || fail "serve round $round: the server did not start"
    pids=()
    for w in 0 1 2 3; do
        writer $((round * block + w)) 4 "$address" &
        pids+=($!)
    done
    sleep "0.$(( (round % 9) + 1 ))"
    kill -9 "$server"
    wait "$server" 2>/dev/null || true
    server=
    wait "${pids[@]}" 2>/dev/null || true
    [[ -e $work/refused ]] && fail "serve round $round: a write was answered $(cat "$work/refused")"
    integrity "$db"
    p "$db" export --json | tr -d ' \n' | grep -o '"person":"eve","date":"[0-9-]*"' |
        grep -o '[0-9]\{4\}-[0-9-]*' | sort -u >"$work/present"
    lost=$(sort -u "$acked" | comm -23 - "$work/present" | wc -l)
    [[ $lost -eq 0 ]] || fail "serve round $round: $lost acknowledged check-ins lost"
    # Eve's own check-ins are of 2026; any other one must have been sent.
    unsent=$({ grep -v '^2026' "$work/present" || true; } | comm -23 - <(sort -u "$sent") | wc -l)
    [[ $unsent -eq 0 ]] || fail "serve round $round: $unsent check-ins that were never sent"
done
echo "serve: $rounds kills, integrity ok every time; $(sort -u "$acked" | wc -l) check-ins acknowledged, all present ($(sort -u "$sent" | wc -l) sent)"
echo "PASSED"
