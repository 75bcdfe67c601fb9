/* jg-problems-list.h
 *
 * Copyright 2026 The Jobgraph authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "jg-core.h"

G_BEGIN_DECLS

/* The Problems list: one row per diagnostic of the graph (severity icon,
 * message, location), updated live from jg_graph_get_diagnostics(). With no
 * problems it shows a "No problems" status. Activating a row emits
 * ::diagnostic-activated (JgProblemsList *, JgDiagnostic *).
 *
 * Properties: "graph" (JgGraph, read-write) and "n-items" (guint, read-only,
 * notified when the count of listed problems changes).
 */

#define JG_TYPE_PROBLEMS_LIST (jg_problems_list_get_type ())

G_DECLARE_FINAL_TYPE (JgProblemsList, jg_problems_list, JG, PROBLEMS_LIST, GtkWidget)

GtkWidget *jg_problems_list_new         (void);
JgGraph   *jg_problems_list_get_graph   (JgProblemsList *self);
void       jg_problems_list_set_graph   (JgProblemsList *self,
                                         JgGraph        *graph);
guint      jg_problems_list_get_n_items (JgProblemsList *self);

G_END_DECLS
