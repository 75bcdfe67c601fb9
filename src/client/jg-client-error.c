/* jg-client-error.c
 *
 * Copyright 2026 The Jobgraph authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "jg-client"

#include "config.h"

#include "jg-client-error.h"

/* Service errors carry the HTTP status, the OData error code and the
 * `x-ms-client-request-id` of the operation as extended GError data, so
 * that callers can branch on the status and show the request id to support
 * people, while the message stays the service's own sentence.
 */
typedef struct
{
  guint status;
  char *service_code;
  char *request_id;
} JgClientErrorPrivate;

static void
jg_client_error_private_init (JgClientErrorPrivate *priv)
{
  priv->status = 0;
  priv->service_code = NULL;
  priv->request_id = NULL;
}

static void
jg_client_error_private_copy (const JgClientErrorPrivate *src,
                              JgClientErrorPrivate       *dest)
{
  dest->status = src->status;
  dest->service_code = g_strdup (src->service_code);
  dest->request_id = g_strdup (src->request_id);
}

static void
jg_client_error_private_clear (JgClientErrorPrivate *priv)
{
  g_clear_pointer (&priv->service_code, g_free);
  g_clear_pointer (&priv->request_id, g_free);
}

G_DEFINE_EXTENDED_ERROR (JgClientError, jg_client_error)

/**
 * jg_client_error_code_for_status:
 * @status: an HTTP status of 400 or more
 *
 * Returns: the error code that describes @status
 */
JgClientError
jg_client_error_code_for_status (guint status)
{
  switch (status)
    {
    case 400:
      return JG_CLIENT_ERROR_BAD_REQUEST;
    case 401:
      return JG_CLIENT_ERROR_UNAUTHORIZED;
    case 403:
      return JG_CLIENT_ERROR_FORBIDDEN;
    case 404:
      return JG_CLIENT_ERROR_NOT_FOUND;
    case 409:
      return JG_CLIENT_ERROR_CONFLICT;
    case 408:
    case 429:
    case 503:
      return JG_CLIENT_ERROR_BUSY;
    default:
      return status >= 500 && status < 600 ? JG_CLIENT_ERROR_SERVER : JG_CLIENT_ERROR_FAILED;
    }
}

/**
 * jg_client_error_set_http:
 * @status: the HTTP status
 * @service_code: (nullable): the OData error `code`
 * @request_id: (nullable): the operation's `x-ms-client-request-id`
 * @message: the sentence to show
 *
 * Sets @error to a #JG_CLIENT_ERROR for an HTTP answer.
 */
void
jg_client_error_set_http (GError    **error,
                          guint       status,
                          const char *service_code,
                          const char *request_id,
                          const char *message)
{
  JgClientErrorPrivate *priv;

  if (error == NULL)
    return;

  g_set_error_literal (error, JG_CLIENT_ERROR, jg_client_error_code_for_status (status), message);

  priv = jg_client_error_get_private (*error);
  if (priv == NULL)
    return;

  priv->status = status;
  priv->service_code = service_code && service_code[0] ? g_strdup (service_code) : NULL;
  priv->request_id = g_strdup (request_id);
}

/**
 * jg_client_error_get_status:
 *
 * Returns: the HTTP status behind @error, or 0 when it is not a service
 *   answer
 */
guint
jg_client_error_get_status (const GError *error)
{
  JgClientErrorPrivate *priv;

  if (error == NULL || error->domain != JG_CLIENT_ERROR)
    return 0;

  priv = jg_client_error_get_private (error);

  return priv ? priv->status : 0;
}

/**
 * jg_client_error_get_service_code:
 *
 * Returns: (nullable): the OData error `code`, when the service gave one
 */
const char *
jg_client_error_get_service_code (const GError *error)
{
  JgClientErrorPrivate *priv;

  if (error == NULL || error->domain != JG_CLIENT_ERROR)
    return NULL;

  priv = jg_client_error_get_private (error);

  return priv ? priv->service_code : NULL;
}

/**
 * jg_client_error_get_request_id:
 *
 * Returns: (nullable): the `x-ms-client-request-id` of the failed operation
 */
const char *
jg_client_error_get_request_id (const GError *error)
{
  JgClientErrorPrivate *priv;

  if (error == NULL || error->domain != JG_CLIENT_ERROR)
    return NULL;

  priv = jg_client_error_get_private (error);

  return priv ? priv->request_id : NULL;
}
