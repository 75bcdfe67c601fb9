#!/bin/sh
# bench-submit.sh
#
# Copyright 2026 The Jobgraph authors
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Submits BENCH_JOBS (default 1,000) jobs to a local jobgraph-emulator three
# ways: (a) a shell loop with one curl process per job, what users script
# today; (b) jobgraph-cli submit, one process per job; (c) one jobgraph-cli
# submit --per-input, pipelined on a keep-alive session. Prints jobs/s,
# p50/p99 latency where each job can be timed, peak RSS and duplicates (the
# jobs the service holds minus those submitted; must be 0). It prints
# figures and never asserts on time.
#
# Usage: bench-submit.sh JOBGRAPH_CLI JOBGRAPH_EMULATOR JOB_FILE

set -eu

cli=$1
emulator=$2
job_file=$3
n=${BENCH_JOBS:-1000}
token=bench-token

work=$(mktemp -d "${TMPDIR:-/tmp}/jobgraph-bench-XXXXXX")
emulator_pid=
cleanup () {
  if [ -n "$emulator_pid" ]; then
    kill "$emulator_pid" 2>/dev/null || true
    wait "$emulator_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT INT TERM

mkdir -p "$work/data/assets"
printf 'not really a movie\n' > "$work/data/assets/input.mp4"

"$emulator" --port 0 --data-dir "$work/data" --token "$token" --speed 1000 \
  > "$work/emulator.out" 2> "$work/emulator.err" &
emulator_pid=$!

# Waits for the "listening on" line, without a fixed sleep.
root=
while [ -z "$root" ]; do
  if ! kill -0 "$emulator_pid" 2>/dev/null; then
    echo "bench-submit: the emulator did not start:" >&2
    cat "$work/emulator.err" >&2
    exit 1
  fi
  root=$(sed -n 's/^listening on //p' "$work/emulator.out")
done
endpoint="${root}api/"
account_base="${root}accounts/local/api/"

JOBGRAPH_ENDPOINT=$endpoint
JOBGRAPH_TOKEN=$token
export JOBGRAPH_ENDPOINT JOBGRAPH_TOKEN

asset=$("$cli" assets list --name input.mp4 | cut -f1)
"$cli" export "$job_file" --as job --inputs "$asset" --base-uri "$account_base" \
  -o "$work/job.json" 2> /dev/null

now_ns () {
  date +%s%N
}

# Prints "p50 p99" of the numbers (milliseconds) in file $1.
percentiles () {
  sort -n "$1" | awk '{ v[NR] = $1 } END {
    if (NR == 0) { print "n/a n/a"; exit }
    i50 = int(NR * 0.50 + 0.999); i99 = int(NR * 0.99 + 0.999)
    printf "%.1f %.1f\n", v[i50], v[i99] }'
}

count_jobs () {
  "$cli" jobs list --json | grep -c '"id" : "nb:jid:' || true
}

# Peak RSS in KiB of the command, with /usr/bin/time -v when present.
peak_rss () {
  if [ -x /usr/bin/time ]; then
    /usr/bin/time -v "$@" 2>&1 >/dev/null | sed -n 's/.*Maximum resident set size (kbytes): //p'
  else
    "$@" > /dev/null 2>&1
    echo "n/a"
  fi
}

report () {
  # name, elapsed_ns, latency file or "", cli peak RSS
  rate=$(awk -v n="$n" -v ns="$2" 'BEGIN { printf "%.1f", n / (ns / 1e9) }')
  if [ -n "$3" ]; then lat=$(percentiles "$3"); else lat="n/a n/a"; fi
  set -- "$1" "$2" "$lat" "$4"
  printf '%-28s %8s jobs/s  p50/p99 %s ms  peak RSS %s KiB  (%.2f s)\n' \
    "$1" "$rate" "$3" "$4" "$(awk -v ns="$2" 'BEGIN { print ns / 1e9 }')"
}

echo "bench-submit: $n jobs per way against $endpoint"
before=$(count_jobs)

# (a) one curl process per job
: > "$work/curl.ms"
start=$(now_ns)
i=0
while [ "$i" -lt "$n" ]; do
  curl -s -o /dev/null -w '%{http_code} %{time_total}\n' \
    -H "Authorization: Bearer $token" -H 'x-ms-version: 2.19' \
    -H 'DataServiceVersion: 3.0' -H 'MaxDataServiceVersion: 3.0' \
    -H 'Accept: application/json;odata=verbose' \
    -H 'Content-Type: application/json;odata=verbose' \
    --data-binary "@$work/job.json" "${account_base}Jobs" \
    | awk '$1 != 201 { print "curl: HTTP " $1 > "/dev/stderr" } { printf "%.3f\n", $2 * 1000 }' >> "$work/curl.ms"
  i=$((i + 1))
done
curl_ns=$(($(now_ns) - start))
curl_rss=$(peak_rss curl -s -o /dev/null -H "Authorization: Bearer $token" -H 'x-ms-version: 2.19' \
  -H 'Accept: application/json;odata=verbose' "${account_base}MediaProcessors")

# (b) jobgraph-cli, one process per job
: > "$work/cli.ms"
start=$(now_ns)
i=0
while [ "$i" -lt "$n" ]; do
  t0=$(now_ns)
  "$cli" submit "$job_file" --inputs "$asset" > /dev/null 2>> "$work/cli.err" || echo "cli: submit failed" >&2
  echo $((($(now_ns) - t0) / 1000)) | awk '{ printf "%.3f\n", $1 / 1000 }' >> "$work/cli.ms"
  i=$((i + 1))
done
cli_ns=$(($(now_ns) - start))
cli_rss=$(peak_rss "$cli" submit "$job_file" --inputs "$asset")

# (c) one jobgraph-cli --per-input, pipelined
ids=$(awk -v n="$n" -v id="$asset" 'BEGIN { for (i = 0; i < n; i++) printf "%s%s", (i ? "," : ""), id }')
timer=
if [ -x /usr/bin/time ]; then timer="/usr/bin/time -v -o $work/pipelined.time"; fi
start=$(now_ns)
$timer "$cli" submit "$job_file" --per-input --inputs "$ids" > "$work/pipelined.out" 2> /dev/null || echo "cli: pipelined submit failed" >&2
pipe_ns=$(($(now_ns) - start))
pipe_rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$work/pipelined.time" 2>/dev/null || true)
[ -n "$pipe_rss" ] || pipe_rss=n/a

report "(a) curl loop" "$curl_ns" "$work/curl.ms" "$curl_rss"
report "(b) jobgraph-cli, one by one" "$cli_ns" "$work/cli.ms" "$cli_rss"
report "(c) jobgraph-cli --per-input" "$pipe_ns" "" "$pipe_rss"
echo "    (c) latency per job is not measurable from outside: one process submits them all"
awk -v a="$curl_ns" -v c="$pipe_ns" 'BEGIN { printf "pipelined vs curl loop: %.1fx\n", a / c }'

emulator_rss=$(sed -n 's/^VmHWM:[[:space:]]*//p' "/proc/$emulator_pid/status" 2>/dev/null || echo n/a)
echo "emulator peak RSS: $emulator_rss"

# The RSS run of (b) submitted one job more.
expected=$((before + 3 * n + 1))
after=$(count_jobs)
echo "jobs submitted: $((3 * n + 1)), jobs the service holds: $((after - before)), duplicates: $((after - expected))"
