#!/usr/bin/env bash
#
# tests/data/test-install.sh
#
# Copyright 2026 The Jobgraph authors
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: test-install.sh MESON BUILDDIR APP_ID PREFIX BINDIR DATADIR MANDIR
#
# Installs the build into a temporary DESTDIR and checks that the result is a
# working desktop app: programs, man pages, desktop file, metainfo, settings
# schema, icons, MIME type and D-Bus service at the paths a desktop looks for
# them, and that it starts from its desktop file and opens a .jobgraph file
# as a desktop would. meson install first builds what meson test did not
# (the .mo files). Prints TAP; parts whose tools are missing are skipped.

set -uo pipefail

meson=$1 builddir=$2 app_id=$3 prefix=$4 bindir=$5 datadir=$6 mandir=$7

# Relative option values are relative to the prefix.
[[ $bindir == /* ]] || bindir=$prefix/$bindir
[[ $datadir == /* ]] || datadir=$prefix/$datadir
[[ $mandir == /* ]] || mandir=$prefix/$mandir

tmp=$(mktemp -d "${TMPDIR:-/tmp}/jobgraph-install-XXXXXX")
trap 'rm -rf "$tmp"' EXIT
dest=$tmp/dest
bin=$dest$bindir
share=$dest$datadir
man=$dest$mandir

n=0
failed=0
ok () { n=$((n + 1)); echo "ok $n - $1"; }
not_ok () { n=$((n + 1)); failed=1; echo "not ok $n - $1"; shift; for l in "$@"; do echo "# $l"; done; }
skip () { n=$((n + 1)); echo "ok $n - $1 # SKIP $2"; }
have () { command -v "$1" > /dev/null 2>&1; }

# check DESCRIPTION COMMAND…: one test point, the command's output as diagnostics.
check ()
{
  local what=$1 out
  shift
  if out=$("$@" 2>&1); then
    ok "$what"
  else
    mapfile -t lines <<< "$out"
    not_ok "$what" "${lines[@]}"
  fi
}

if ! out=$(DESTDIR=$dest "$meson" install -C "$builddir" --quiet 2>&1); then
  echo "1..1"
  mapfile -t lines <<< "$out"
  not_ok "meson install into a DESTDIR" "${lines[@]}"
  exit 1
fi
ok "meson install into a DESTDIR"

for prog in jobgraph jobgraph-cli jobgraph-emulator; do
  check "$prog is installed and executable" test -f "$bin/$prog" -a -x "$bin/$prog"
  check "man page for $prog" test -s "$man/man1/$prog.1"
done

out=$("$bin/jobgraph-cli" --version 2>&1)
if [[ $? == 0 && $out == jobgraph-cli* ]]; then
  ok "installed jobgraph-cli --version runs"
else
  not_ok "installed jobgraph-cli --version runs" "$out"
fi
out=$("$bin/jobgraph-emulator" --version 2>&1)
if [[ $? == 0 && $out == jobgraph-emulator* ]]; then
  ok "installed jobgraph-emulator --version runs"
else
  not_ok "installed jobgraph-emulator --version runs" "$out"
fi

desktop=$share/applications/$app_id.desktop
metainfo=$share/metainfo/$app_id.metainfo.xml
schema=$share/glib-2.0/schemas/$app_id.gschema.xml
mime=$share/mime/packages/$app_id.xml
service=$share/dbus-1/services/$app_id.service
icon=$share/icons/hicolor/scalable/apps/$app_id.svg
symbolic=$share/icons/hicolor/symbolic/apps/$app_id-symbolic.svg

for f in "$desktop" "$metainfo" "$schema" "$mime" "$service" "$icon" "$symbolic"; do
  check "installed ${f#"$dest"}" test -s "$f"
done

if have desktop-file-validate; then
  check "installed desktop file is valid" desktop-file-validate "$desktop"
else
  skip "installed desktop file is valid" "desktop-file-validate not found"
fi

# The desktop file starts the installed program, by the icon it names, and
# claims the MIME type that is installed.
exec_line=$(sed -n 's/^Exec=//p' "$desktop" | head -n 1)
exec_prog=${exec_line%% *}
[[ $exec_prog == /* ]] || exec_prog=$bindir/$exec_prog
check "desktop file Exec ($exec_line) is installed" test -x "$dest$exec_prog"
icon_name=$(sed -n 's/^Icon=//p' "$desktop" | head -n 1)
check "desktop file Icon ($icon_name) is installed" test -s "$share/icons/hicolor/scalable/apps/$icon_name.svg"
check "desktop file claims application/x-jobgraph" grep -q '^MimeType=.*application/x-jobgraph;' "$desktop"
check "MIME package defines application/x-jobgraph" grep -q 'type="application/x-jobgraph"' "$mime"

# D-Bus activation runs the installed program with the desktop file's name.
service_exec=$(sed -n 's/^Exec=//p' "$service")
service_prog=${service_exec%% *}
check "D-Bus service Exec ($service_exec) is installed" test -x "$dest$service_prog"
check "D-Bus service name is the desktop file id" grep -qx "Name=$app_id" "$service"
check "desktop file is D-Bus activatable" grep -qx 'DBusActivatable=true' "$desktop"

if have appstreamcli; then
  check "installed metainfo is valid" appstreamcli validate --no-net "$metainfo"
else
  skip "installed metainfo is valid" "appstreamcli not found"
fi
check "metainfo launches the desktop file" grep -q "<launchable type=\"desktop-id\">$app_id.desktop</launchable>" "$metainfo"

if have glib-compile-schemas; then
  check "installed schema compiles" glib-compile-schemas --strict --targetdir="$tmp" "$share/glib-2.0/schemas"
else
  skip "installed schema compiles" "glib-compile-schemas not found"
fi

# The build dir holds the compiled schema, for tests that use GSettings.
if have gsettings && [[ -f $builddir/data/gschemas.compiled ]]; then
  out=$(GSETTINGS_SCHEMA_DIR=$builddir/data GSETTINGS_BACKEND=memory gsettings get "$app_id" autosave-interval 2>&1)
  if [[ $out == "uint32 3" ]]; then
    ok "GSETTINGS_SCHEMA_DIR=builddir/data finds the schema"
  else
    not_ok "GSETTINGS_SCHEMA_DIR=builddir/data finds the schema" "$out"
  fi
else
  skip "GSETTINGS_SCHEMA_DIR=builddir/data finds the schema" "gsettings or gschemas.compiled not found"
fi

# A .jobgraph file, and a file without a name hint that only the magic can
# tell apart, are application/x-jobgraph once the MIME database is updated.
if have update-mime-database && have gio; then
  mimeroot=$tmp/xdg
  mkdir -p "$mimeroot/mime/packages" "$tmp/home"
  cp "$mime" "$mimeroot/mime/packages/"
  [[ -f /usr/share/mime/packages/freedesktop.org.xml ]] &&
    cp /usr/share/mime/packages/freedesktop.org.xml "$mimeroot/mime/packages/"
  if out=$(update-mime-database "$mimeroot/mime" 2>&1); then
    ok "update-mime-database accepts the MIME package"
    printf '{\n  "format" : "jobgraph",\n  "version" : 1\n}\n' > "$tmp/sample.jobgraph"
    printf '{"format": "jobgraph", "version": 1}\n' > "$tmp/compact"
    printf '{\n  "format" : "jobgraph",\n  "version" : 1\n}\n' > "$tmp/spaced"
    printf '{"name": "not a job graph"}\n' > "$tmp/other.json"
    for pair in sample.jobgraph:application/x-jobgraph compact:application/x-jobgraph \
                spaced:application/x-jobgraph other.json:application/json; do
      file=${pair%%:*} want=${pair#*:}
      got=$(env -u G_DEBUG XDG_DATA_DIRS="$mimeroot" XDG_DATA_HOME="$tmp/home" GIO_USE_VFS=local \
              gio info -a standard::content-type "$tmp/$file" 2>&1 |
            sed -n 's/^ *standard::content-type: //p')
      if [[ $got == "$want" ]]; then
        ok "$file is $want"
      else
        not_ok "$file is $want" "got '$got'"
      fi
    done
  else
    mapfile -t lines <<< "$out"
    not_ok "update-mime-database accepts the MIME package" "${lines[@]}"
  fi
else
  skip "update-mime-database accepts the MIME package" "update-mime-database or gio not found"
fi

# Launching for real, as a desktop does: a private session bus whose
# service directories include the installed share/ (XDG_DATA_DIRS), the
# D-Bus service file pointed at the DESTDIR copy of the program (the prefix
# itself is not written to), then `gio launch` of the desktop file (D-Bus
# activation, DBusActivatable=true) and `gio open` of a .jobgraph file (the
# MIME type's default application). Each must show its window.
window_shows ()
{
  for _ in $(seq 150); do
    xdotool search --onlyvisible --name "$1" > /dev/null 2>&1 && return 0
    sleep 0.2
  done
  return 1
}

if have dbus-run-session && have gio && have xdotool && have update-mime-database &&
   have update-desktop-database && [[ -n ${DISPLAY:-} ]]; then
  launch=$tmp/launch
  mkdir -p "$launch/home" "$launch/state" "$launch/config" "$launch/cache"
  sed -i "s|^Exec=$service_prog|Exec=$dest$service_prog|" "$service"
  glib-compile-schemas "$share/glib-2.0/schemas"
  mkdir -p "$share/mime/packages"
  [[ -f /usr/share/mime/packages/freedesktop.org.xml ]] &&
    cp /usr/share/mime/packages/freedesktop.org.xml "$share/mime/packages/"
  update-mime-database "$share/mime" > /dev/null 2>&1
  update-desktop-database "$share/applications" > /dev/null 2>&1
  printf '{ "format": "jobgraph", "version": 1, "job": { "name": "Launched", "priority": 0, "apiVersion": "2.19" },\n  "inputs": [], "outputs": [], "tasks": [] }\n' \
    > "$launch/launched.jobgraph"

  out=$(env -u G_DEBUG -u DBUS_SESSION_BUS_ADDRESS HOME="$launch/home" XDG_DATA_DIRS="$share:/usr/share" \
          XDG_DATA_HOME="$launch/home/data" XDG_STATE_HOME="$launch/state" XDG_CONFIG_HOME="$launch/config" \
          XDG_CACHE_HOME="$launch/cache" GSETTINGS_SCHEMA_DIR="$share/glib-2.0/schemas" GSETTINGS_BACKEND=memory \
          JOBGRAPH_LOCAL_SERVICE=manual NO_AT_BRIDGE=1 GDK_BACKEND=x11 PATH="$dest$bindir:$PATH" \
          dbus-run-session -- bash -c '
            gio launch "$1" || exit 2
            for _ in $(seq 150); do
              xdotool search --onlyvisible --name "Untitled Job" > /dev/null 2>&1 && break
              sleep 0.2
            done
            xdotool search --onlyvisible --name "Untitled Job" > /dev/null 2>&1 || exit 3
            gio open "$2" || exit 4
            for _ in $(seq 150); do
              xdotool search --onlyvisible --name "launched.jobgraph" > /dev/null 2>&1 && exit 0
              sleep 0.2
            done
            exit 5' launch "$desktop" "$launch/launched.jobgraph" 2>&1)
  status=$?
  pkill -f "$dest$bindir/jobgraph" 2> /dev/null
  case $status in
    0) ok "gio launch of the desktop file shows a window (D-Bus activation)"
       ok "gio open of a .jobgraph file opens it in the app" ;;
    3|2) mapfile -t lines <<< "$out"
       not_ok "gio launch of the desktop file shows a window (D-Bus activation)" "${lines[@]}"
       skip "gio open of a .jobgraph file opens it in the app" "the app did not start" ;;
    *) ok "gio launch of the desktop file shows a window (D-Bus activation)"
       mapfile -t lines <<< "$out"
       not_ok "gio open of a .jobgraph file opens it in the app" "exit $status" "${lines[@]}" ;;
  esac
else
  skip "gio launch of the desktop file shows a window (D-Bus activation)" "no display, dbus-run-session, gio or xdotool"
  skip "gio open of a .jobgraph file opens it in the app" "no display, dbus-run-session, gio or xdotool"
fi

echo "1..$n"
exit $failed
