/* jg-service-window-private.h
 *
 * Copyright 2026 The Jobgraph authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the service window and its Jobs and Templates views share.
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

/* Called with the data given to _jg_service_confirm_delete() when the user
 * confirms.
 */
typedef void (*JgServiceConfirmFunc) (gpointer data);

char *_jg_service_format_date    (GDateTime            *date);
void  _jg_service_confirm_delete (GtkWidget            *widget,
                                  const char           *heading,
                                  const char           *body,
                                  JgServiceConfirmFunc  func,
                                  gpointer              data,
                                  GDestroyNotify        destroy);
void  _jg_service_show_toast     (AdwToastOverlay      *overlay,
                                  const char           *message);
void  _jg_service_ensure_style   (GtkWidget            *widget);

G_END_DECLS
