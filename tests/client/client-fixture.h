/* client-fixture.h
 *
 * Copyright 2026 The Jobgraph authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "jg-client.h"
#include "jg-emulator.h"

#include "log-capture.h"

G_BEGIN_DECLS

/* What the client tests that run a real jobgraph-emulator in process
 * share: the emulator on 127.0.0.1, port 0, in its own thread and main
 * context (the GNOME Calendar tests/gcal-simple-server.c pattern), with a
 * temporary data directory; clients pointed at it; and waiting on the
 * test's main context for an async result.
 */

#define KEY   "emulator-test-key-5b0e"
#define TOKEN "static-token-9f3c1d"

typedef struct
{
  GThread      *thread;
  GMainContext *context;
  GMainLoop    *loop;
  GMutex        lock;
  GCond         cond;
  gboolean      ready;

  JgEmulator   *emulator;
  char         *root;
  char         *data_dir;
  char         *faults;
  char         *static_token;
  double        speed;
  guint         workers;

  /* The retry policy of the clients: many quick retries by default, as
   * the fault tests need.
   */
  guint         max_retries;
  guint         max_delay_ms;

  /* Clients are finalized after the emulator stopped: a libsoup 3.2
   * server leaks connections that the client closes first.
   */
  GPtrArray    *clients;
} Emulator;

typedef gboolean (*Condition) (gpointer data);

Emulator     *emulator_new_full         (const char    *faults,
                                         const char    *static_token,
                                         double         speed,
                                         guint          n_assets);
Emulator     *emulator_new_with_workers (double         speed,
                                         guint          workers);
void          emulator_stop             (Emulator      *e);
void          emulator_free             (Emulator      *e);
JgClient     *emulator_add_client       (Emulator      *e,
                                         JgAccount     *account);
JgClient     *new_client                (Emulator      *e);

gboolean      quit_cb                   (gpointer       data);
void          remove_tree               (GFile         *file);

void          store_result_cb           (GObject       *object,
                                         GAsyncResult  *result,
                                         gpointer       user_data);
GAsyncResult *wait_for                  (GAsyncResult **result);
gboolean      wait_until                (Condition      condition,
                                         gpointer       data,
                                         guint          timeout_ms);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Emulator, emulator_free)

G_END_DECLS
