#!/bin/sh
#
# tests/emulator/test-interop.sh
#
# Copyright 2026 The Jobgraph authors
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: test-interop.sh EMULATOR SEED_DIR
#
# Drives the real jobgraph-emulator with curl exactly as the seed document
# (../shared/seed/000_9090fb540b39f262.txt) writes its requests: the same
# headers and bodies (tests/data/seed/), URLs re-pointed at the emulator.
# The first request goes to the global /API/ and gets the 301 the document
# describes; the rest go to the account base from its Location. The seeds'
# asset and template ids do not exist here, so the bodies are rewritten with
# sed to name assets seeded from files and the template created first.
# Exits 77 (skipped) without curl.

set -eu

emulator=$1
seed=$2

command -v curl >/dev/null 2>&1 || { echo "1..0 # SKIP curl is not installed"; exit 77; }

work=$(mktemp -d "${TMPDIR:-/tmp}/jobgraph-interop.XXXXXX")
pid=
cleanup ()
{
  if [ -n "$pid" ]; then
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

fail ()
{
  echo "FAIL: $*" >&2
  for f in "$work"/headers "$work"/body; do
    [ -f "$f" ] && { echo "--- $f" >&2; cat "$f" >&2; echo >&2; }
  done
  exit 1
}

mkdir -p "$work/data/assets"
for name in single chained batch template; do
  printf 'not really a video\n' > "$work/data/assets/$name.mp4"
done

"$emulator" --port 0 --data-dir "$work/data" --speed 1000 > "$work/stdout" 2> "$work/stderr" &
pid=$!

# Wait for the one line it prints when ready.
tries=0
until grep -q '^listening on http://127.0.0.1:[0-9]*/$' "$work/stdout" 2>/dev/null; do
  tries=$((tries + 1))
  [ $tries -le 400 ] || fail "the emulator did not start: $(cat "$work/stderr")"
  kill -0 "$pid" 2>/dev/null || fail "the emulator exited: $(cat "$work/stderr")"
  sleep 0.05
done
root=$(sed -n 's/^listening on //p' "$work/stdout")

# curl: -w prints the status; headers and body go to files.
request ()
{
  method=$1
  url=$2
  shift 2
  curl --noproxy '*' -sS -X "$method" -D "$work/headers" -o "$work/body" -w '%{http_code}' "$@" "$url"
}

header ()
{
  tr -d '\r' < "$work/headers" | sed -n "s/^$1: //Ip" | head -n 1
}

# 1. A token from the ACS endpoint, with the documented form.
status=$(request POST "${root}v2/OAuth2-13" \
  -H 'Content-Type: application/x-www-form-urlencoded' -H 'Accept: application/json' \
  --data 'grant_type=client_credentials&client_id=local&client_secret=jobgraph-local-key&scope=urn%3aWindowsAzureMediaServices')
[ "$status" = 200 ] || fail "token: $status"
grep -q '"expires_in":"21600"' "$work/body" || fail "token: expires_in is not the string \"21600\""
token=$(sed -n 's/.*"access_token":"\([^"]*\)".*/\1/p' "$work/body")
[ -n "$token" ] || fail "token: no access_token"

# The headers of the seed document's requests.
set -- -H 'Content-Type: application/json;odata=verbose' \
       -H 'Accept: application/json;odata=verbose' \
       -H 'DataServiceVersion: 3.0' \
       -H 'MaxDataServiceVersion: 3.0' \
       -H 'x-ms-version: 2.11' \
       -H "Authorization: Bearer $token" \
       -H 'x-ms-client-request-id: 00000000-0000-0000-0000-000000000000'

# 2. The first contact: POST /API/Jobs answers 301 with the account base.
status=$(request POST "${root}API/Jobs" "$@" --data-binary "@$seed/single-task-job.json")
[ "$status" = 301 ] || fail "first contact: $status"
base=$(header Location)
case $base in
  "${root}accounts/local/api/") ;;
  *) fail "first contact: Location is '$base'" ;;
esac
grep -q 'Object moved' "$work/body" || fail "first contact: no 'Object moved' body"

# The id of a seeded asset, URL-encoded as in the seeds.
asset_id ()
{
  name=$1
  shift
  status=$(request GET "${base}Assets?\$filter=Name%20eq%20'$name.mp4'" "$@")
  [ "$status" = 200 ] || fail "assets: $status"
  sed -n 's/.*"Id":"\(nb:cid:UUID:[0-9a-f-]*\)".*/\1/p' "$work/body" | sed 's/:/%3A/g'
}

# Rewrites the seeds' hosts to the emulator and their ids to ours.
rewrite ()
{
  sed -e "s|https://media.windows.net/api/|$base|g" \
      -e "s|https://testrest.cloudapp.net/api/|$base|g" \
      -e "s|nb%3Acid%3AUUID%3A$2|$3|g" \
      -e "s|<token>|$token|g" \
      "$seed/$1"
}

check_job ()
{
  what=$1
  status=$2
  [ "$status" = 201 ] || fail "$what: $status"
  header Location | grep -q "^${base}Jobs('nb%3Ajid%3AUUID%3A[0-9a-f-]*')\$" || fail "$what: Location '$(header Location)'"
  grep -q '^{"d":{"__metadata":{' "$work/body" || fail "$what: not a verbose entity"
  grep -q '"Id":"nb:jid:UUID:[0-9a-f-]*"' "$work/body" || fail "$what: d.Id is not nb:jid:UUID:…"
  [ "$(header x-ms-client-request-id)" = 00000000-0000-0000-0000-000000000000 ] || fail "$what: request id not echoed"
}

# 3. The single-task job, re-sent to the account base.
id=$(asset_id single "$@")
rewrite single-task-job.json aab7f15b-3136-4ddf-9962-e9ecb28fb9d2 "$id" > "$work/single.json"
check_job "single-task job" "$(request POST "${base}Jobs" "$@" --data-binary "@$work/single.json")"

# 4. The chained job (its second TaskBody declares utf-16).
id=$(asset_id chained "$@")
rewrite chained-job.json 910ffdc1-2e25-4b17-8a42-61ffd4b8914c "$id" > "$work/chained.json"
check_job "chained job" "$(request POST "${base}Jobs" "$@" --data-binary "@$work/chained.json")"

# 5. The $batch, with its own headers.
id=$(asset_id batch "$@")
rewrite batch-job.batch 2a22445d-1500-80c6-4b34-f1e5190d33c6 "$id" > "$work/batch.batch"
status=$(request POST "${base}\$batch" \
  -H 'DataServiceVersion: 1.0;NetFx' \
  -H 'MaxDataServiceVersion: 3.0;NetFx' \
  -H 'Content-Type: multipart/mixed; boundary=batch_a01a5ec4-ba0f-4536-84b5-66c5a5a6d34e' \
  -H 'Accept: multipart/mixed' \
  -H 'Accept-Charset: UTF-8' \
  -H "Authorization: Bearer $token" \
  -H 'x-ms-version: 2.11' \
  -H 'x-ms-client-request-id: 00000000-0000-0000-0000-000000000000' \
  --data-binary "@$work/batch.batch")
[ "$status" = 202 ] || fail "batch: $status"
header Content-Type | grep -q '^multipart/mixed; boundary=batchresponse_' || fail "batch: Content-Type '$(header Content-Type)'"
[ "$(tr -d '\r' < "$work/body" | grep -c '^HTTP/1.1 201 Created$')" = 2 ] || fail "batch: not two 201 parts"
tr -d '\r' < "$work/body" | grep -q '^Content-ID: 1$' || fail "batch: no Content-ID 1"
tr -d '\r' < "$work/body" | grep -q '^Content-ID: 2$' || fail "batch: no Content-ID 2"
tr -d '\r' < "$work/body" | grep -q "^Location: ${base}Jobs('nb%3Ajid%3AUUID%3A" || fail "batch: no job Location"
tr -d '\r' < "$work/body" | grep -q "^Location: ${base}Tasks('nb%3Atid%3AUUID%3A" || fail "batch: no task Location"
grep -q '"Id":"nb:jid:UUID:' "$work/body" || fail "batch: no job entity"

# 6. The JobTemplate, then a job from it.
status=$(request POST "${base}JobTemplates" "$@" --data-binary "@$seed/job-template.json")
[ "$status" = 201 ] || fail "template: $status"
header Location | grep -q "^${base}JobTemplates('nb%3Ajtid%3AUUID%3A" || fail "template: Location '$(header Location)'"
template=$(sed -n 's/.*"Id":"\(nb:jtid:UUID:[0-9a-f-]*\)".*/\1/p' "$work/body")
[ -n "$template" ] || fail "template: d.Id is not nb:jtid:UUID:…"

id=$(asset_id template "$@")
rewrite job-from-template.json 3f1fe4a2-68f5-4190-9557-cd45beccef92 "$id" |
  sed "s|nb:jtid:UUID:15e6e5e6-ac85-084e-9dc2-db3645fbf0aa|$template|" > "$work/from-template.json"
check_job "job from template" "$(request POST "${base}Jobs" "$@" --data-binary "@$work/from-template.json")"
grep -q "\"TemplateId\":\"$template\"" "$work/body" || fail "job from template: TemplateId"

# 7. Four jobs, and SIGTERM stops the emulator cleanly.
status=$(request GET "${base}Jobs" "$@")
[ "$status" = 200 ] || fail "jobs: $status"
[ "$(grep -o '"Id":"nb:jid:UUID:' "$work/body" | wc -l)" -eq 4 ] || fail "jobs: not 4 jobs"

kill -TERM "$pid"
wait "$pid" || fail "the emulator exited with $? after SIGTERM"
pid=

echo "interop: all seed requests answered as documented"
