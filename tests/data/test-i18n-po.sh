#!/usr/bin/env bash
#
# tests/data/test-i18n-po.sh
#
# Copyright 2026 The Jobgraph authors
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: test-i18n-po.sh SOURCE_ROOT
#
# Checks the translations in po/:
#  - every language in po/LINGUAS has a .po file that `msgfmt --check` accepts
#    (printf formats, plural forms, header) with consistent `_` mnemonics;
#  - the German translation is complete: merged against a template extracted
#    freshly from the files of po/POTFILES.in, it has no untranslated and no
#    fuzzy message. A new or changed string in the sources fails this test
#    until po/de.po is updated (`meson compile jobgraph-pot` and msgmerge).
#
# The template is extracted with the keywords and flags of meson's
# i18n.gettext (preset: 'glib'), which po/meson.build uses.

set -euo pipefail

srcroot=${1:?usage: test-i18n-po.sh SOURCE_ROOT}
complete_languages=(de)

for tool in msgfmt msgmerge xgettext; do
  if ! command -v "$tool" >/dev/null; then
    echo "error: $tool not found (Debian package gettext)" >&2
    exit 1
  fi
done

tmp=$(mktemp -d "${TMPDIR:-/tmp}/jobgraph-i18n-po.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

cd "$srcroot"
status=0

mapfile -t languages < <(sed -e 's/#.*//' -e 's/[[:space:]]//g' po/LINGUAS | grep -v '^$' || true)
if ((${#languages[@]} == 0)); then
  echo "error: po/LINGUAS lists no language" >&2
  exit 1
fi

for lang in "${languages[@]}"; do
  if [[ ! -f po/$lang.po ]]; then
    echo "error: po/LINGUAS lists '$lang' but po/$lang.po does not exist" >&2
    status=1
    continue
  fi
  if ! msgfmt --check --check-accelerators=_ -o /dev/null "po/$lang.po"; then
    echo "error: msgfmt --check rejects po/$lang.po" >&2
    status=1
  fi
done

for lang in "${complete_languages[@]}"; do
  if [[ " ${languages[*]} " != *" $lang "* ]]; then
    echo "error: po/LINGUAS does not list '$lang'" >&2
    status=1
  fi
done

xgettext --package-name=jobgraph --output="$tmp/jobgraph.pot" \
  --directory="$srcroot" --files-from=po/POTFILES.in \
  --from-code=UTF-8 --add-comments \
  --keyword=_ --keyword=N_ --keyword=C_:1c,2 --keyword=NC_:1c,2 \
  --keyword=g_dcgettext:2 --keyword=g_dngettext:2,3 --keyword=g_dpgettext2:2c,3 \
  --flag=N_:1:pass-c-format --flag=C_:2:pass-c-format --flag=NC_:2:pass-c-format \
  --flag=g_dngettext:2:pass-c-format --flag=g_strdup_printf:1:c-format \
  --flag=g_string_printf:2:c-format --flag=g_string_append_printf:2:c-format \
  --flag=g_error_new:3:c-format --flag=g_set_error:4:c-format \
  --flag=g_markup_printf_escaped:1:c-format --flag=g_log:3:c-format \
  --flag=g_print:1:c-format --flag=g_printerr:1:c-format --flag=g_printf:1:c-format \
  --flag=g_fprintf:2:c-format --flag=g_sprintf:2:c-format --flag=g_snprintf:3:c-format

n_template=$(grep -c '^msgid ' "$tmp/jobgraph.pot")
# The header entry has an empty msgid too.
n_template=$((n_template - 1))
if ((n_template < 100)); then
  echo "error: the template has only $n_template messages; is po/POTFILES.in complete?" >&2
  status=1
fi

for lang in "${complete_languages[@]}"; do
  [[ -f po/$lang.po ]] || continue
  cp "po/$lang.po" "$tmp/$lang.po"
  msgmerge --quiet --update --backup=off --no-fuzzy-matching "$tmp/$lang.po" "$tmp/jobgraph.pot"
  # Drop the messages that are gone from the sources (#~) before counting.
  msgattrib --no-obsolete -o "$tmp/$lang.po" "$tmp/$lang.po"
  untranslated=$(msgattrib --untranslated --no-obsolete "$tmp/$lang.po" | grep -c '^msgid ' || true)
  fuzzy=$(msgattrib --only-fuzzy --no-obsolete "$tmp/$lang.po" | grep -c '^msgid ' || true)
  # msgattrib prints the header entry with the selected ones.
  ((untranslated > 0)) && untranslated=$((untranslated - 1))
  ((fuzzy > 0)) && fuzzy=$((fuzzy - 1))
  if ((untranslated > 0 || fuzzy > 0)); then
    echo "error: po/$lang.po has $untranslated untranslated and $fuzzy fuzzy of $n_template messages:" >&2
    msgattrib --untranslated --no-obsolete "$tmp/$lang.po" | grep '^msgid ' | grep -v '^msgid ""$' | head -40 >&2
    status=1
  elif ! grep -q '^"Plural-Forms: nplurals=2; plural=(n != 1);\\n"$' "po/$lang.po"; then
    echo "error: po/$lang.po does not declare nplurals=2; plural=(n != 1);" >&2
    status=1
  else
    echo "po/$lang.po: all $n_template messages translated"
  fi
done

exit "$status"
