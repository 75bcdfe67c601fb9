#!/usr/bin/env bash
#
# tests/ui/test-accounts-keyring.sh
#
# Copyright 2026 The Jobgraph authors
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Preferences → Accounts with a real keyring: a private D-Bus session
# (dbus-run-session) with its own gnome-keyring-daemon in a scratch HOME,
# like tests/cli/test-cli-keyring.sh. test-preferences' keyring case
# (JOBGRAPH_TEST_KEYRING=1) adds an account with its secret through the
# dialog and checks the keyring holds it; then the scratch home and the
# test's output are searched for the secret. Prints TAP; skips without a
# display or when dbus-run-session, dbus-daemon, gnome-keyring-daemon,
# secret-tool or gdbus is missing.
#
# Usage: test-accounts-keyring.sh TEST_PREFERENCES

set -uo pipefail

# UI_TEST_EMULATOR_KEY of tests/ui/ui-test-service.h: the extra emulator's
# key, which the test enters as the new account's secret.
SECRET=ui-test-key

skip_all ()
{
  echo "1..0 # SKIP $*"
  exit 0
}

if (($# != 1)); then
  echo "usage: $0 TEST_PREFERENCES" >&2
  exit 99
fi

[[ -n ${DISPLAY:-} ]] || skip_all "no display"
for tool in dbus-run-session dbus-daemon gnome-keyring-daemon secret-tool gdbus; do
  command -v "$tool" >/dev/null 2>&1 || skip_all "$tool not found"
done

test_preferences=$1

# The outer run makes a scratch home (the keyring files, the test's
# temporary files) before it starts the private session bus, so that the
# bus and whatever it activates use it too; the inner run does the testing.
if [[ -z ${JOBGRAPH_TEST_TMP:-} ]]; then
  tmp=$(mktemp -d "${TMPDIR:-/tmp}/jobgraph-accounts-keyring.XXXXXX") || exit 99
  trap 'rm -rf "$tmp"' EXIT

  export HOME=$tmp/home
  export XDG_DATA_HOME=$tmp/data
  export XDG_CONFIG_HOME=$tmp/config
  export XDG_CACHE_HOME=$tmp/cache
  export XDG_STATE_HOME=$tmp/state
  export XDG_RUNTIME_DIR=$tmp/run
  export TMPDIR=$tmp/tmp
  mkdir -p "$HOME" "$XDG_DATA_HOME" "$XDG_CONFIG_HOME" "$XDG_CACHE_HOME" "$XDG_STATE_HOME" "$TMPDIR"
  mkdir -m 0700 "$XDG_RUNTIME_DIR"

  JOBGRAPH_TEST_TMP=$tmp dbus-run-session -- "$BASH" "$0" "$@"
  exit
fi

tmp=$JOBGRAPH_TEST_TMP

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

JOBGRAPH_TEST_KEYRING=1 "$test_preferences" >"$tmp/test.out" 2>"$tmp/test.err" </dev/null
status=$?
sed 's/^/# /' "$tmp/test.out" "$tmp/test.err"
check "the dialog stores the secret in the keyring (test-preferences keyring case)" test "$status" -eq 0

stored=$(secret-tool lookup account Keyed kind acs)
check "secret-tool finds the secret where the CLI looks for it" test "$stored" == "$SECRET"

# The keyring's own file is encrypted; nothing else may hold the secret.
check "no file under HOME or the XDG directories holds the secret" \
  bash -c '! grep -rqF -D skip "$0" "$@"' "$SECRET" \
  "$HOME" "$XDG_DATA_HOME" "$XDG_CONFIG_HOME" "$XDG_CACHE_HOME" "$XDG_STATE_HOME" "$XDG_RUNTIME_DIR"
check "the test prints no secret" bash -c '! grep -qF "$0" "$@"' "$SECRET" "$tmp/test.out" "$tmp/test.err"

echo "1..$n"
exit "$failed"
