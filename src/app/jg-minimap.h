/* jg-minimap.h
 *
 * Copyright 2026 The Jobgraph authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "jg-graph-canvas.h"

G_BEGIN_DECLS

/* A small overview of the whole graph drawn from the model (boxes and
 * edges, no text) with the canvas's visible area as a rectangle; clicking
 * or dragging moves the canvas there. Follows the canvas's
 * ::viewport-changed signal and the graph's ::changed.
 */

#define JG_TYPE_MINIMAP (jg_minimap_get_type ())

G_DECLARE_FINAL_TYPE (JgMinimap, jg_minimap, JG, MINIMAP, GtkWidget)

GtkWidget *jg_minimap_new (JgGraphCanvas *canvas);

G_END_DECLS
