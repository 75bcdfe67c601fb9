/* jg-emulator.h
 *
 * Copyright 2026 The Jobgraph authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define JG_EMULATOR_DEFAULT_ACCOUNT "local"
#define JG_EMULATOR_DEFAULT_KEY     "jobgraph-local-key"

/**
 * JgEmulatorOptions:
 * @data_dir: where the SQLite database (`emulator.db`) and the `assets/`
 *   folder live; created if missing
 * @account: (nullable): the account name, %NULL for "local"
 * @key: (nullable): the account key, %NULL for "jobgraph-local-key" (the
 *   emulator only listens on the loopback address, so a fixed default is
 *   acceptable)
 * @static_token: (nullable): an extra bearer token that is always accepted
 *   for the account (scripts, tests)
 * @workers: how many tasks run at once, 0 for 2
 * @speed: the simulated processing speed factor, 0 for 1.0; higher is
 *   faster
 * @faults: (nullable): the fault injection spec (see jg-emulator-faults.h)
 *
 * How to run a #JgEmulator.
 */
typedef struct
{
  const char *data_dir;
  const char *account;
  const char *key;
  const char *static_token;
  guint       workers;
  double      speed;
  const char *faults;
  /* Tasks wait a time derived from the input size and speed instead of
   * running GStreamer: for protocol tests that need long or many jobs.
   * $JOBGRAPH_EMULATOR_SIMULATE=1 turns it on too.
   */
  gboolean    simulate;
} JgEmulatorOptions;

#define JG_TYPE_EMULATOR (jg_emulator_get_type ())

G_DECLARE_FINAL_TYPE (JgEmulator, jg_emulator, JG, EMULATOR, GObject)

JgEmulator *jg_emulator_new          (const JgEmulatorOptions  *options,
                                      GError                  **error);
gboolean    jg_emulator_listen       (JgEmulator               *self,
                                      guint                     port,
                                      GError                  **error);
guint       jg_emulator_get_port     (JgEmulator               *self);
char       *jg_emulator_dup_root_uri (JgEmulator               *self);
void        jg_emulator_shutdown     (JgEmulator               *self);

G_END_DECLS
