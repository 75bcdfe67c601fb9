/* jg-graph-image.h
 *
 * Copyright 2026 The Jobgraph authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "jg-core.h"

G_BEGIN_DECLS

/* Paints the whole graph from the model — not from the live widgets — so an
 * exported image does not depend on the view's zoom or scroll. Colours come
 * from @style_source's style (light, dark or high contrast, as on screen).
 */

typedef enum
{
  JG_GRAPH_IMAGE_PNG,
  JG_GRAPH_IMAGE_SVG,
} JgGraphImageFormat;

GBytes *jg_graph_image_render (JgGraph            *graph,
                               JgGraphImageFormat  format,
                               double              scale,
                               GtkWidget          *style_source,
                               GError            **error);

G_END_DECLS
