#!/usr/bin/env bash
#
# tests/data/test-i18n-app.sh
#
# Copyright 2026 The Jobgraph authors
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: test-i18n-app.sh PO_BUILD_DIR JOBGRAPH_CLI JOBGRAPH
#
# Proves that the programs speak German with LANGUAGE=de, using the catalogs
# built into PO_BUILD_DIR (LANG/LC_MESSAGES/jobgraph.mo) through the
# JOBGRAPH_LOCALEDIR override of src/app/main.c and src/cli/jg-cli.c:
#  1. `jobgraph-cli validate` reports a job without tasks in German;
#  2. `jobgraph` opens a window titled with the German "Untitled Job"
#     (found with xdotool on the X display the tests run on).
#
# glibc ignores LANGUAGE in the C locale, so a German locale is needed: the
# system's de_DE.UTF-8 if `locale -a` lists it, else one compiled with
# localedef into a temporary LOCPATH (no root needed). Prints TAP.

set -uo pipefail

po_builddir=${1:?usage: test-i18n-app.sh PO_BUILD_DIR JOBGRAPH_CLI JOBGRAPH}
cli=${2:?}
app=${3:?}

tmp=$(mktemp -d "${TMPDIR:-/tmp}/jobgraph-i18n-app.XXXXXX")
app_pid=
cleanup ()
{
  if [[ -n $app_pid ]]; then
    kill "$app_pid" 2>/dev/null
    wait "$app_pid" 2>/dev/null
  fi
  rm -rf "$tmp"
}
trap cleanup EXIT

echo "1..2"

mo=$po_builddir/de/LC_MESSAGES/jobgraph.mo
if [[ ! -f $mo ]]; then
  echo "Bail out! $mo was not built"
  exit 1
fi
mkdir -p "$tmp/locale/de/LC_MESSAGES"
cp "$mo" "$tmp/locale/de/LC_MESSAGES/jobgraph.mo"

# The German locale.
if locale -a 2>/dev/null | grep -qixE 'de_DE\.utf-?8'; then
  :
elif command -v localedef >/dev/null; then
  mkdir -p "$tmp/locales"
  if ! localedef --no-archive -i de_DE -f UTF-8 "$tmp/locales/de_DE.UTF-8" >"$tmp/localedef.log" 2>&1; then
    # localedef warns about some locale sources but still writes them.
    if [[ ! -f $tmp/locales/de_DE.UTF-8/LC_MESSAGES/SYS_LC_MESSAGES ]]; then
      sed 's/^/# /' "$tmp/localedef.log"
      echo "Bail out! localedef could not compile de_DE.UTF-8"
      exit 1
    fi
  fi
  export LOCPATH=$tmp/locales
else
  echo "ok 1 # SKIP neither a de_DE.UTF-8 locale nor localedef (package locales) is available"
  echo "ok 2 # SKIP neither a de_DE.UTF-8 locale nor localedef (package locales) is available"
  exit 0
fi

# Only the programs get the German environment: bash would warn when it
# cannot switch itself to a locale that lives in LOCPATH.
german=(env JOBGRAPH_LOCALEDIR="$tmp/locale" LANGUAGE=de LANG=de_DE.UTF-8 LC_ALL=de_DE.UTF-8)
status=0

# 1. The CLI: the message of the no-tasks rule, in German.
printf '{"Name": "Leer", "Tasks": []}\n' >"$tmp/empty-job.json"
"${german[@]}" "$cli" validate "$tmp/empty-job.json" >"$tmp/cli.out" 2>&1
rc=$?
expected='Der Auftrag hat keine Aufgaben. Fügen Sie mindestens eine Aufgabe hinzu.'
if ((rc == 1)) && grep -qF "$expected" "$tmp/cli.out"; then
  echo "ok 1 jobgraph-cli validate prints German messages"
else
  sed 's/^/# /' "$tmp/cli.out"
  echo "# exit status $rc; expected 1 and “$expected”"
  echo "not ok 1 jobgraph-cli validate prints German messages"
  status=1
fi

# 2. The app: a new window is titled "Unbenannter Auftrag".
title='Unbenannter Auftrag'
if [[ -z ${DISPLAY:-} ]] || ! command -v xdotool >/dev/null; then
  echo "ok 2 # SKIP needs an X display (xvfb-run) and xdotool"
  exit "$status"
fi

"${german[@]}" GDK_BACKEND=x11 XDG_CONFIG_HOME="$tmp/config" XDG_DATA_HOME="$tmp/data" \
  XDG_STATE_HOME="$tmp/state" XDG_CACHE_HOME="$tmp/cache" "$app" >"$tmp/app.out" 2>&1 &
app_pid=$!

found=
for _ in $(seq 1 300); do
  if ! kill -0 "$app_pid" 2>/dev/null; then
    break
  fi
  if xdotool search --all --onlyvisible --pid "$app_pid" --name "^${title}\$" >/dev/null 2>&1; then
    found=1
    break
  fi
  sleep 0.1
done

if [[ -n $found ]]; then
  xdotool search --pid "$app_pid" --name . | while read -r w; do echo "# window: $(xdotool getwindowname "$w")"; done
  echo "ok 2 jobgraph shows the German window title “$title”"
else
  sed 's/^/# /' "$tmp/app.out"
  for w in $(xdotool search --pid "$app_pid" --name . 2>/dev/null); do
    echo "# a window of the app is titled “$(xdotool getwindowname "$w")”"
  done
  echo "not ok 2 jobgraph shows the German window title “$title”"
  status=1
fi
exit "$status"
