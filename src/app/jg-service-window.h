/* jg-service-window.h
 *
 * Copyright 2026 The Jobgraph authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "jg-account-store.h"

G_BEGIN_DECLS

/* The window with an account's Jobs and Templates. An account dropdown
 * picks the account (the default one first); the window asks the store
 * for its client, which may start the Local service.
 *
 * Signals (what to do is the application's business):
 * ::open-job (JgClient *client, const char *job_id)
 * ::open-graph (JgGraph *graph, const char *title)
 * ::run-template (JgClient *client, JgRemoteTemplate *template_)
 */

#define JG_TYPE_SERVICE_WINDOW (jg_service_window_get_type ())

G_DECLARE_FINAL_TYPE (JgServiceWindow, jg_service_window, JG, SERVICE_WINDOW, AdwWindow)

JgServiceWindow *jg_service_window_new         (GtkApplication  *app,
                                                JgAccountStore  *store);
void             jg_service_window_show_page   (JgServiceWindow *self,
                                                const char      *page);
JgClient        *jg_service_window_get_client  (JgServiceWindow *self);

G_END_DECLS
