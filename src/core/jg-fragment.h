/* jg-fragment.h
 *
 * Copyright 2026 The Jobgraph authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "jg-types.h"

G_BEGIN_DECLS

/* Copy and paste of part of a graph (the editor's clipboard, Duplicate).
 *
 * A fragment is a small JSON document holding copies of some tasks and job
 * inputs with their positions and the wires between them ("internal
 * links"). Wires to nodes outside the copied set are dropped on paste, so a
 * pasted task's input that read an uncopied node comes out unconnected.
 * Output assets written by copied tasks are copied with their settings.
 */

#define JG_FRAGMENT_MIME_TYPE "application/x-jobgraph-fragment"

GBytes  *jg_fragment_copy        (JgGraph      *graph,
                                  GPtrArray    *items,
                                  GError      **error);
JgEdit  *jg_fragment_build_paste (JgGraph      *graph,
                                  GBytes       *fragment,
                                  double        dx,
                                  double        dy,
                                  GPtrArray    *pasted,
                                  GError      **error);

G_END_DECLS
