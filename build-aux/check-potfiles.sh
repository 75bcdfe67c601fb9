#!/usr/bin/env bash
#
# build-aux/check-potfiles.sh
#
# Copyright 2024 The Jobgraph authors
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: check-potfiles.sh [SOURCE_ROOT]
#
# Fails when po/POTFILES.in is out of date:
#  - a file under src/ marks strings for translation (_(, N_(, C_(, NC_(, Q_(,
#    ngettext (, g_dngettext (, g_dpgettext2 ( in C, translatable="yes" in
#    GtkBuilder .ui files) but is not listed, or
#  - POTFILES.in lists a file that does not exist.
# Files listed in po/POTFILES.skip are exempt from the first rule.

set -euo pipefail

srcroot=${1:-${MESON_SOURCE_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}}
cd "$srcroot"

potfiles=po/POTFILES.in
skipfiles=po/POTFILES.skip

if [[ ! -f $potfiles ]]; then
  echo "error: $potfiles not found in $srcroot" >&2
  exit 1
fi

# Prints the file names of a POTFILES-style list: no comments, no blanks.
list_entries ()
{
  [[ -f $1 ]] || return 0
  sed -e 's/#.*//' -e 's/^[[:space:]]*//' -e 's/[[:space:]]*$//' "$1" | grep -v '^$' || true
}

declare -A listed=()
status=0

while IFS= read -r entry; do
  listed[$entry]=1
  if [[ ! -f $entry ]]; then
    echo "error: $potfiles lists '$entry', which does not exist" >&2
    status=1
  fi
done < <(list_entries "$potfiles")

while IFS= read -r entry; do
  listed[$entry]=1
done < <(list_entries "$skipfiles")

# C sources: a gettext marker not preceded by an identifier character, ignoring
# the lines that define such a macro.
marker='(^|[^[:alnum:]_])((N|C|NC|Q)?_|ngettext|g_dngettext|g_dpgettext2)[[:space:]]*\('
mapfile -t marked < <(
  {
    find src -type f \( -name '*.c' -o -name '*.h' \) -print0 2>/dev/null |
      xargs -0 -r grep -lE "$marker" -- 2>/dev/null |
      while IFS= read -r f; do
        if grep -E "$marker" -- "$f" | grep -qvE '^[[:space:]]*#[[:space:]]*define'; then
          echo "$f"
        fi
      done
    find src -type f -name '*.ui' -print0 2>/dev/null |
      xargs -0 -r grep -lE 'translatable="(yes|true)"' -- 2>/dev/null
  } | sort -u
)

for f in "${marked[@]}"; do
  if [[ -z ${listed[$f]:-} ]]; then
    echo "error: $f has translatable strings but is not listed in $potfiles" >&2
    status=1
  fi
done

if ((status == 0)); then
  echo "$potfiles is up to date (${#listed[@]} entries, ${#marked[@]} files with translatable strings)"
fi
exit "$status"
