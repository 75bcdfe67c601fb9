/* jg-emulator-scheduler.h
 *
 * Copyright 2026 The Jobgraph authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "jg-emulator-store.h"

G_BEGIN_DECLS

#define JG_TYPE_EMULATOR_SCHEDULER (jg_emulator_scheduler_get_type ())

G_DECLARE_FINAL_TYPE (JgEmulatorScheduler, jg_emulator_scheduler, JG, EMULATOR_SCHEDULER, GObject)

JgEmulatorScheduler *jg_emulator_scheduler_new           (JgEmulatorStore      *store,
                                                          GMainContext         *context,
                                                          const char           *data_dir,
                                                          guint                 workers,
                                                          double                speed,
                                                          gboolean              simulate);
gboolean             jg_emulator_scheduler_resume        (JgEmulatorScheduler  *self,
                                                          GError              **error);
gboolean             jg_emulator_scheduler_add_job       (JgEmulatorScheduler  *self,
                                                          const char           *job_id,
                                                          GError              **error);
gboolean             jg_emulator_scheduler_cancel_job    (JgEmulatorScheduler  *self,
                                                          const char           *job_id,
                                                          GError              **error);
void                 jg_emulator_scheduler_remove_job    (JgEmulatorScheduler  *self,
                                                          const char           *job_id);
void                 jg_emulator_scheduler_set_priority  (JgEmulatorScheduler  *self,
                                                          const char           *job_id,
                                                          int                   priority);
guint                jg_emulator_scheduler_get_n_running (JgEmulatorScheduler  *self);
guint                jg_emulator_scheduler_get_n_jobs    (JgEmulatorScheduler  *self);
void                 jg_emulator_scheduler_stop          (JgEmulatorScheduler  *self);

gboolean             jg_emulator_check_configuration     (const char           *processor_id,
                                                          const char           *configuration,
                                                          char                **message);

G_END_DECLS
