/* emulator-inprocess.h
 *
 * Copyright 2026 The Jobgraph authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "emulator-fixture.h"
#include "jg-emulator.h"

G_BEGIN_DECLS

/* The emulator library run in process, for the tests that speak raw HTTP
 * to it: the emulator listens on 127.0.0.1, port 0, in its own thread and
 * main context, and e->http is a session pointed at it. Apart from
 * emulator-fixture.c, since the tests that drive the binary do not link
 * the emulator library.
 */

#define KEY "test-key-1d2c"

typedef struct
{
  const char *data_dir;     /* NULL: a temporary one, removed at the end */
  const char *faults;
  const char *static_token;
  double      speed;        /* 0: 1000 */
  guint       workers;      /* 0: 4 */
  gboolean    encode;       /* FALSE: tasks wait instead of encoding */
} EmulatorSetup;

typedef struct
{
  GThread      *thread;
  GMainContext *context;
  GMainLoop    *loop;
  GMutex        lock;
  GCond         cond;
  gboolean      ready;

  JgEmulator   *emulator;
  GError       *error;
  char         *data_dir;
  char         *faults;
  char         *static_token;
  double        speed;
  guint         workers;
  gboolean      keep_dir;
  gboolean      simulate;

  Http          http;
} Emulator;

Emulator *emulator_try_new (const EmulatorSetup  *setup,
                            GError              **error);
void      emulator_free    (Emulator             *e);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Emulator, emulator_free)

G_END_DECLS
