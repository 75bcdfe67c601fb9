#!/usr/bin/env python3
#
# tests/data/test-flatpak.py
#
# Copyright 2026 The Jobgraph authors
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: test-flatpak.py SOURCE_ROOT
#
# Checks flatpak/io.github.jobgraph.Jobgraph.json against the rest of the
# tree (prints TAP):
#  - it is valid JSON without repeated keys, on the GNOME runtime and SDK;
#  - its id is meson.build's app_id and the basename of the desktop file;
#  - its command is the first word of the desktop file's Exec line and a
#    program meson builds;
#  - its finish-args give network, Wayland, X11 fallback, DRI and the
#    Secret Service (for libsecret);
#  - every dependency('…') of meson.build and src/*/meson.build is either in
#    the GNOME runtime (RUNTIME_PROVIDES below) or built by a module of the
#    manifest (the module's "x-provides" list; flatpak-builder ignores "x-"
#    keys), and the last module builds jobgraph itself from this tree.

import glob
import json
import os
import re
import sys

# pkg-config names the GNOME 47 runtime (org.gnome.Platform 47, on
# org.freedesktop.Platform 24.08) ships with their development files in
# org.gnome.Sdk. Only libraries Jobgraph may plausibly use are listed; a new
# dependency that is not here must be added to the manifest as a module (or
# here, after checking the runtime: `flatpak run --command=pkg-config
# org.gnome.Sdk//47 --modversion NAME`).
RUNTIME_PROVIDES = {
    # GLib and GObject
    'glib-2.0', 'gobject-2.0', 'gio-2.0', 'gio-unix-2.0', 'gmodule-2.0', 'gthread-2.0',
    # GTK stack
    'gtk4', 'libadwaita-1', 'gtksourceview-5', 'graphene-gobject-1.0', 'cairo', 'pango',
    'pangocairo', 'gdk-pixbuf-2.0', 'librsvg-2.0',
    # data, network and storage
    'json-glib-1.0', 'libxml-2.0', 'libsoup-3.0', 'sqlite3', 'libsecret-1', 'zlib',
    # GStreamer 1.24 with gst-plugins-base, -good and -bad
    'gstreamer-1.0', 'gstreamer-base-1.0', 'gstreamer-app-1.0', 'gstreamer-audio-1.0',
    'gstreamer-video-1.0', 'gstreamer-pbutils-1.0', 'gstreamer-tag-1.0',
}

REQUIRED_FINISH_ARGS = [
    '--share=network',
    '--share=ipc',
    '--socket=wayland',
    '--socket=fallback-x11',
    '--device=dri',
]

MANIFEST = 'flatpak/io.github.jobgraph.Jobgraph.json'

n_test = 0
failed = False


def check(ok, description, *diagnostics):
    global n_test, failed
    n_test += 1
    print('%s %d %s' % ('ok' if ok else 'not ok', n_test, description))
    if not ok:
        failed = True
        for line in diagnostics:
            print('# ' + str(line))


def skip(description, reason):
    global n_test
    n_test += 1
    print('ok %d %s # SKIP %s' % (n_test, description, reason))


def no_repeated_keys(pairs):
    seen = {}
    for key, value in pairs:
        if key in seen:
            raise ValueError('key "%s" appears twice in one object' % key)
        seen[key] = value
    return seen


def meson_dependencies(srcroot):
    deps = {}
    files = [os.path.join(srcroot, 'meson.build')]
    files += sorted(glob.glob(os.path.join(srcroot, 'src', '*', 'meson.build')))
    for path in files:
        with open(path, encoding='utf-8') as f:
            for name in re.findall(r"(?<![\w.])dependency\(\s*'([^']+)'", f.read()):
                deps.setdefault(name, os.path.relpath(path, srcroot))
    return deps


def meson_executables(srcroot):
    names = set()
    for path in glob.glob(os.path.join(srcroot, 'src', '*', 'meson.build')):
        with open(path, encoding='utf-8') as f:
            names.update(re.findall(r"executable\(\s*'([^']+)'", f.read()))
    return names


def main():
    srcroot = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), '..', '..')

    try:
        with open(os.path.join(srcroot, MANIFEST), encoding='utf-8') as f:
            manifest = json.load(f, object_pairs_hook=no_repeated_keys)
    except (OSError, ValueError) as e:
        print('1..1')
        check(False, 'the manifest is valid JSON', e)
        return 1
    check(isinstance(manifest, dict), 'the manifest is valid JSON')

    check(manifest.get('runtime') == 'org.gnome.Platform' and manifest.get('sdk') == 'org.gnome.Sdk'
          and re.fullmatch(r'\d+', str(manifest.get('runtime-version', ''))) is not None
          and int(manifest['runtime-version']) >= 47,
          'the manifest uses the GNOME runtime and SDK, version 47 or later',
          'runtime %r, sdk %r, runtime-version %r'
          % (manifest.get('runtime'), manifest.get('sdk'), manifest.get('runtime-version')))

    # The app id.
    with open(os.path.join(srcroot, 'meson.build'), encoding='utf-8') as f:
        m = re.search(r"^app_id\s*=\s*'([^']+)'", f.read(), re.MULTILINE)
    meson_app_id = m.group(1) if m else None
    app_id = manifest.get('id', manifest.get('app-id'))
    check(app_id is not None and app_id == meson_app_id, 'the id is the app_id of meson.build',
          'manifest %r, meson.build %r' % (app_id, meson_app_id))
    check(os.path.basename(MANIFEST) == '%s.json' % app_id, 'the manifest is named after the id')

    desktop = os.path.join(srcroot, 'data', '%s.desktop.in' % app_id)
    desktops = glob.glob(os.path.join(srcroot, 'data', '*.desktop.in'))
    if not desktops:
        skip('the desktop file is named after the id', 'data/ has no .desktop.in yet')
        skip('the command is the first word of the desktop file\'s Exec', 'data/ has no .desktop.in yet')
    else:
        check(os.path.exists(desktop), 'the desktop file is named after the id',
              'expected %s; data/ has %s' % (os.path.relpath(desktop, srcroot),
                                             ', '.join(os.path.basename(d) for d in desktops)))
        exec_line = None
        if os.path.exists(desktop):
            with open(desktop, encoding='utf-8') as f:
                m = re.search(r'^Exec=(\S+)', f.read(), re.MULTILINE)
            exec_line = m.group(1) if m else None
        check(exec_line is not None and manifest.get('command') == exec_line,
              'the command is the first word of the desktop file\'s Exec',
              'command %r, Exec %r' % (manifest.get('command'), exec_line))

    executables = meson_executables(srcroot)
    check(manifest.get('command') in executables, 'the command is a program meson builds',
          'command %r; meson builds %s' % (manifest.get('command'), ', '.join(sorted(executables))))

    metainfo = os.path.join(srcroot, 'data', '%s.metainfo.xml.in' % app_id)
    if os.path.exists(metainfo):
        with open(metainfo, encoding='utf-8') as f:
            text = f.read()
        check('<id>%s</id>' % app_id in text, 'the metainfo has the same id')
    else:
        skip('the metainfo has the same id', 'data/ has no metainfo yet')

    # Sandbox permissions.
    finish_args = manifest.get('finish-args', [])
    missing = [a for a in REQUIRED_FINISH_ARGS if a not in finish_args]
    check(not missing, 'finish-args give network, IPC, Wayland, X11 fallback and DRI',
          'missing: ' + ' '.join(missing))
    check(not any(a in finish_args for a in ('--socket=x11', '--filesystem=host', '--filesystem=home')),
          'finish-args ask for no X11 socket without Wayland and no whole home or host')
    deps = meson_dependencies(srcroot)
    if 'libsecret-1' in deps:
        check('--talk-name=org.freedesktop.secrets' in finish_args,
              'finish-args let libsecret reach the Secret Service')

    # Dependencies.
    modules = manifest.get('modules', [])
    built = {}
    for module in modules:
        if isinstance(module, dict):
            for name in module.get('x-provides', []):
                built[name] = module.get('name')
    for name, where in sorted(deps.items()):
        check(name in RUNTIME_PROVIDES or name in built,
              'dependency %s (%s) is in the runtime or built by a module' % (name, where),
              'add a module that builds it, with "x-provides": ["%s"]' % name)
    for module in modules:
        if not isinstance(module, dict) or module is modules[-1]:
            continue
        sources = module.get('sources', [])
        pinned = all(isinstance(s, dict)
                     and ((s.get('type') in ('archive', 'file') and re.fullmatch(r'[0-9a-f]{64}', s.get('sha256', '')))
                          or (s.get('type') == 'git' and re.fullmatch(r'[0-9a-f]{40}', s.get('commit', ''))))
                     for s in sources)
        check(sources and pinned and module.get('x-provides'),
              'module %s is pinned (sha256 or commit) and says what it provides' % module.get('name'))

    last = modules[-1] if modules else {}
    check(isinstance(last, dict) and last.get('name') == 'jobgraph' and last.get('buildsystem') == 'meson'
          and any(isinstance(s, dict) and s.get('type') == 'dir' and s.get('path') == '..'
                  for s in last.get('sources', [])),
          'the last module builds jobgraph with meson from this tree')

    print('1..%d' % n_test)
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
