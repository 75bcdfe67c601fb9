/* jg-client-private.h
 *
 * Copyright 2026 The Jobgraph authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "jg-client.h"

G_BEGIN_DECLS

/* Redaction for JOBGRAPH_DEBUG=http (jg-client-log.c). */
gboolean    _jg_client_debug_http       (void);
char       *_jg_client_redact_header    (const char *name,
                                         const char *value);
char       *_jg_client_redact_form      (const char *form);
char       *_jg_client_redact_uri       (const char *uri);

/* For tests. */
void        _jg_client_set_log_http     (JgClient   *self,
                                         gboolean    log_http);
const char *_jg_client_peek_token       (JgClient   *self);
void        _jg_client_set_corrupt_sas  (JgClient   *self,
                                         gboolean    corrupt);
void        _jg_client_set_block_upload (JgClient   *self,
                                         goffset     single_put_max,
                                         gsize       block_size);
guint       _jg_client_get_n_token_fetches (JgClient *self);

G_END_DECLS
