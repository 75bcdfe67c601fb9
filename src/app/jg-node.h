/* jg-node.h
 *
 * Copyright 2026 The Jobgraph authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "jg-core.h"

G_BEGIN_DECLS

/* A box on the canvas for one JgTask (title, processor, preset, input ports
 * on the left, output ports on the right) or one JgJobInput
 * (`JobInputAsset(n)`, its label, one output port). Its size follows
 * jg-layout.h so that auto-layout and drawing agree; the geometry functions
 * below work from the model alone, so the canvas can hit-test and draw wires
 * without asking widgets.
 */

#define JG_TYPE_NODE (jg_node_get_type ())

G_DECLARE_FINAL_TYPE (JgNode, jg_node, JG, NODE, GtkWidget)

GtkWidget *jg_node_new                  (GObject   *item);
GObject   *jg_node_get_item             (JgNode    *self);
void       jg_node_sync                 (JgNode    *self,
                                         GPtrArray *diagnostics);
void       jg_node_set_run_status       (JgNode     *self,
                                         int         state,
                                         double      progress,
                                         const char *details,
                                         const char *explanation);
int        jg_node_get_run_state        (JgNode    *self);
gboolean   jg_node_get_selected         (JgNode    *self);
void       jg_node_set_selected         (JgNode    *self,
                                         gboolean   selected);
guint      jg_node_get_n_ports          (JgNode    *self,
                                         gboolean   output);
GtkWidget *jg_node_get_port             (JgNode    *self,
                                         gboolean   output,
                                         guint      index);

/* Geometry, in canvas units, from the model. */
double     jg_node_item_get_height      (GObject   *item);
void       jg_node_item_get_position    (GObject   *item,
                                         double    *x,
                                         double    *y);
guint      jg_node_item_get_n_ports     (GObject   *item,
                                         gboolean   output);
void       jg_node_item_get_port_anchor (GObject   *item,
                                         gboolean   output,
                                         guint      index,
                                         double    *x,
                                         double    *y);
char      *jg_node_describe_source      (GObject   *source);

G_END_DECLS
