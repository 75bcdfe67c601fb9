/* jg-templates-view.h
 *
 * Copyright 2026 The Jobgraph authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "jg-client.h"

G_BEGIN_DECLS

/* The Templates view: an account's JobTemplates with their number of
 * inputs and tasks. Signals: ::open-graph (JgGraph *graph, const char
 * *title) when the user opens one, ::run-template (JgRemoteTemplate *) for
 * "Run…".
 */

#define JG_TYPE_TEMPLATES_VIEW (jg_templates_view_get_type ())

G_DECLARE_FINAL_TYPE (JgTemplatesView, jg_templates_view, JG, TEMPLATES_VIEW, GtkWidget)

GtkWidget *jg_templates_view_new        (void);
JgClient  *jg_templates_view_get_client (JgTemplatesView *self);
void       jg_templates_view_set_client (JgTemplatesView *self,
                                         JgClient        *client);
void       jg_templates_view_refresh    (JgTemplatesView *self);

G_END_DECLS
