#!/bin/bash
# test-e2e.sh
#
# Copyright 2026 The Jobgraph authors
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# End to end with the real binary and the real pointer: start `jobgraph` on
# a graph whose task reads nothing yet, drag a wire from the job input's port
# onto the task with xdotool, save with Ctrl+S, and check the saved file now
# wires JobInputAsset(0) into the task. Needs a display (xvfb-run) and
# xdotool; skips (TAP "1..0 # SKIP") without them. Port positions come from
# the app itself (JOBGRAPH_DEBUG_GEOMETRY), in window coordinates.
#
# Usage: test-e2e.sh JOBGRAPH

set -u

app=$1

skip () { echo "1..0 # SKIP $*"; exit 0; }
[ -n "${DISPLAY:-}" ] || skip "no display"
command -v xdotool >/dev/null 2>&1 || skip "xdotool not installed"

work=$(mktemp -d "${TMPDIR:-/tmp}/jobgraph-e2e-XXXXXX")
pid=
cleanup () {
  [ -n "$pid" ] && kill "$pid" 2>/dev/null
  wait 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

cat > "$work/e2e.jobgraph" <<'JSON'
{
  "format": "jobgraph", "version": 1,
  "job": { "name": "E2E", "priority": 0, "apiVersion": "2.19" },
  "inputs": [ { "label": "Source", "x": 40.0, "y": 40.0 } ],
  "outputs": [ { "index": 0, "assetName": "Encoded" } ],
  "tasks": [ {
    "name": "Encode", "processorId": "nb:mpid:UUID:ff4df607-d419-42f0-bc17-a481b1331e56",
    "configuration": "H264 Single Bitrate 720p", "options": 0, "priority": 0,
    "x": 420.0, "y": 40.0, "inputs": [], "outputs": [ { "output": 0 } ]
  } ]
}
JSON

export GSETTINGS_BACKEND=memory NO_AT_BRIDGE=1 GSK_RENDERER=cairo
export XDG_STATE_HOME="$work/state" XDG_CONFIG_HOME="$work/config" XDG_DATA_HOME="$work/data"
export JOBGRAPH_DEBUG_GEOMETRY="$work/geometry"

echo "1..4"

"$app" "$work/e2e.jobgraph" >"$work/log" 2>&1 &
pid=$!

win=
for _ in $(seq 600); do
  win=$(xdotool search --onlyvisible --name "e2e.jobgraph" 2>/dev/null | head -n1)
  [ -n "$win" ] && grep -q "task 0 body" "$work/geometry" 2>/dev/null && break
  sleep 0.1
done
if [ -z "$win" ]; then
  echo "not ok 1 - the window opens on the file"; cat "$work/log" >&2; exit 1
fi
echo "ok 1 - the window opens on the file"
sleep 1

eval "$(xdotool getwindowgeometry --shell "$win")"   # X, Y of the window
point () { awk -v k="$1" -v ox="$X" -v oy="$Y" '$0 ~ "^" k " " { print $(NF-1) + ox, $NF + oy; exit }' "$work/geometry"; }
read -r sx sy <<<"$(point "input 0 out 0")"
read -r tx ty <<<"$(point "task 0 body")"
if [ -z "${sx:-}" ] || [ -z "${tx:-}" ]; then
  echo "not ok 2 - the app reports where the port and the task are"; cat "$work/geometry" >&2; exit 1
fi
echo "ok 2 - the app reports where the port and the task are"

# Press on the port, move in steps (past the drag threshold, as a hand
# would), release over the task.
xdotool mousemove "$sx" "$sy"; sleep 0.2
xdotool mousedown 1; sleep 0.2
for i in $(seq 1 10); do
  xdotool mousemove $((sx + (tx - sx) * i / 10)) $((sy + (ty - sy) * i / 10))
  sleep 0.05
done
sleep 0.3
xdotool mouseup 1
sleep 0.5

# Save with the keyboard.
xdotool windowfocus --sync "$win" 2>/dev/null || true
xdotool key --window "$win" ctrl+s

# Slow machines (sanitizers, a loaded CI box) take their time to save.
saved=no
for _ in $(seq 100); do
  grep -q '"input" : 0' "$work/e2e.jobgraph" && { saved=yes; break; }
  sleep 0.2
done

if [ $saved = yes ]; then
  echo "ok 3 - the wire drawn with the pointer is saved with Ctrl+S"
else
  echo "not ok 3 - the wire drawn with the pointer is saved with Ctrl+S"
  cat "$work/e2e.jobgraph" >&2
  exit 1
fi

sleep 0.5
title=$(xdotool getwindowname "$win")
case $title in
  "•"*) echo "not ok 4 - the title shows no unsaved changes after saving (title: $title)"; exit 1 ;;
  *) echo "ok 4 - the title shows no unsaved changes after saving" ;;
esac
