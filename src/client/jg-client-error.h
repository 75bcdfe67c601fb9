/* jg-client-error.h
 *
 * Copyright 2026 The Jobgraph authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define JG_CLIENT_ERROR (jg_client_error_quark ())

/**
 * JgClientError:
 * @JG_CLIENT_ERROR_FAILED: the service answered with an HTTP status no
 *   other code describes
 * @JG_CLIENT_ERROR_BAD_REQUEST: 400, the service refused the request (for
 *   instance a job that breaks a validation rule)
 * @JG_CLIENT_ERROR_UNAUTHORIZED: 401, or the token service refused the
 *   credentials
 * @JG_CLIENT_ERROR_FORBIDDEN: 403
 * @JG_CLIENT_ERROR_NOT_FOUND: 404
 * @JG_CLIENT_ERROR_CONFLICT: 409
 * @JG_CLIENT_ERROR_BUSY: 408, 429 or 503 after every retry
 * @JG_CLIENT_ERROR_SERVER: another 5xx status
 * @JG_CLIENT_ERROR_INVALID_RESPONSE: a successful answer the client cannot
 *   read
 * @JG_CLIENT_ERROR_REDIRECT_LOOP: more than 3 redirects, or a redirect
 *   without a usable `Location`
 * @JG_CLIENT_ERROR_INSECURE: a credential would go over plain http to a
 *   host that is not the local machine
 * @JG_CLIENT_ERROR_UNKNOWN_OUTCOME: a create request may or may not have
 *   been carried out, and the client could not find out which
 * @JG_CLIENT_ERROR_INVALID_ARGUMENT: the request cannot be built from what
 *   the caller gave (no tasks, a template without TaskTemplate ids…)
 *
 * Errors of the Media Services REST client. Errors of the network itself
 * (refused connections, resets, time-outs) keep their #G_IO_ERROR domain.
 */
typedef enum
{
  JG_CLIENT_ERROR_FAILED,
  JG_CLIENT_ERROR_BAD_REQUEST,
  JG_CLIENT_ERROR_UNAUTHORIZED,
  JG_CLIENT_ERROR_FORBIDDEN,
  JG_CLIENT_ERROR_NOT_FOUND,
  JG_CLIENT_ERROR_CONFLICT,
  JG_CLIENT_ERROR_BUSY,
  JG_CLIENT_ERROR_SERVER,
  JG_CLIENT_ERROR_INVALID_RESPONSE,
  JG_CLIENT_ERROR_REDIRECT_LOOP,
  JG_CLIENT_ERROR_INSECURE,
  JG_CLIENT_ERROR_UNKNOWN_OUTCOME,
  JG_CLIENT_ERROR_INVALID_ARGUMENT,
} JgClientError;

GQuark      jg_client_error_quark            (void);
JgClientError jg_client_error_code_for_status (guint         status);
void        jg_client_error_set_http         (GError      **error,
                                              guint         status,
                                              const char   *service_code,
                                              const char   *request_id,
                                              const char   *message);
guint       jg_client_error_get_status       (const GError *error);
const char *jg_client_error_get_service_code (const GError *error);
const char *jg_client_error_get_request_id   (const GError *error);

G_END_DECLS
