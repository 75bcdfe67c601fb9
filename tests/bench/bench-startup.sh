#!/bin/bash
# bench-startup.sh
#
# Copyright 2026 The Jobgraph authors
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Start-up of the app to its first frame, and peak RSS, on one private Xvfb
# server: (a) the example graph, (b) a generated 1,000-node graph, both with
# the app's own first-frame report (JOBGRAPH_PROFILE_STARTUP=quit); (c) the
# time until the window is mapped, measured from outside with xdotool, for
# jobgraph and, when installed, GNOME Text Editor on the same machine.
# Prints figures (medians of BENCH_RUNS, default 5) and never asserts on time.
#
# Usage: bench-startup.sh JOBGRAPH EXAMPLE

set -eu

app=$1
example=$2
runs=${BENCH_RUNS:-5}

command -v Xvfb >/dev/null 2>&1 || { echo "bench-startup: Xvfb not installed, skipping"; exit 77; }

work=$(mktemp -d "${TMPDIR:-/tmp}/jobgraph-startup-XXXXXX")
xvfb_pid=
cleanup () {
  [ -n "$xvfb_pid" ] && kill "$xvfb_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT INT TERM

exec 3>"$work/display"
Xvfb -displayfd 3 -screen 0 1600x1000x24 -nolisten tcp 2>/dev/null &
xvfb_pid=$!
for _ in $(seq 50); do [ -s "$work/display" ] && break; sleep 0.1; done
export DISPLAY=":$(cat "$work/display")"
export GSETTINGS_BACKEND=memory NO_AT_BRIDGE=1 GSK_RENDERER=${GSK_RENDERER:-cairo}
export XDG_STATE_HOME="$work/state" XDG_CONFIG_HOME="$work/config" XDG_DATA_HOME="$work/data"

# A 1,000-node graph: 100 inputs, 900 tasks in chains of 9.
python3 - "$work/big.jobgraph" <<'PY'
import json, sys
inputs, outputs, tasks = [], [], []
for c in range(100):
    inputs.append({"label": "Source %d" % c, "x": 40.0, "y": 40.0 + c * 140})
    for k in range(9):
        src = {"input": c} if k == 0 else {"output": len(outputs) - 1}
        outputs.append({"index": len(outputs), "assetName": "out %d.%d" % (c, k)})
        tasks.append({
            "name": "Encode %d.%d" % (c, k),
            "processorId": "nb:mpid:UUID:ff4df607-d419-42f0-bc17-a481b1331e56",
            "configuration": "H264 Single Bitrate 720p",
            "x": 400.0 + k * 360, "y": 40.0 + c * 140,
            "inputs": [src], "outputs": [{"output": len(outputs) - 1}],
        })
json.dump({"format": "jobgraph", "version": 1, "job": {"name": "Big", "priority": 0, "apiVersion": "2.19"},
           "inputs": inputs, "outputs": outputs, "tasks": tasks}, open(sys.argv[1], "w"))
PY

median () { sort -n | awk '{ v[NR] = $1 } END { if (NR) print v[int((NR + 1) / 2)]; else print "n/a" }'; }

# Prints "MS KB": milliseconds from exec to the first frame, peak RSS.
first_frame ()
{
  local start end line
  start=$(date +%s%6N)
  line=$(JOBGRAPH_PROFILE_STARTUP=quit "$app" "$1" 2>&1 >/dev/null | grep 'first frame at' || true)
  [ -n "$line" ] || { echo "n/a n/a"; return; }
  end=$(echo "$line" | sed -n 's/.*first frame at \([0-9]*\) us.*/\1/p')
  echo "$(( (end - start) / 1000 )) $(echo "$line" | sed -n 's/.*peak RSS \([0-9-]*\) kB.*/\1/p')"
}

# Milliseconds from exec until a window whose name matches $2 is mapped.
mapped ()
{
  local name=$1 start end pid
  shift
  start=$(date +%s%3N)
  "$@" >/dev/null 2>&1 &
  pid=$!
  xdotool search --sync --onlyvisible --name "$name" >/dev/null 2>&1
  end=$(date +%s%3N)
  kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null || true
  echo $((end - start))
}

report ()
{
  local label=$1 file=$2 i ms=() kb=()
  for i in $(seq "$runs"); do
    set -- $(first_frame "$file")
    ms+=("$1"); kb+=("$2")
  done
  printf '%-34s first frame %5s ms (median of %d)   peak RSS %6s kB\n' "$label" \
    "$(printf '%s\n' "${ms[@]}" | median)" "$runs" "$(printf '%s\n' "${kb[@]}" | median)"
}

echo "renderer: $GSK_RENDERER, display $DISPLAY 1600x1000"
"$app" --version >/dev/null 2>&1 || true
report "jobgraph, example graph" "$example"
report "jobgraph, 1,000-node graph" "$work/big.jobgraph"

if command -v xdotool >/dev/null 2>&1; then
  ms=()
  for _ in $(seq "$runs"); do ms+=("$(mapped chained-encode "$app" "$example")"); done
  printf '%-34s window mapped %5s ms\n' "jobgraph (xdotool)" "$(printf '%s\n' "${ms[@]}" | median)"

  if command -v gnome-text-editor >/dev/null 2>&1; then
    echo hello > "$work/note.txt"
    ms=()
    for _ in $(seq "$runs"); do ms+=("$(mapped note.txt gnome-text-editor --standalone "$work/note.txt")"); done
    printf '%-34s window mapped %5s ms\n' "gnome-text-editor (xdotool)" "$(printf '%s\n' "${ms[@]}" | median)"
  else
    echo "gnome-text-editor not installed: no comparison"
  fi
fi
