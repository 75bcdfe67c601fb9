/* jg-window-private.h
 *
 * Copyright 2026 The Jobgraph authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "jg-graph-canvas.h"
#include "jg-job-bar.h"
#include "jg-selection.h"
#include "jg-window.h"

G_BEGIN_DECLS

/* What the UI tests read off a window: the text a user sees in the header
 * bar and the banner, and the panes.
 */

const char    *jg_window_get_title_text    (JgWindow *self);
const char    *jg_window_get_status_text   (JgWindow *self);
const char    *jg_window_get_banner_text   (JgWindow *self);
JgGraphCanvas *jg_window_get_canvas        (JgWindow *self);
JgSelection   *jg_window_get_selection     (JgWindow *self);
void           jg_window_save_to           (JgWindow *self,
                                            GFile    *file);
void           jg_window_recover           (JgWindow *self);
guint          jg_window_get_n_recoverable (JgWindow *self);
JgJobBar      *jg_window_get_job_bar       (JgWindow *self);

G_END_DECLS
