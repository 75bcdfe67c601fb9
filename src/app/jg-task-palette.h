/* jg-task-palette.h
 *
 * Copyright 2026 The Jobgraph authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* The searchable "add a task" palette: a popover with a search entry and a
 * list of every (media processor, preset) pair in the catalog, plus one
 * "no preset" row per processor, led by that row and in catalog order. Typing filters by processor
 * name, preset name and description; Enter or a click emits ::task-chosen
 * and closes the popover.
 *
 *   ::task-chosen (JgTaskPalette *, const char *processor_id,
 *                  const char *preset_or_null)
 */

#define JG_TYPE_TASK_PALETTE (jg_task_palette_get_type ())

G_DECLARE_FINAL_TYPE (JgTaskPalette, jg_task_palette, JG, TASK_PALETTE, GtkPopover)

GtkWidget  *jg_task_palette_new          (void);
void        jg_task_palette_reset        (JgTaskPalette *self);
GListModel *jg_task_palette_get_model    (JgTaskPalette *self);
guint       jg_task_palette_get_selected (JgTaskPalette *self);

G_END_DECLS
