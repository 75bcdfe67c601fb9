#!/bin/sh
# bench-encode.sh
#
# Copyright 2026 The Jobgraph authors
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Wall time of one 720p single-bitrate encode (H.264 4500 kb/s + AAC
# 128 kb/s in MP4) of a generated BENCH_SECONDS-second (default 30) 1080p
# clip, three ways in one run:
#   (a) the Local service: jobgraph-emulator (real encoding), the clip
#       uploaded through the SAS flow with jobgraph-cli, one job with
#       "H264 Single Bitrate 720p", from submit to Finished;
#   (b) gst-launch-1.0 with the pipeline the service builds;
#   (c) ffmpeg -c:v libx264 at matched settings (preset veryfast, a key
#       frame every 60 frames, 4500k, 1280x720, AAC 128k), when ffmpeg is
#       installed.
# The service's x264enc runs at speed-preset=veryfast with key frames
# every 2 s (the presets' KeyFrameInterval); (b) and (c) do the same.
# Prints seconds, the ratios (a)/(b) and (a)/(c) and the upload rate; the
# targets (within 10% of gst-launch, no more than 20% slower than ffmpeg)
# are for people to read: it never asserts on time. Exits 77 without the
# GStreamer tools or plugins.
#
# Usage: bench-encode.sh JOBGRAPH_CLI JOBGRAPH_EMULATOR

set -eu

cli=$1
emulator=$2
seconds=${BENCH_SECONDS:-30}
token=bench-token

for tool in gst-launch-1.0 gst-inspect-1.0 curl; do
  if ! command -v "$tool" > /dev/null 2>&1; then
    echo "bench-encode: $tool is not installed; skipping"
    exit 77
  fi
done
for element in x264enc avenc_aac mp4mux videotestsrc; do
  if ! gst-inspect-1.0 "$element" > /dev/null 2>&1; then
    echo "bench-encode: GStreamer element $element is not installed; skipping"
    exit 77
  fi
done

work=$(mktemp -d "${TMPDIR:-/tmp}/jobgraph-bench-encode-XXXXXX")
emulator_pid=
cleanup () {
  if [ -n "$emulator_pid" ]; then
    kill "$emulator_pid" 2>/dev/null || true
    wait "$emulator_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT INT TERM

now_ns () {
  date +%s%N
}

seconds_since () {
  echo "$1 $(now_ns)" | awk '{ printf "%.2f", ($2 - $1) / 1e9 }'
}

# The source: SMPTE bars with a clock at 1920x1080, 30 fps, and a tone.
frames=$((seconds * 30))
gst-launch-1.0 -q videotestsrc num-buffers="$frames" pattern=smpte \
    ! video/x-raw,width=1920,height=1080,framerate=30/1 ! timeoverlay \
    ! x264enc speed-preset=veryfast bitrate=8000 ! h264parse ! mux. \
  audiotestsrc num-buffers=$((seconds * 48000 / 1024)) samplesperbuffer=1024 \
    ! audio/x-raw,rate=48000,channels=2 ! audioconvert ! avenc_aac ! aacparse ! mux. \
  mp4mux name=mux ! filesink location="$work/source.mp4"
size=$(stat -c %s "$work/source.mp4")
echo "source: ${seconds} s 1920x1080 H.264 + AAC, $size bytes"

# (a) the Local service
mkdir -p "$work/data"
env -u JOBGRAPH_EMULATOR_SIMULATE "$emulator" --port 0 --data-dir "$work/data" --token "$token" --workers 1 \
  > "$work/emulator.out" 2> "$work/emulator.err" &
emulator_pid=$!

root=
while [ -z "$root" ]; do
  if ! kill -0 "$emulator_pid" 2>/dev/null; then
    echo "bench-encode: the emulator did not start:" >&2
    cat "$work/emulator.err" >&2
    exit 1
  fi
  root=$(sed -n 's/^listening on //p' "$work/emulator.out")
done
base="${root}accounts/local/api/"
JOBGRAPH_ENDPOINT="${root}api/"
JOBGRAPH_TOKEN=$token
export JOBGRAPH_ENDPOINT JOBGRAPH_TOKEN

start=$(now_ns)
asset=$("$cli" assets upload "$work/source.mp4" --name bench-source.mp4 | cut -f1)
upload_s=$(seconds_since "$start")

api () {
  method=$1
  path=$2
  shift 2
  curl -s -X "$method" -H "Authorization: Bearer $token" -H "x-ms-version: 2.19" \
    -H "DataServiceVersion: 3.0" -H "MaxDataServiceVersion: 3.0" \
    -H "Accept: application/json" -H "Content-Type: application/json" "$@" "$base$path"
}

escaped=$(printf '%s' "$asset" | sed 's/:/%3A/g')
body=$(printf '{"Name":"bench 720p","InputMediaAssets@odata.bind":["%sAssets(%s)"],"Tasks":[{"Configuration":"H264 Single Bitrate 720p","MediaProcessorId":"nb:mpid:UUID:ff4df607-d419-42f0-bc17-a481b1331e56","TaskBody":"<taskBody><inputAsset>JobInputAsset(0)</inputAsset><outputAsset>JobOutputAsset(0)</outputAsset></taskBody>"}]}' \
  "$base" "'$escaped'")

start=$(now_ns)
job=$(api POST Jobs -d "$body" | sed -n 's/.*"Id":"\(nb:jid:[^"]*\)".*/\1/p')
if [ -z "$job" ]; then
  echo "bench-encode: the job was not accepted" >&2
  exit 1
fi
job_escaped=$(printf '%s' "$job" | sed 's/:/%3A/g')
state=0
while [ "$state" -lt 3 ]; do
  sleep 0.05
  state=$(api GET "Jobs('$job_escaped')/State" | sed -n 's/.*"value":\([0-9]\).*/\1/p')
  state=${state:-0}
done
service_s=$(seconds_since "$start")
if [ "$state" -ne 3 ]; then
  echo "bench-encode: the job ended in state $state:" >&2
  api GET "Jobs('$job_escaped')/Tasks" >&2
  exit 1
fi

# (b) gst-launch-1.0 with the service's pipeline
start=$(now_ns)
gst-launch-1.0 -q uridecodebin uri="file://$work/source.mp4" name=dec \
  dec. ! queue ! videoconvert ! videoscale ! video/x-raw,width=1280,height=720 \
    ! x264enc bitrate=4500 speed-preset=veryfast key-int-max=60 ! h264parse ! mux. \
  dec. ! queue ! audioconvert ! audioresample ! avenc_aac bitrate=128000 ! aacparse ! mux. \
  mp4mux name=mux ! filesink location="$work/gst.mp4"
gst_s=$(seconds_since "$start")

# (c) ffmpeg at matched settings
ffmpeg_s=
if command -v ffmpeg > /dev/null 2>&1; then
  start=$(now_ns)
  ffmpeg -loglevel error -y -i "$work/source.mp4" -vf scale=1280:720 -c:v libx264 -preset veryfast \
    -g 60 -b:v 4500k -c:a aac -b:a 128k "$work/ffmpeg.mp4"
  ffmpeg_s=$(seconds_since "$start")
fi

echo "upload through the SAS flow: ${upload_s} s ($(echo "$size $upload_s" | awk '{ printf "%.0f", $1 / 1e6 / ($2 > 0 ? $2 : 1) }') MB/s)"
echo "Local service, submit to Finished: ${service_s} s"
echo "gst-launch-1.0, same pipeline:      ${gst_s} s"
echo "$service_s $gst_s" | awk '{ printf "ratio service / gst-launch: %.2f (target <= 1.10)\n", $1 / $2 }'
if [ -n "$ffmpeg_s" ]; then
  echo "ffmpeg -c:v libx264 -preset veryfast: ${ffmpeg_s} s"
  echo "$service_s $ffmpeg_s" | awk '{ printf "ratio service / ffmpeg: %.2f (target <= 1.20)\n", $1 / $2 }'
else
  echo "ffmpeg: not installed"
fi
