/* jg-window.h
 *
 * Copyright 2026 The Jobgraph authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "jg-account-store.h"
#include "jg-core.h"

G_BEGIN_DECLS

#define JG_TYPE_WINDOW (jg_window_get_type ())

G_DECLARE_FINAL_TYPE (JgWindow, jg_window, JG, WINDOW, AdwApplicationWindow)

JgWindow  *jg_window_new         (GtkApplication *application);
JgHistory *jg_window_get_history (JgWindow       *self);
GFile     *jg_window_get_file    (JgWindow       *self);
void       jg_window_open_file   (JgWindow       *self,
                                  GFile          *file);
gboolean   jg_window_is_empty    (JgWindow       *self);
void       jg_window_offer_recovery (JgWindow     *self);
void       jg_window_follow_job  (JgWindow       *self,
                                  JgClient       *client,
                                  const char     *job_id,
                                  const char     *job_name);
void       jg_window_show_job    (JgWindow       *self,
                                  JgClient       *client,
                                  const char     *job_id);
GtkWindow *jg_window_open_run_dialog (JgWindow     *self,
                                      JgAccountStore *store);
void       jg_window_show_graph  (JgWindow       *self,
                                  JgGraph        *graph,
                                  const char     *title);

G_END_DECLS
