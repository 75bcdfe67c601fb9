/* log-capture.h
 *
 * Copyright 2026 The Jobgraph authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Log capture for the client tests: main() installs capture_writer with
 * g_log_set_writer_func(), which can be called once per process. While
 * log_lines is set (under log_lock), every message is added to it as
 * "domain: message", and messages below warnings are not printed.
 */

extern GMutex     log_lock;
extern GPtrArray *log_lines;

GLogWriterOutput capture_writer (GLogLevelFlags   level,
                                 const GLogField *fields,
                                 gsize            n_fields,
                                 gpointer         user_data);
void             capture_start  (void);
GPtrArray       *capture_stop   (void);

G_END_DECLS
