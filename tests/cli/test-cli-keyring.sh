#!/usr/bin/env bash
#
# tests/cli/test-cli-keyring.sh
#
# Copyright 2026 The Jobgraph authors
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# `jobgraph-cli --account NAME` with the secret in the keyring: a private
# D-Bus session (dbus-run-session) with its own gnome-keyring-daemon in a
# scratch HOME, and the real jobgraph-emulator. Prints TAP; skips when
# dbus-run-session, dbus-daemon, gnome-keyring-daemon, secret-tool or gdbus
# is missing.
#
# Usage: test-cli-keyring.sh JOBGRAPH_CLI JOBGRAPH_EMULATOR
# ($JOBGRAPH_CLI overrides the first, to test an installed jobgraph-cli.)

set -uo pipefail

# The emulator's default account and key.
ACCOUNT_NAME=local
ACCOUNT_KEY=jobgraph-local-key
MES_ID=nb:mpid:UUID:ff4df607-d419-42f0-bc17-a481b1331e56

skip_all ()
{
  echo "1..0 # SKIP $*"
  exit 0
}

if (($# != 2)); then
  echo "usage: $0 JOBGRAPH_CLI JOBGRAPH_EMULATOR" >&2
  exit 99
fi

for tool in dbus-run-session dbus-daemon gnome-keyring-daemon secret-tool gdbus; do
  command -v "$tool" >/dev/null 2>&1 || skip_all "$tool not found"
done

cli=${JOBGRAPH_CLI:-$1}
emulator=$2

# The outer run makes a scratch home (the keyring files, accounts.ini and the
# emulator's data) before it starts the private session bus, so that the bus
# and whatever it activates use it too; the inner run does the testing.
if [[ -z ${JOBGRAPH_TEST_TMP:-} ]]; then
  tmp=$(mktemp -d "${TMPDIR:-/tmp}/jobgraph-cli-keyring.XXXXXX") || exit 99
  trap 'rm -rf "$tmp"' EXIT

  export HOME=$tmp/home
  export XDG_DATA_HOME=$tmp/data
  export XDG_CONFIG_HOME=$tmp/config
  export XDG_CACHE_HOME=$tmp/cache
  export XDG_RUNTIME_DIR=$tmp/run
  export LC_ALL=C.UTF-8
  unset JOBGRAPH_ENDPOINT JOBGRAPH_TOKEN JOBGRAPH_SECRET JOBGRAPH_EMULATOR_KEY DISPLAY WAYLAND_DISPLAY
  mkdir -p "$HOME" "$XDG_DATA_HOME" "$XDG_CONFIG_HOME/jobgraph" "$XDG_CACHE_HOME" "$tmp/emulator/assets"
  mkdir -m 0700 "$XDG_RUNTIME_DIR"

  JOBGRAPH_TEST_TMP=$tmp dbus-run-session -- "$BASH" "$0" "$@"
  exit
fi

tmp=$JOBGRAPH_TEST_TMP
emulator_pid=

stop_emulator ()
{
  if [[ -n $emulator_pid ]]; then
    kill "$emulator_pid" 2>/dev/null
    wait "$emulator_pid" 2>/dev/null
  fi
}
trap stop_emulator EXIT

# gnome-keyring 42 ignores an empty password on stdin and then has no
# login collection to store into, so the test keyring gets a dummy one. The
# daemon leaves when the session bus goes away.
printf '%s' test-keyring-password |
  gnome-keyring-daemon --unlock --components=secrets --daemonize >"$tmp/keyring.env" 2>"$tmp/keyring.log" ||
  skip_all "gnome-keyring-daemon does not start: $(head -n 1 "$tmp/keyring.log")"

has_secret_service ()
{
  gdbus call --session --dest org.freedesktop.DBus --object-path /org/freedesktop/DBus \
    --method org.freedesktop.DBus.NameHasOwner org.freedesktop.secrets 2>/dev/null | grep -q true
}

for ((i = 0; i < 100; i++)); do
  has_secret_service && break
  sleep 0.1
done
has_secret_service || skip_all "gnome-keyring-daemon did not register org.freedesktop.secrets"

"$emulator" --port 0 --data-dir "$tmp/emulator" --speed 1000 >"$tmp/emulator.out" 2>"$tmp/emulator.err" &
emulator_pid=$!
for ((i = 0; i < 100; i++)); do
  grep -q '^listening on ' "$tmp/emulator.out" && break
  sleep 0.1
done
root=$(sed -n 's/^listening on //p' "$tmp/emulator.out")
if [[ -z $root ]]; then
  echo "Bail out! jobgraph-emulator did not start: $(cat "$tmp/emulator.err")"
  exit 1
fi

# Three accounts of the emulator under other names: the keyring is searched
# by the accounts.ini group, while the ACS client id stays "local".
for name in from-keyring from-store no-secret; do
  cat >>"$XDG_CONFIG_HOME/jobgraph/accounts.ini" <<EOF
[$name]
endpoint=${root}api/
auth=acs
token-url=${root}v2/OAuth2-13
client-id=$ACCOUNT_NAME

EOF
done

n=0
failed=0

# check DESCRIPTION COMMAND...: one TAP line for a command that succeeds.
check ()
{
  local description=$1
  shift

  n=$((n + 1))
  if "$@"; then
    echo "ok $n - $description"
  else
    echo "not ok $n - $description"
    failed=1
  fi
}

# run NAME ARGS...: runs jobgraph-cli, keeping its status, stdout and
# stderr in $tmp/NAME.{status,out,err}.
run ()
{
  local name=$1
  shift

  "$cli" "$@" >"$tmp/$name.out" 2>"$tmp/$name.err" </dev/null
  echo $? >"$tmp/$name.status"
  {
    echo "# jobgraph-cli $* → $(cat "$tmp/$name.status")"
    sed 's/^/# stdout: /' "$tmp/$name.out"
    sed 's/^/# stderr: /' "$tmp/$name.err"
  }
}

status_is ()
{
  [[ $(cat "$tmp/$1.status") == "$2" ]]
}

printf '%s' "$ACCOUNT_KEY" | secret-tool store --label="Jobgraph test" account from-keyring kind acs
check "secret-tool stores the key" test $? -eq 0

run keyring processors list --account from-keyring
check "processors list finds the key in the keyring" status_is keyring 0
check "processors list prints the processors" grep -qF "$MES_ID" "$tmp/keyring.out"

# The environment comes first: a wrong key there is used, and refused.
JOBGRAPH_SECRET=wrong-key run env-first processors list --account from-keyring
check "JOBGRAPH_SECRET wins over the keyring" status_is env-first 1

run missing processors list --account no-secret
check "an account with no secret anywhere is bad usage" status_is missing 2
check "the message says how to store the secret" grep -qF "accounts store no-secret" "$tmp/missing.err"

printf '%s\n' "$ACCOUNT_KEY" | "$cli" accounts store from-store >"$tmp/store.out" 2>"$tmp/store.err"
check "accounts store reads the secret from stdin" test $? -eq 0
check "accounts store prints no secret" test ! -s "$tmp/store.err"
stored=$(secret-tool lookup account from-store kind acs)
check "accounts store stores it without the line break" test "$stored" == "$ACCOUNT_KEY"

run stored processors list --account from-store
check "processors list uses the stored secret" status_is stored 0

"$cli" accounts store no-such-account </dev/null >"$tmp/unknown.out" 2>"$tmp/unknown.err"
check "accounts store refuses an account missing from accounts.ini" test $? -eq 2

check "the secret never appears in the output" \
  bash -c '! cat "$@" | grep -qF "$0"' "$ACCOUNT_KEY" "$tmp"/*.out "$tmp"/*.err

echo "1..$n"
exit "$failed"
