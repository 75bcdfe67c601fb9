/* jg-inspector.h
 *
 * Copyright 2026 The Jobgraph authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "jg-core.h"
#include "jg-selection.h"

G_BEGIN_DECLS

/* The inspector sidebar: edits the selection's primary item — a task, an
 * output asset, a job input — or the job itself when nothing is selected.
 * Every edit goes through jg_history_apply() as one undoable step; fields
 * with a diagnostic show it beside them. Follows the graph live (undo,
 * edits from the canvas or the code view).
 */

#define JG_TYPE_INSPECTOR (jg_inspector_get_type ())

G_DECLARE_FINAL_TYPE (JgInspector, jg_inspector, JG, INSPECTOR, GtkWidget)

GtkWidget *jg_inspector_new           (void);
void       jg_inspector_set_history   (JgInspector *self,
                                       JgHistory   *history);
void       jg_inspector_add_processors (JgInspector       *self,
                                        const char *const *ids,
                                        const char *const *names);
void       jg_inspector_set_selection (JgInspector *self,
                                       JgSelection *selection);
void       jg_inspector_focus_first   (JgInspector *self);
GtkWidget *jg_inspector_get_configuration_editor
                                      (JgInspector *self);

G_END_DECLS
