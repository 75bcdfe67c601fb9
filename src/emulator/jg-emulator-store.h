/* jg-emulator-store.h
 *
 * Copyright 2026 The Jobgraph authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <sqlite3.h>

G_BEGIN_DECLS

/* The version of the schema this build writes (see migrations[] in
 * jg-emulator-store.c).
 */
#define JG_EMULATOR_STORE_SCHEMA_VERSION 2

#define JG_TYPE_EMULATOR_STORE (jg_emulator_store_get_type ())

G_DECLARE_FINAL_TYPE (JgEmulatorStore, jg_emulator_store, JG, EMULATOR_STORE, GObject)

JgEmulatorStore *jg_emulator_store_new          (const char       *path,
                                                 GError          **error);
sqlite3         *jg_emulator_store_get_db       (JgEmulatorStore  *self);
sqlite3_stmt    *jg_emulator_store_prepare      (JgEmulatorStore  *self,
                                                 const char       *sql,
                                                 GError          **error);
gboolean         jg_emulator_store_exec         (JgEmulatorStore  *self,
                                                 const char       *sql,
                                                 GError          **error);
gboolean         jg_emulator_store_step_done    (JgEmulatorStore  *self,
                                                 sqlite3_stmt     *stmt,
                                                 GError          **error);
gboolean         jg_emulator_store_begin        (JgEmulatorStore  *self,
                                                 GError          **error);
gboolean         jg_emulator_store_commit       (JgEmulatorStore  *self,
                                                 GError          **error);
void             jg_emulator_store_rollback     (JgEmulatorStore  *self);
void             jg_emulator_store_set_error    (JgEmulatorStore  *self,
                                                 GError          **error);
GBytes          *jg_emulator_store_dup_secret   (JgEmulatorStore  *self);
int              jg_emulator_store_get_version  (JgEmulatorStore  *self);
void             jg_emulator_store_close        (JgEmulatorStore  *self);

void             jg_emulator_bind_text          (sqlite3_stmt     *stmt,
                                                 int               index,
                                                 const char       *text);
void             jg_emulator_bind_ms            (sqlite3_stmt     *stmt,
                                                 int               index,
                                                 gint64            ms);
const char      *jg_emulator_column_text        (sqlite3_stmt     *stmt,
                                                 int               column);

G_END_DECLS
