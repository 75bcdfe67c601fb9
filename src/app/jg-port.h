/* jg-port.h
 *
 * Copyright 2026 The Jobgraph authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* One port row of a node: a round handle on the node's border and the
 * reference it reads or writes. Focusable, role BUTTON; the canvas draws
 * the wires and runs every gesture, so a port only shows state.
 */

#define JG_TYPE_PORT (jg_port_get_type ())

G_DECLARE_FINAL_TYPE (JgPort, jg_port, JG, PORT, GtkWidget)

GtkWidget *jg_port_new             (gboolean    output,
                                    guint       index);
gboolean   jg_port_get_output      (JgPort     *self);
guint      jg_port_get_index       (JgPort     *self);
void       jg_port_set_text        (JgPort     *self,
                                    const char *title,
                                    const char *subtitle,
                                    gboolean    connected);
void       jg_port_set_problems    (JgPort     *self,
                                    int         severity,
                                    const char *messages);
void       jg_port_set_description (JgPort     *self,
                                    const char *label);

G_END_DECLS
