/* jg-emulator-odata.c
 *
 * Copyright 2026 The Jobgraph authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "jg-emulator-odata"

#include "config.h"

#include <stdlib.h>

#include "jg-emulator-odata.h"

/* The OData side of the emulator: entity sets as SQL tables, entities as
 * verbose or light JSON (ams-rest-v2.md §2.2, §3, §9), query options
 * translated to SQL, and response envelopes.
 *
 * Dates: JSON light writes ISO 8601 in UTC with milliseconds
 * (`2026-11-28T12:00:00.000Z`), verbose JSON writes `"\/Date(ms)\/"`; both
 * are seen on the wire (§3.1).
 *
 * Query options: `$filter` (eq ne gt ge lt le, and or not, parentheses,
 * startswith endswith substringof tolower toupper length indexof trim,
 * string/number/true/false/null/datetime'…' literals), `$orderby`,
 * `$select`, `$top`, `$skip`. `$expand` is refused as the service did;
 * `$format` is ignored; `$inlinecount` and `$count` are not implemented
 * (400). Every response carries at most 1,000 entities, silently, with no
 * next link (§9).
 */

#define VERBOSE_TYPE "application/json;odata=verbose;charset=utf-8"
#define LIGHT_TYPE   "application/json;odata=minimalmetadata;streaming=true;charset=utf-8"

/* Entity sets */

static const JgEntityProperty asset_properties[] = {
  { "Id", "e.id", JG_PROPERTY_STRING, NULL },
  { "State", "e.state", JG_PROPERTY_INT, NULL },
  { "Created", "e.created", JG_PROPERTY_DATE, NULL },
  { "LastModified", "e.last_modified", JG_PROPERTY_DATE, NULL },
  { "AlternateId", "e.alternate_id", JG_PROPERTY_STRING, NULL },
  { "Name", "e.name", JG_PROPERTY_STRING, NULL },
  { "Options", "e.options", JG_PROPERTY_INT, NULL },
  { "Uri", "e.uri", JG_PROPERTY_STRING, NULL },
  { "StorageAccountName", "e.storage_account_name", JG_PROPERTY_STRING, NULL },
  { "FormatOption", "e.format_option", JG_PROPERTY_INT, NULL },
};

static const char *const asset_navigation[] = {
  "Locators", "ContentKeys", "Files", "ParentAssets", "StorageAccount", "DeliveryPolicies", NULL
};

const JgEntitySet jg_entity_set_assets = {
  "Assets", "Asset", "assets",
  asset_properties, G_N_ELEMENTS (asset_properties), asset_navigation
};

static const JgEntityProperty job_properties[] = {
  { "Id", "e.id", JG_PROPERTY_STRING, NULL },
  { "Name", "e.name", JG_PROPERTY_STRING, NULL },
  { "Created", "e.created", JG_PROPERTY_DATE, NULL },
  { "LastModified", "e.last_modified", JG_PROPERTY_DATE, NULL },
  { "EndTime", "e.end_time", JG_PROPERTY_DATE, NULL },
  { "Priority", "e.priority", JG_PROPERTY_INT, NULL },
  { "RunningDuration", "e.running_duration", JG_PROPERTY_DOUBLE, NULL },
  { "StartTime", "e.start_time", JG_PROPERTY_DATE, NULL },
  { "State", "e.state", JG_PROPERTY_INT, NULL },
  { "TemplateId", "e.template_id", JG_PROPERTY_STRING, NULL },
  { "JobNotificationSubscriptions", NULL, JG_PROPERTY_COLLECTION, "JobNotificationSubscription" },
};

static const char *const job_navigation[] = {
  "Tasks", "OutputMediaAssets", "InputMediaAssets", NULL
};

const JgEntitySet jg_entity_set_jobs = {
  "Jobs", "Job", "jobs",
  job_properties, G_N_ELEMENTS (job_properties), job_navigation
};

static const JgEntityProperty task_properties[] = {
  { "Id", "e.id", JG_PROPERTY_STRING, NULL },
  { "Configuration", "e.configuration", JG_PROPERTY_STRING, NULL },
  { "EndTime", "e.end_time", JG_PROPERTY_DATE, NULL },
  { "ErrorDetails", "e.error_details", JG_PROPERTY_COLLECTION, "ErrorDetail" },
  { "HistoricalEvents", "e.historical_events", JG_PROPERTY_COLLECTION, "TaskHistoricalEvent" },
  { "MediaProcessorId", "e.processor_id", JG_PROPERTY_STRING, NULL },
  { "Name", "e.name", JG_PROPERTY_STRING, NULL },
  { "PerfMessage", "e.perf_message", JG_PROPERTY_STRING, NULL },
  { "Priority", "e.priority", JG_PROPERTY_INT, NULL },
  { "Progress", "e.progress", JG_PROPERTY_DOUBLE, NULL },
  { "RunningDuration", "e.running_duration", JG_PROPERTY_DOUBLE, NULL },
  { "StartTime", "e.start_time", JG_PROPERTY_DATE, NULL },
  { "State", "e.state", JG_PROPERTY_INT, NULL },
  { "TaskBody", "e.task_body", JG_PROPERTY_STRING, NULL },
  { "Options", "e.options", JG_PROPERTY_INT, NULL },
  { "EncryptionKeyId", NULL, JG_PROPERTY_STRING, NULL },
  { "EncryptionScheme", NULL, JG_PROPERTY_STRING, NULL },
  { "EncryptionVersion", NULL, JG_PROPERTY_STRING, NULL },
  { "InitializationVector", NULL, JG_PROPERTY_STRING, NULL },
  { "TaskNotificationSubscriptions", NULL, JG_PROPERTY_COLLECTION, "TaskNotificationSubscription" },
};

static const char *const task_navigation[] = {
  "OutputMediaAssets", "InputMediaAssets", NULL
};

const JgEntitySet jg_entity_set_tasks = {
  "Tasks", "Task", "tasks",
  task_properties, G_N_ELEMENTS (task_properties), task_navigation
};

static const JgEntityProperty job_template_properties[] = {
  { "Id", "e.id", JG_PROPERTY_STRING, NULL },
  { "Name", "e.name", JG_PROPERTY_STRING, NULL },
  { "Created", "e.created", JG_PROPERTY_DATE, NULL },
  { "LastModified", "e.last_modified", JG_PROPERTY_DATE, NULL },
  { "JobTemplateBody", "e.job_template_body", JG_PROPERTY_STRING, NULL },
  { "NumberofInputAssets", "e.n_inputs", JG_PROPERTY_INT, NULL },
  { "TemplateType", "e.template_type", JG_PROPERTY_INT, NULL },
};

static const char *const job_template_navigation[] = {
  "TaskTemplates", NULL
};

const JgEntitySet jg_entity_set_job_templates = {
  "JobTemplates", "JobTemplate", "job_templates",
  job_template_properties, G_N_ELEMENTS (job_template_properties), job_template_navigation
};

static const JgEntityProperty task_template_properties[] = {
  { "Id", "e.id", JG_PROPERTY_STRING, NULL },
  { "Configuration", "e.configuration", JG_PROPERTY_STRING, NULL },
  { "Created", "e.created", JG_PROPERTY_DATE, NULL },
  { "Description", "e.description", JG_PROPERTY_STRING, NULL },
  { "LastModified", "e.last_modified", JG_PROPERTY_DATE, NULL },
  { "MediaProcessorId", "e.processor_id", JG_PROPERTY_STRING, NULL },
  { "Name", "e.name", JG_PROPERTY_STRING, NULL },
  { "NumberofInputAssets", "e.n_inputs", JG_PROPERTY_INT, NULL },
  { "NumberofOutputAssets", "e.n_outputs", JG_PROPERTY_INT, NULL },
  { "Options", "e.options", JG_PROPERTY_INT, NULL },
  { "EncryptionKeyId", NULL, JG_PROPERTY_STRING, NULL },
  { "EncryptionScheme", NULL, JG_PROPERTY_STRING, NULL },
  { "EncryptionVersion", NULL, JG_PROPERTY_STRING, NULL },
  { "InitializationVector", NULL, JG_PROPERTY_STRING, NULL },
};

static const char *const no_navigation[] = { NULL };

const JgEntitySet        jg_entity_set_task_templates = {
         "TaskTemplates", "TaskTemplate", "task_templates",
         task_template_properties, G_N_ELEMENTS (task_template_properties), no_navigation
};

static const JgEntityProperty media_processor_properties[] = {
  { "Id", "e.id", JG_PROPERTY_STRING, NULL },
  { "Description", "e.description", JG_PROPERTY_STRING, NULL },
  { "Name", "e.name", JG_PROPERTY_STRING, NULL },
  { "Sku", "e.sku", JG_PROPERTY_STRING, NULL },
  { "Vendor", "e.vendor", JG_PROPERTY_STRING, NULL },
  { "Version", "e.version", JG_PROPERTY_STRING, NULL },
};

const JgEntitySet jg_entity_set_media_processors = {
  "MediaProcessors", "MediaProcessor", "temp.media_processors",
  media_processor_properties, G_N_ELEMENTS (media_processor_properties), no_navigation
};

/* Asset files (AssetFile). The encryption members are always null: the
 * Local service keeps files in the clear. The constant columns are
 * written as expressions: a bare 0 in ORDER BY would be a column number.
 */
static const JgEntityProperty file_properties[] = {
  { "Id", "e.id", JG_PROPERTY_STRING, NULL },
  { "Name", "e.name", JG_PROPERTY_STRING, NULL },
  { "ContentFileSize", "e.size", JG_PROPERTY_INT64, NULL },
  { "ParentAssetId", "e.asset_id", JG_PROPERTY_STRING, NULL },
  { "EncryptionVersion", NULL, JG_PROPERTY_STRING, NULL },
  { "EncryptionScheme", NULL, JG_PROPERTY_STRING, NULL },
  { "IsEncrypted", "(e.seq < 0)", JG_PROPERTY_BOOL, NULL },
  { "EncryptionKeyId", NULL, JG_PROPERTY_STRING, NULL },
  { "InitializationVector", NULL, JG_PROPERTY_STRING, NULL },
  { "IsPrimary", "e.is_primary", JG_PROPERTY_BOOL, NULL },
  { "LastModified", "e.last_modified", JG_PROPERTY_DATE, NULL },
  { "Created", "e.created", JG_PROPERTY_DATE, NULL },
  { "MimeType", "e.mime_type", JG_PROPERTY_STRING, NULL },
  { "ContentChecksum", NULL, JG_PROPERTY_STRING, NULL },
  { "Options", "(e.seq < 0)", JG_PROPERTY_INT, NULL },
};

const JgEntitySet jg_entity_set_files = {
  "Files", "AssetFile", "files",
  file_properties, G_N_ELEMENTS (file_properties), no_navigation
};

static const JgEntityProperty access_policy_properties[] = {
  { "Id", "e.id", JG_PROPERTY_STRING, NULL },
  { "Created", "e.created", JG_PROPERTY_DATE, NULL },
  { "LastModified", "e.last_modified", JG_PROPERTY_DATE, NULL },
  { "Name", "e.name", JG_PROPERTY_STRING, NULL },
  { "DurationInMinutes", "e.duration_in_minutes", JG_PROPERTY_DOUBLE, NULL },
  { "Permissions", "e.permissions", JG_PROPERTY_INT, NULL },
};

const JgEntitySet jg_entity_set_access_policies = {
  "AccessPolicies", "AccessPolicy", "access_policies",
  access_policy_properties, G_N_ELEMENTS (access_policy_properties), no_navigation
};

/* Locators store their BaseUri below the emulator's root (see
 * jg_emulator_root () in jg-emulator.c).
 */
static const JgEntityProperty locator_properties[] = {
  { "Id", "e.id", JG_PROPERTY_STRING, NULL },
  { "ExpirationDateTime", "e.expiration", JG_PROPERTY_DATE, NULL },
  { "Type", "e.type", JG_PROPERTY_INT, NULL },
  { "Path", "jg_emulator_root () || e.base_uri || e.content_access_component", JG_PROPERTY_STRING, NULL },
  { "BaseUri", "jg_emulator_root () || e.base_uri", JG_PROPERTY_STRING, NULL },
  { "ContentAccessComponent", "e.content_access_component", JG_PROPERTY_STRING, NULL },
  { "AccessPolicyId", "e.access_policy_id", JG_PROPERTY_STRING, NULL },
  { "AssetId", "e.asset_id", JG_PROPERTY_STRING, NULL },
  { "StartTime", "e.start_time", JG_PROPERTY_DATE, NULL },
  { "Name", "e.name", JG_PROPERTY_STRING, NULL },
};

const JgEntitySet jg_entity_set_locators = {
  "Locators", "Locator", "locators",
  locator_properties, G_N_ELEMENTS (locator_properties), no_navigation
};

static const JgEntitySet *const entity_sets[] = {
  &jg_entity_set_assets,
  &jg_entity_set_jobs,
  &jg_entity_set_tasks,
  &jg_entity_set_job_templates,
  &jg_entity_set_task_templates,
  &jg_entity_set_media_processors,
  &jg_entity_set_files,
  &jg_entity_set_access_policies,
  &jg_entity_set_locators,
};

/**
 * jg_entity_set_lookup:
 * @name: a set name as written in a URL (case-sensitive, like OData)
 *
 * Returns: (nullable): the set
 */
const JgEntitySet *
jg_entity_set_lookup (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (entity_sets); i++)
    if (g_str_equal (entity_sets[i]->name, name))
      return entity_sets[i];

  return NULL;
}

gboolean
jg_entity_set_has_navigation (const JgEntitySet *set,
                              const char        *name)
{
  return g_strv_contains ((const char *const *)set->navigation, name);
}

static const JgEntityProperty *
find_property (const JgEntitySet *set,
               const char        *name)
{
  for (guint i = 0; i < set->n_properties; i++)
    if (g_str_equal (set->properties[i].name, name))
      return &set->properties[i];

  return NULL;
}

/* Helpers shared with the rest of the emulator */

GQuark
jg_emulator_error_quark (void)
{
  return g_quark_from_static_string ("jg-emulator-error-quark");
}

gint64
_jg_emulator_now_ms (void)
{
  return g_get_real_time () / 1000;
}

/**
 * _jg_emulator_new_id:
 * @type: `jid`, `tid`, `cid`…
 *
 * Returns: (transfer full): `nb:<type>:UUID:<new guid>`
 */
char *
_jg_emulator_new_id (const char *type)
{
  g_autofree char *uuid = g_uuid_string_random ();

  return g_strdup_printf ("nb:%s:UUID:%s", type, uuid);
}

/**
 * _jg_emulator_dup_entity_uri:
 *
 * Returns: (transfer full): `<base><Set>('<escaped id>')`
 */
char *
_jg_emulator_dup_entity_uri (const char *base_uri,
                             const char *set,
                             const char *id)
{
  g_autofree char *escaped = g_uri_escape_string (id, NULL, FALSE);

  return g_strdup_printf ("%s%s('%s')", base_uri, set, escaped);
}

/**
 * _jg_emulator_format_date:
 * @ms: milliseconds since the Unix epoch
 * @verbose: `/Date(ms)/` instead of ISO 8601
 *
 * Returns: (transfer full): the date as the response format writes it
 */
char *
_jg_emulator_format_date (gint64   ms,
                          gboolean verbose)
{
  g_autoptr(GDateTime) date = NULL;
  g_autofree char *seconds = NULL;

  if (verbose)
    return g_strdup_printf ("/Date(%" G_GINT64_FORMAT ")/", ms);

  date = g_date_time_new_from_unix_utc (ms / 1000);
  if (date == NULL)
    return g_strdup ("1970-01-01T00:00:00.000Z");

  seconds = g_date_time_format (date, "%Y-%m-%dT%H:%M:%S");

  return g_strdup_printf ("%s.%03dZ", seconds, (int)(ms % 1000));
}

/**
 * jg_emulator_dup_json:
 * @verbose: write `"\/Date(…)\/"` as WCF Data Services did
 *
 * Returns: (transfer full): @node as compact JSON
 */
char *
jg_emulator_dup_json (JsonNode *node,
                      gboolean  verbose)
{
  g_autofree char *json = jg_json_to_string (node, FALSE);
  GString         *out;
  const char      *p;
  const char      *match;

  if (!verbose || strstr (json, "\"/Date(") == NULL)
    return g_steal_pointer (&json);

  /* JSON allows "\/" for "/"; the service wrote dates that way. Only a
   * whole string value "/Date(digits)/" is rewritten (a raw quote can
   * only start or end a string), so the value never changes.
   */
  out = g_string_sized_new (strlen (json) + 64);
  p = json;
  while ((match = strstr (p, "\"/Date(")) != NULL)
    {
      const char *digits = match + strlen ("\"/Date(");
      const char *end = digits;

      if (*end == '-')
        end++;
      while (g_ascii_isdigit (*end))
        end++;

      g_string_append_len (out, p, match - p);

      if (end > digits && g_str_has_prefix (end, ")/\""))
        {
          g_string_append (out, "\"\\/Date(");
          g_string_append_len (out, digits, end - digits);
          g_string_append (out, ")\\/\"");
          p = end + strlen (")/\"");
        }
      else
        {
          g_string_append_len (out, match, digits - match);
          p = digits;
        }
    }
  g_string_append (out, p);

  return g_string_free (out, FALSE);
}

/* Responses */

void
_jg_emulator_response_init (JgEmulatorResponse *response)
{
  memset (response, 0, sizeof *response);
  response->status = 200;
  response->headers = g_ptr_array_new_with_free_func (g_free);
}

void
_jg_emulator_response_clear (JgEmulatorResponse *response)
{
  g_clear_pointer (&response->reason, g_free);
  g_clear_pointer (&response->headers, g_ptr_array_unref);
  g_clear_pointer (&response->content_type, g_free);
  g_clear_pointer (&response->body, g_bytes_unref);
}

void
_jg_emulator_response_add_header (JgEmulatorResponse *response,
                                  const char         *name,
                                  const char         *value)
{
  g_ptr_array_add (response->headers, g_strdup (name));
  g_ptr_array_add (response->headers, g_strdup (value));
}

static void
set_body (JgEmulatorResponse *response,
          const char         *content_type,
          char               *text)
{
  g_free (response->content_type);
  response->content_type = g_strdup (content_type);
  g_clear_pointer (&response->body, g_bytes_unref);
  response->body = g_bytes_new_take (text, strlen (text));
}

/**
 * _jg_emulator_response_set_json:
 * @node: (transfer none): the body
 */
void
_jg_emulator_response_set_json (JgEmulatorResponse *response,
                                gboolean            verbose,
                                guint               status,
                                JsonNode           *node)
{
  response->status = status;
  set_body (response, verbose ? VERBOSE_TYPE : LIGHT_TYPE, jg_emulator_dup_json (node, verbose));
}

/**
 * _jg_emulator_response_set_error:
 *
 * An OData error: `{"error":…}` in verbose JSON, `{"odata.error":…}` in
 * JSON light, with an empty code and the message in en-US (§5.5).
 */
void
_jg_emulator_response_set_error (JgEmulatorResponse *response,
                                 gboolean            verbose,
                                 guint               status,
                                 const char         *message)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, verbose ? "error" : "odata.error");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "code");
  json_builder_add_string_value (builder, "");
  json_builder_set_member_name (builder, "message");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "lang");
  json_builder_add_string_value (builder, "en-US");
  json_builder_set_member_name (builder, "value");
  json_builder_add_string_value (builder, message);
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);

  _jg_emulator_response_set_json (response, verbose, status, root);
}

/* $filter */

typedef enum
{
  TOKEN_END,
  TOKEN_IDENT,
  TOKEN_STRING,
  TOKEN_DATETIME,
  TOKEN_NUMBER,
  TOKEN_LPAREN,
  TOKEN_RPAREN,
  TOKEN_COMMA,
} TokenKind;

typedef enum
{
  PARAM_TEXT,
  PARAM_INT,
  PARAM_DOUBLE,
} ParamKind;

typedef struct
{
  ParamKind kind;
  char     *text;
  gint64    i;
  double    d;
} Param;

typedef struct
{
  gboolean                is_bool;
  GString                *sql;
  const JgEntityProperty *property; /* a bare property */
  int                     param;    /* a bare literal: index in params, else -1 */
  gboolean                is_null;
} Operand;

typedef struct
{
  const JgEntitySet *set;
  const char        *start;
  const char        *p;
  GPtrArray         *params; /* Param */
  TokenKind          kind;
  char              *text;
  int                position;
  GError           **error;
  guint              depth;
} Parser;

/* Nesting deeper than this is refused: the parser is recursive. */
#define MAX_FILTER_DEPTH 64

static void
param_free (Param *param)
{
  g_free (param->text);
  g_free (param);
}

static void
operand_free (Operand *operand)
{
  if (operand == NULL)
    return;

  g_string_free (operand->sql, TRUE);
  g_free (operand);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Operand, operand_free)

static Operand *
operand_new (gboolean is_bool)
{
  Operand *operand = g_new0 (Operand, 1);

  operand->is_bool = is_bool;
  operand->sql = g_string_new (NULL);
  operand->param = -1;

  return operand;
}

static gboolean
syntax_error (Parser     *parser,
              const char *what)
{
  if (parser->error != NULL && *parser->error == NULL)
    g_set_error (parser->error, JG_EMULATOR_ERROR, 400,
                 "Syntax error in $filter at position %d: %s.", parser->position, what);

  return FALSE;
}

static gboolean
next_token (Parser *parser)
{
  const char *p = parser->p;
  GString    *text;

  g_clear_pointer (&parser->text, g_free);

  while (*p == ' ' || *p == '\t')
    p++;

  parser->position = p - parser->start;

  if (*p == '\0')
    {
      parser->kind = TOKEN_END;
      parser->p = p;
      return TRUE;
    }

  if (*p == '(' || *p == ')' || *p == ',')
    {
      parser->kind = *p == '(' ? TOKEN_LPAREN : *p == ')' ? TOKEN_RPAREN
                                                          : TOKEN_COMMA;
      parser->p = p + 1;
      return TRUE;
    }

  if (*p == '\'')
    {
      text = g_string_new (NULL);
      for (p++;; p++)
        {
          if (*p == '\0')
            {
              g_string_free (text, TRUE);
              return syntax_error (parser, "unterminated string literal");
            }

          if (*p == '\'')
            {
              if (p[1] != '\'')
                break;
              p++;
            }

          g_string_append_c (text, *p);
        }

      parser->kind = TOKEN_STRING;
      parser->text = g_string_free (text, FALSE);
      parser->p = p + 1;
      return TRUE;
    }

  if (g_ascii_isdigit (*p) || (*p == '-' && g_ascii_isdigit (p[1])))
    {
      const char *start = p;

      p++;
      while (g_ascii_isdigit (*p) || *p == '.' || *p == 'e' || *p == 'E' ||
             ((*p == '+' || *p == '-') && (p[-1] == 'e' || p[-1] == 'E')))
        p++;

      parser->kind = TOKEN_NUMBER;
      parser->text = g_strndup (start, p - start);

      /* Type suffixes: 12L, 1.5M, 2.0d, 3f */
      if (strchr ("LlMmDdFf", *p) != NULL && *p != '\0')
        p++;

      parser->p = p;
      return TRUE;
    }

  if (g_ascii_isalpha (*p) || *p == '_')
    {
      const char *start = p;

      while (g_ascii_isalnum (*p) || *p == '_' || *p == '.' || *p == '/')
        p++;

      parser->kind = TOKEN_IDENT;
      parser->text = g_strndup (start, p - start);
      parser->p = p;

      /* datetime'…', datetimeoffset'…' and guid'…' literals */
      if (*p == '\'' &&
          (g_str_equal (parser->text, "datetime") || g_str_equal (parser->text, "datetimeoffset") ||
           g_str_equal (parser->text, "guid")))
        {
          gboolean is_date = !g_str_equal (parser->text, "guid");

          if (!next_token (parser))
            return FALSE;

          parser->kind = is_date ? TOKEN_DATETIME : TOKEN_STRING;
        }

      return TRUE;
    }

  return syntax_error (parser, "unexpected character");
}

static gboolean
is_ident (Parser     *parser,
          const char *word)
{
  return parser->kind == TOKEN_IDENT && g_str_equal (parser->text, word);
}

static gboolean
parse_date (const char *text,
            gint64     *ms)
{
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  g_autoptr(GDateTime) date = NULL;
  g_autofree char *full = NULL;

  if (strlen (text) == 10)
    full = g_strconcat (text, "T00:00:00", NULL);

  date = g_date_time_new_from_iso8601 (full ? full : text, utc);
  if (date == NULL)
    return FALSE;

  *ms = g_date_time_to_unix (date) * 1000 + g_date_time_get_microsecond (date) / 1000;

  return TRUE;
}

static int
add_param (Parser     *parser,
           ParamKind   kind,
           const char *text,
           gint64      i,
           double      d)
{
  Param *param = g_new0 (Param, 1);

  param->kind = kind;
  param->text = g_strdup (text);
  param->i = i;
  param->d = d;
  g_ptr_array_add (parser->params, param);

  return parser->params->len - 1;
}

/* Filter parameters are numbered from 2: ?1 belongs to the scope. */
static void
append_param (GString *sql,
              int      index)
{
  g_string_append_printf (sql, "?%d", index + 2);
}

static Operand *parse_or (Parser *parser);
static Operand *parse_not (Parser *parser);
static Operand *parse_not_inner (Parser *parser);

static Operand *
parse_literal (Parser *parser)
{
  g_autoptr(Operand) operand = operand_new (FALSE);

  switch (parser->kind)
    {
    case TOKEN_STRING:
      operand->param = add_param (parser, PARAM_TEXT, parser->text, 0, 0);
      break;

    case TOKEN_DATETIME:
      {
        gint64 ms;

        if (!parse_date (parser->text, &ms))
          {
            syntax_error (parser, "invalid datetime literal");
            return NULL;
          }
        operand->param = add_param (parser, PARAM_INT, NULL, ms, 0);
        break;
      }

    case TOKEN_NUMBER:
      {
        char  *end;
        gint64 i = g_ascii_strtoll (parser->text, &end, 10);

        if (*end == '\0')
          operand->param = add_param (parser, PARAM_INT, NULL, i, 0);
        else
          {
            double d = g_ascii_strtod (parser->text, &end);

            if (*end != '\0')
              {
                syntax_error (parser, "invalid number");
                return NULL;
              }
            operand->param = add_param (parser, PARAM_DOUBLE, NULL, 0, d);
          }
        break;
      }

    case TOKEN_IDENT:
      if (g_str_equal (parser->text, "null"))
        {
          operand->is_null = TRUE;
          g_string_append (operand->sql, "NULL");
          break;
        }

      operand->param = add_param (parser, PARAM_INT, NULL, g_str_equal (parser->text, "true"), 0);
      break;

    case TOKEN_END:
    case TOKEN_LPAREN:
    case TOKEN_RPAREN:
    case TOKEN_COMMA:
    default:
      g_assert_not_reached ();
    }

  if (operand->param >= 0)
    append_param (operand->sql, operand->param);

  if (!next_token (parser))
    return NULL;

  return g_steal_pointer (&operand);
}

static Operand *
parse_function (Parser *parser)
{
  g_autofree char *name = g_steal_pointer (&parser->text);
  g_autoptr(GPtrArray) args = g_ptr_array_new_with_free_func ((GDestroyNotify)operand_free);
  static const struct
  {
    const char *name;
    guint       n_args;
    gboolean    is_bool;
  } functions[] = {
    { "startswith", 2, TRUE },
    { "endswith", 2, TRUE },
    { "substringof", 2, TRUE },
    { "tolower", 1, FALSE },
    { "toupper", 1, FALSE },
    { "length", 1, FALSE },
    { "trim", 1, FALSE },
    { "indexof", 2, FALSE },
  };
  Operand *result;
  Operand *a, *b = NULL;
  guint    f;

  for (f = 0; f < G_N_ELEMENTS (functions); f++)
    if (g_str_equal (functions[f].name, name))
      break;

  if (f == G_N_ELEMENTS (functions))
    {
      g_set_error (parser->error, JG_EMULATOR_ERROR, 400,
                   "Unknown function '%s' in $filter at position %d.", name, parser->position);
      return NULL;
    }

  /* The current token is the "(". */
  if (!next_token (parser))
    return NULL;

  for (;;)
    {
      Operand *arg = parse_or (parser);

      if (arg == NULL)
        return NULL;

      g_ptr_array_add (args, arg);

      if (parser->kind == TOKEN_COMMA)
        {
          if (!next_token (parser))
            return NULL;
          continue;
        }

      if (parser->kind != TOKEN_RPAREN)
        {
          syntax_error (parser, "expected ')'");
          return NULL;
        }

      if (!next_token (parser))
        return NULL;
      break;
    }

  if (args->len != functions[f].n_args)
    {
      g_set_error (parser->error, JG_EMULATOR_ERROR, 400,
                   "The function '%s' takes %u arguments in $filter.", name, functions[f].n_args);
      return NULL;
    }

  a = g_ptr_array_index (args, 0);
  if (args->len > 1)
    b = g_ptr_array_index (args, 1);

  result = operand_new (functions[f].is_bool);

  /* Parameters are numbered, so an argument may appear twice. */
  if (g_str_equal (name, "startswith"))
    g_string_printf (result->sql, "(substr(%s, 1, length(%s)) = %s)", a->sql->str, b->sql->str, b->sql->str);
  else if (g_str_equal (name, "endswith"))
    g_string_printf (result->sql, "(length(%s) = 0 OR substr(%s, -length(%s)) = %s)",
                     b->sql->str, a->sql->str, b->sql->str, b->sql->str);
  else if (g_str_equal (name, "substringof"))
    g_string_printf (result->sql, "(instr(%s, %s) > 0)", b->sql->str, a->sql->str);
  else if (g_str_equal (name, "tolower"))
    g_string_printf (result->sql, "lower(%s)", a->sql->str);
  else if (g_str_equal (name, "toupper"))
    g_string_printf (result->sql, "upper(%s)", a->sql->str);
  else if (g_str_equal (name, "length"))
    g_string_printf (result->sql, "length(%s)", a->sql->str);
  else if (g_str_equal (name, "trim"))
    g_string_printf (result->sql, "trim(%s)", a->sql->str);
  else
    g_string_printf (result->sql, "(instr(%s, %s) - 1)", a->sql->str, b->sql->str);

  return result;
}

static Operand *
parse_primary (Parser *parser)
{
  switch (parser->kind)
    {
    case TOKEN_LPAREN:
      {
        g_autoptr(Operand) inner = NULL;
        Operand *operand;

        if (!next_token (parser) || (inner = parse_or (parser)) == NULL)
          return NULL;

        if (parser->kind != TOKEN_RPAREN)
          {
            syntax_error (parser, "expected ')'");
            return NULL;
          }

        if (!next_token (parser))
          return NULL;

        operand = operand_new (inner->is_bool);
        g_string_printf (operand->sql, "(%s)", inner->sql->str);
        operand->param = inner->param;
        operand->property = inner->property;
        operand->is_null = inner->is_null;

        return operand;
      }

    case TOKEN_STRING:
    case TOKEN_DATETIME:
    case TOKEN_NUMBER:
      return parse_literal (parser);

    case TOKEN_IDENT:
      {
        const JgEntityProperty *property;
        Operand                *operand;

        if (g_str_equal (parser->text, "null") || g_str_equal (parser->text, "true") ||
            g_str_equal (parser->text, "false"))
          return parse_literal (parser);

        property = find_property (parser->set, parser->text);
        if (property == NULL)
          {
            g_set_error (parser->error, JG_EMULATOR_ERROR, 400,
                         "No property '%s' exists in type '" JG_EMULATOR_TYPE_PREFIX "%s' at position %d.",
                         parser->text, parser->set->type, parser->position);
            return NULL;
          }

        if (property->column == NULL || property->type == JG_PROPERTY_COLLECTION)
          {
            g_set_error (parser->error, JG_EMULATOR_ERROR, 400,
                         "The property '%s' cannot be used in $filter.", property->name);
            return NULL;
          }

        operand = operand_new (FALSE);
        operand->property = property;
        g_string_append (operand->sql, property->column);

        if (!next_token (parser))
          {
            operand_free (operand);
            return NULL;
          }

        return operand;
      }

    case TOKEN_END:
      syntax_error (parser, "the expression ends too early");
      return NULL;

    case TOKEN_RPAREN:
    case TOKEN_COMMA:
    default:
      syntax_error (parser, "unexpected token");
      return NULL;
    }
}

/* A function call is recognised here, where the name is still known. */
static Operand *
parse_term (Parser *parser)
{
  if (parser->kind == TOKEN_IDENT)
    {
      const char *after = parser->p;

      while (*after == ' ')
        after++;

      if (*after == '(' && !g_str_equal (parser->text, "not"))
        {
          g_autofree char *name = g_strdup (parser->text);

          if (!next_token (parser))
            return NULL;

          parser->text = g_steal_pointer (&name);
          return parse_function (parser);
        }
    }

  return parse_primary (parser);
}

/* Converts a literal compared with a date property to milliseconds. */
static gboolean
coerce_date (Parser  *parser,
             Operand *property,
             Operand *literal)
{
  Param *param;
  gint64 ms;

  if (property->property == NULL || property->property->type != JG_PROPERTY_DATE || literal->param < 0)
    return TRUE;

  param = g_ptr_array_index (parser->params, literal->param);
  if (param->kind != PARAM_TEXT)
    return TRUE;

  if (!parse_date (param->text, &ms))
    {
      g_set_error (parser->error, JG_EMULATOR_ERROR, 400,
                   "'%s' is not a date for %s in $filter.", param->text, property->property->name);
      return FALSE;
    }

  param->kind = PARAM_INT;
  param->i = ms;

  return TRUE;
}

static Operand *
parse_comparison (Parser *parser)
{
  static const struct
  {
    const char *word;
    const char *sql;
  } operators[] = {
    { "eq", "=" },
    { "ne", "<>" },
    { "gt", ">" },
    { "ge", ">=" },
    { "lt", "<" },
    { "le", "<=" },
  };
  g_autoptr(Operand) left = NULL;
  g_autoptr(Operand) right = NULL;
  Operand *result;
  guint    op;

  left = parse_term (parser);
  if (left == NULL)
    return NULL;

  if (parser->kind != TOKEN_IDENT)
    return g_steal_pointer (&left);

  for (op = 0; op < G_N_ELEMENTS (operators); op++)
    if (g_str_equal (operators[op].word, parser->text))
      break;

  if (op == G_N_ELEMENTS (operators))
    return g_steal_pointer (&left);

  if (!next_token (parser) || (right = parse_term (parser)) == NULL)
    return NULL;

  if (!coerce_date (parser, left, right) || !coerce_date (parser, right, left))
    return NULL;

  result = operand_new (TRUE);

  if (left->is_null || right->is_null)
    {
      Operand *value = left->is_null ? right : left;

      if (op > 1)
        {
          operand_free (result);
          syntax_error (parser, "null can only be compared with eq or ne");
          return NULL;
        }

      g_string_printf (result->sql, "(%s IS %sNULL)", value->sql->str, op == 1 ? "NOT " : "");
    }
  else
    g_string_printf (result->sql, "(%s %s %s)", left->sql->str, operators[op].sql, right->sql->str);

  return result;
}

static gboolean
enter (Parser *parser)
{
  if (++parser->depth > MAX_FILTER_DEPTH)
    return syntax_error (parser, "the expression is nested too deeply");

  return TRUE;
}

static Operand *
parse_not (Parser *parser)
{
  Operand *result;

  if (!enter (parser))
    return NULL;

  result = parse_not_inner (parser);
  parser->depth--;

  return result;
}

static Operand *
parse_not_inner (Parser *parser)
{
  if (is_ident (parser, "not"))
    {
      g_autoptr(Operand) inner = NULL;
      Operand *result;

      if (!next_token (parser) || (inner = parse_not (parser)) == NULL)
        return NULL;

      result = operand_new (TRUE);
      g_string_printf (result->sql, "(NOT %s)", inner->sql->str);

      return result;
    }

  return parse_comparison (parser);
}

static Operand *
parse_binary (Parser     *parser,
              const char *word,
              const char *sql,
              Operand *(*parse_operand) (Parser *))
{
  g_autoptr(Operand) left = parse_operand (parser);

  if (left == NULL)
    return NULL;

  while (is_ident (parser, word))
    {
      g_autoptr(Operand) right = NULL;
      Operand *combined;

      if (!next_token (parser) || (right = parse_operand (parser)) == NULL)
        return NULL;

      combined = operand_new (TRUE);
      g_string_printf (combined->sql, "(%s %s %s)", left->sql->str, sql, right->sql->str);
      operand_free (left);
      left = combined;
    }

  return g_steal_pointer (&left);
}

static Operand *
parse_and (Parser *parser)
{
  return parse_binary (parser, "and", "AND", parse_not);
}

static Operand *
parse_or (Parser *parser)
{
  Operand *result;

  if (!enter (parser))
    return NULL;

  result = parse_binary (parser, "or", "OR", parse_and);
  parser->depth--;

  return result;
}

/* Translates @filter into an SQL condition on alias `e`; the literals go
 * to @params, numbered from ?2.
 */
static char *
translate_filter (const JgEntitySet *set,
                  const char        *filter,
                  GPtrArray         *params,
                  GError           **error)
{
  g_autoptr(Operand) root = NULL;
  Parser parser = { 0 };

  parser.set = set;
  parser.start = filter;
  parser.p = filter;
  parser.params = params;
  parser.error = error;

  if (next_token (&parser))
    root = parse_or (&parser);

  if (root != NULL && parser.kind != TOKEN_END)
    {
      syntax_error (&parser, "unexpected text after the expression");
      g_clear_pointer (&root, operand_free);
    }

  if (root != NULL && !root->is_bool && root->property == NULL && root->param < 0)
    {
      syntax_error (&parser, "the expression is not a condition");
      g_clear_pointer (&root, operand_free);
    }

  g_free (parser.text);

  if (root == NULL)
    {
      /* Every failure sets an error; be safe anyway. */
      if (error != NULL && *error == NULL)
        g_set_error (error, JG_EMULATOR_ERROR, 400, "Syntax error in $filter.");
      return NULL;
    }

  return g_strdup (root->sql->str);
}

/* Other query options */

static const char *
get_query (JgEmulatorRequest *request,
           const char        *name)
{
  return request->query ? g_hash_table_lookup (request->query, name) : NULL;
}

/**
 * jg_emulator_check_query:
 *
 * Refuses `$expand` and system query options the emulator does not know.
 */
gboolean
jg_emulator_check_query (JgEmulatorRequest *request,
                         GError           **error)
{
  static const char *const known[] = {
    "$filter", "$orderby", "$select", "$top", "$skip", "$format", NULL
  };
  GHashTableIter iter;
  gpointer       key;

  if (request->query == NULL)
    return TRUE;

  if (g_hash_table_contains (request->query, "$expand"))
    {
      g_set_error (error, JG_EMULATOR_ERROR, 400, "$expand is not supported.");
      return FALSE;
    }

  g_hash_table_iter_init (&iter, request->query);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      const char *name = key;

      if (name[0] == '$' && !g_strv_contains (known, name))
        {
          g_set_error (error, JG_EMULATOR_ERROR, 400,
                       "The query parameter '%s' begins with a system-reserved '$' character but is not recognized.",
                       name);
          return FALSE;
        }
    }

  return TRUE;
}

static gboolean
read_count (JgEmulatorRequest *request,
            const char        *name,
            gint64            *value,
            GError           **error)
{
  const char *text = get_query (request, name);
  char       *end;

  *value = -1;
  if (text == NULL)
    return TRUE;

  *value = g_ascii_strtoll (text, &end, 10);
  if (end == text || *end != '\0' || *value < 0)
    {
      g_set_error (error, JG_EMULATOR_ERROR, 400,
                   "Invalid value '%s' for %s; expected a whole number of 0 or more.", text, name);
      return FALSE;
    }

  return TRUE;
}

static char *
translate_orderby (const JgEntitySet *set,
                   const char        *orderby,
                   GError           **error)
{
  g_auto(GStrv) items = g_strsplit (orderby, ",", -1);
  GString *sql = g_string_new (NULL);

  for (guint i = 0; items[i] != NULL; i++)
    {
      g_auto(GStrv) words = NULL;
      const JgEntityProperty *property;
      const char             *direction = "ASC";
      guint                   n_words;

      g_strstrip (items[i]);
      words = g_strsplit_set (items[i], " \t", -1);

      /* Drop empty words (several spaces). */
      n_words = 0;
      for (guint w = 0; words[w] != NULL; w++)
        if (words[w][0] != '\0')
          {
            char *word = words[w];

            words[w] = NULL;
            words[n_words++] = word;
          }
        else
          g_clear_pointer (&words[w], g_free);

      if (n_words == 0 || n_words > 2)
        {
          g_set_error (error, JG_EMULATOR_ERROR, 400, "Syntax error in $orderby: '%s'.", orderby);
          goto failed;
        }

      property = find_property (set, words[0]);
      if (property == NULL)
        {
          g_set_error (error, JG_EMULATOR_ERROR, 400,
                       "No property '%s' exists in type '" JG_EMULATOR_TYPE_PREFIX "%s'.",
                       words[0], set->type);
          goto failed;
        }

      if (property->column == NULL || property->type == JG_PROPERTY_COLLECTION)
        {
          g_set_error (error, JG_EMULATOR_ERROR, 400,
                       "The property '%s' cannot be used in $orderby.", property->name);
          goto failed;
        }

      if (n_words == 2)
        {
          if (g_ascii_strcasecmp (words[1], "desc") == 0)
            direction = "DESC";
          else if (g_ascii_strcasecmp (words[1], "asc") != 0)
            {
              g_set_error (error, JG_EMULATOR_ERROR, 400,
                           "Syntax error in $orderby: expected asc or desc, not '%s'.", words[1]);
              goto failed;
            }
        }

      g_string_append_printf (sql, "%s %s, ", property->column, direction);
    }

  return g_string_free (sql, FALSE);

failed:
  g_string_free (sql, TRUE);
  return NULL;
}

/* Returns the selected names, or %NULL for all (with @error unset). */
static GHashTable *
read_select (JgEmulatorRequest *request,
             const JgEntitySet *set,
             GError           **error)
{
  const char *select = get_query (request, "$select");
  g_autoptr(GHashTable) names = NULL;
  g_auto(GStrv) items = NULL;

  if (select == NULL)
    return NULL;

  names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  items = g_strsplit (select, ",", -1);
  for (guint i = 0; items[i] != NULL; i++)
    {
      g_strstrip (items[i]);

      if (g_str_equal (items[i], "*"))
        return NULL;

      if (find_property (set, items[i]) == NULL && !jg_entity_set_has_navigation (set, items[i]))
        {
          g_set_error (error, JG_EMULATOR_ERROR, 400,
                       "No property '%s' exists in type '" JG_EMULATOR_TYPE_PREFIX "%s'.",
                       items[i], set->type);
          return NULL;
        }

      g_hash_table_add (names, g_strdup (items[i]));
    }

  return g_steal_pointer (&names);
}

/* Entities */

static void
add_collection (JsonBuilder            *builder,
                JgEmulatorRequest      *request,
                const JgEntityProperty *property,
                const char             *json)
{
  g_autoptr(JsonNode) root = NULL;
  JsonArray *array = NULL;

  if (json != NULL)
    root = jg_json_parse (json, -1, NULL);
  if (root != NULL && JSON_NODE_HOLDS_ARRAY (root))
    array = json_node_get_array (root);

  if (request->verbose)
    {
      g_autofree char *type = g_strdup_printf ("Collection(" JG_EMULATOR_TYPE_PREFIX "%s)", property->element_type);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "__metadata");
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "type");
      json_builder_add_string_value (builder, type);
      json_builder_end_object (builder);
      json_builder_set_member_name (builder, "results");
    }

  json_builder_begin_array (builder);
  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      JsonNode   *element = json_array_get_element (array, i);
      JsonObject *object;
      GList      *members;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        continue;

      object = json_node_get_object (element);
      json_builder_begin_object (builder);

      if (request->verbose)
        {
          g_autofree char *type = g_strconcat (JG_EMULATOR_TYPE_PREFIX, property->element_type, NULL);

          json_builder_set_member_name (builder, "__metadata");
          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "type");
          json_builder_add_string_value (builder, type);
          json_builder_end_object (builder);
        }

      members = json_object_get_members (object);
      for (GList *l = members; l != NULL; l = l->next)
        {
          const char *name = l->data;
          JsonNode   *value = json_object_get_member (object, name);

          json_builder_set_member_name (builder, name);

          /* TimeStamp is kept in milliseconds. */
          if (g_str_equal (name, "TimeStamp") && JSON_NODE_HOLDS_VALUE (value) &&
              json_node_get_value_type (value) == G_TYPE_INT64)
            {
              g_autofree char *date = _jg_emulator_format_date (json_node_get_int (value), request->verbose);

              json_builder_add_string_value (builder, date);
            }
          else
            json_builder_add_value (builder, json_node_copy (value));
        }
      g_list_free (members);

      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  if (request->verbose)
    json_builder_end_object (builder);
}

/* The SELECT list: e.id, then one column per property that has one;
 * @columns maps each property to its column, or -1.
 */
static char *
build_columns (const JgEntitySet *set,
               int               *columns)
{
  GString *sql = g_string_new ("e.id");
  int      n = 1;

  for (guint i = 0; i < set->n_properties; i++)
    {
      if (set->properties[i].column == NULL)
        {
          columns[i] = -1;
          continue;
        }

      g_string_append_printf (sql, ", %s", set->properties[i].column);
      columns[i] = n++;
    }

  return g_string_free (sql, FALSE);
}

static void
build_entity (JsonBuilder       *builder,
              JgEmulatorRequest *request,
              const JgEntitySet *set,
              sqlite3_stmt      *stmt,
              const int         *columns,
              GHashTable        *select,
              gboolean           single)
{
  const char      *id = jg_emulator_column_text (stmt, 0);
  g_autofree char *uri = _jg_emulator_dup_entity_uri (request->base_uri, set->name, id);

  json_builder_begin_object (builder);

  if (single && !request->verbose)
    {
      g_autofree char *metadata = g_strdup_printf ("%s$metadata#%s/@Element", request->base_uri, set->name);

      json_builder_set_member_name (builder, "odata.metadata");
      json_builder_add_string_value (builder, metadata);
    }

  if (request->verbose)
    {
      g_autofree char *type = g_strconcat (JG_EMULATOR_TYPE_PREFIX, set->type, NULL);

      json_builder_set_member_name (builder, "__metadata");
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "id");
      json_builder_add_string_value (builder, uri);
      json_builder_set_member_name (builder, "uri");
      json_builder_add_string_value (builder, uri);
      json_builder_set_member_name (builder, "type");
      json_builder_add_string_value (builder, type);
      json_builder_end_object (builder);
    }

  for (guint i = 0; i < set->n_properties; i++)
    {
      const JgEntityProperty *property = &set->properties[i];
      int                     column = columns[i];
      gboolean                is_null = column < 0 || sqlite3_column_type (stmt, column) == SQLITE_NULL;

      if (select != NULL && !g_hash_table_contains (select, property->name))
        continue;

      json_builder_set_member_name (builder, property->name);

      if (property->type == JG_PROPERTY_COLLECTION)
        {
          add_collection (builder, request, property, is_null ? NULL : jg_emulator_column_text (stmt, column));
          continue;
        }

      if (is_null)
        {
          json_builder_add_null_value (builder);
          continue;
        }

      switch (property->type)
        {
        case JG_PROPERTY_STRING:
          json_builder_add_string_value (builder, jg_emulator_column_text (stmt, column));
          break;

        case JG_PROPERTY_INT:
          json_builder_add_int_value (builder, sqlite3_column_int64 (stmt, column));
          break;

        case JG_PROPERTY_DOUBLE:
          json_builder_add_double_value (builder, sqlite3_column_double (stmt, column));
          break;

        case JG_PROPERTY_INT64:
          /* Verbose JSON writes Edm.Int64 as a string, as WCF did. */
          if (request->verbose)
            {
              g_autofree char *text = g_strdup_printf ("%" G_GINT64_FORMAT, (gint64)sqlite3_column_int64 (stmt, column));

              json_builder_add_string_value (builder, text);
            }
          else
            json_builder_add_int_value (builder, sqlite3_column_int64 (stmt, column));
          break;

        case JG_PROPERTY_BOOL:
          json_builder_add_boolean_value (builder, sqlite3_column_int (stmt, column) != 0);
          break;

        case JG_PROPERTY_DATE:
          {
            g_autofree char *date = _jg_emulator_format_date (sqlite3_column_int64 (stmt, column), request->verbose);

            json_builder_add_string_value (builder, date);
            break;
          }

        case JG_PROPERTY_COLLECTION:
        default:
          g_assert_not_reached ();
        }
    }

  if (request->verbose)
    for (guint i = 0; set->navigation[i] != NULL; i++)
      {
        g_autofree char *link = NULL;

        if (select != NULL && !g_hash_table_contains (select, set->navigation[i]))
          continue;

        link = g_strdup_printf ("%s/%s", uri, set->navigation[i]);
        json_builder_set_member_name (builder, set->navigation[i]);
        json_builder_begin_object (builder);
        json_builder_set_member_name (builder, "__deferred");
        json_builder_begin_object (builder);
        json_builder_set_member_name (builder, "uri");
        json_builder_add_string_value (builder, link);
        json_builder_end_object (builder);
        json_builder_end_object (builder);
      }

  json_builder_end_object (builder);
}

static void
bind_params (sqlite3_stmt *stmt,
             GPtrArray    *params)
{
  for (guint i = 0; i < params->len; i++)
    {
      Param *param = g_ptr_array_index (params, i);

      switch (param->kind)
        {
        case PARAM_TEXT:
          sqlite3_bind_text (stmt, i + 2, param->text, -1, SQLITE_TRANSIENT);
          break;

        case PARAM_INT:
          sqlite3_bind_int64 (stmt, i + 2, param->i);
          break;

        case PARAM_DOUBLE:
        default:
          sqlite3_bind_double (stmt, i + 2, param->d);
          break;
        }
    }
}

/**
 * jg_emulator_list:
 * @scope: (nullable): which entities of @set, %NULL for all
 *
 * Answers a collection request with the query options of @request.
 *
 * Returns: (transfer full) (nullable): the response body
 */
JsonNode *
jg_emulator_list (JgEmulatorStore   *store,
                  JgEmulatorRequest *request,
                  const JgEntitySet *set,
                  const JgListScope *scope,
                  GError           **error)
{
  g_autoptr(GPtrArray) params = g_ptr_array_new_with_free_func ((GDestroyNotify)param_free);
  g_autoptr(GHashTable) select = NULL;
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree int  *columns = NULL;
  g_autofree char *column_sql = NULL;
  g_autofree char *filter_sql = NULL;
  g_autofree char *order_sql = NULL;
  g_autoptr(GString) sql = NULL;
  const JgListScope all = { 0 };
  const char       *filter;
  const char       *orderby;
  sqlite3_stmt     *stmt = NULL;
  gint64            top, skip;
  int               rc;

  if (scope == NULL)
    scope = &all;

  if (!jg_emulator_check_query (request, error) ||
      !read_count (request, "$top", &top, error) ||
      !read_count (request, "$skip", &skip, error))
    return NULL;

  select = read_select (request, set, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  filter = get_query (request, "$filter");
  if (filter != NULL && (filter_sql = translate_filter (set, filter, params, error)) == NULL)
    return NULL;

  orderby = get_query (request, "$orderby");
  if (orderby != NULL && (order_sql = translate_orderby (set, orderby, error)) == NULL)
    return NULL;

  columns = g_new0 (int, set->n_properties);
  column_sql = build_columns (set, columns);

  sql = g_string_new (NULL);
  g_string_append_printf (sql, "SELECT %s FROM %s AS e", column_sql, set->table);
  if (scope->join != NULL)
    g_string_append_printf (sql, " %s", scope->join);
  g_string_append (sql, " WHERE 1");
  if (scope->where != NULL)
    g_string_append_printf (sql, " AND (%s)", scope->where);
  if (filter_sql != NULL)
    g_string_append_printf (sql, " AND (%s)", filter_sql);
  g_string_append (sql, " ORDER BY ");
  if (order_sql != NULL)
    g_string_append (sql, order_sql);
  else if (scope->order != NULL)
    g_string_append_printf (sql, "%s, ", scope->order);
  g_string_append (sql, "e.seq");

  /* The silent cap: never more than 1,000, and no next link. */
  g_string_append_printf (sql, " LIMIT %" G_GINT64_FORMAT " OFFSET %" G_GINT64_FORMAT,
                          top >= 0 ? MIN (top, JG_EMULATOR_PAGE_CAP) : JG_EMULATOR_PAGE_CAP,
                          MAX (skip, 0));

  if (sqlite3_prepare_v2 (jg_emulator_store_get_db (store), sql->str, -1, &stmt, NULL) != SQLITE_OK)
    {
      jg_emulator_store_set_error (store, error);
      g_warning ("Cannot prepare %s", sql->str);
      return NULL;
    }

  if (scope->where != NULL && strstr (scope->where, "?1") != NULL)
    jg_emulator_bind_text (stmt, 1, scope->param);
  bind_params (stmt, params);

  builder = json_builder_new_immutable ();
  json_builder_begin_object (builder);
  if (request->verbose)
    {
      json_builder_set_member_name (builder, "d");
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "results");
    }
  else
    {
      g_autofree char *metadata = g_strdup_printf ("%s$metadata#%s", request->base_uri, set->name);

      json_builder_set_member_name (builder, "odata.metadata");
      json_builder_add_string_value (builder, metadata);
      json_builder_set_member_name (builder, "value");
    }

  json_builder_begin_array (builder);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    build_entity (builder, request, set, stmt, columns, select, FALSE);
  json_builder_end_array (builder);

  if (request->verbose)
    json_builder_end_object (builder);
  json_builder_end_object (builder);

  if (rc != SQLITE_DONE)
    {
      jg_emulator_store_set_error (store, error);
      sqlite3_finalize (stmt);
      return NULL;
    }

  sqlite3_finalize (stmt);

  return json_builder_get_root (builder);
}

/**
 * jg_emulator_get_entity:
 * @with_select: apply the request's `$select`
 *
 * Returns: (transfer full) (nullable): the body of a response with one
 *   entity, or %NULL with a 404 error
 */
JsonNode *
jg_emulator_get_entity (JgEmulatorStore   *store,
                        JgEmulatorRequest *request,
                        const JgEntitySet *set,
                        const char        *id,
                        gboolean           with_select,
                        GError           **error)
{
  g_autoptr(GHashTable) select = NULL;
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree int  *columns = NULL;
  g_autofree char *column_sql = NULL;
  g_autofree char *sql = NULL;
  sqlite3_stmt    *stmt;
  int              rc;

  if (with_select)
    {
      if (!jg_emulator_check_query (request, error))
        return NULL;

      select = read_select (request, set, &local_error);
      if (local_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }
    }

  columns = g_new0 (int, set->n_properties);
  column_sql = build_columns (set, columns);
  sql = g_strdup_printf ("SELECT %s FROM %s AS e WHERE e.id = ?", column_sql, set->table);

  stmt = jg_emulator_store_prepare (store, sql, error);
  if (stmt == NULL)
    return NULL;

  jg_emulator_bind_text (stmt, 1, id);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      if (rc == SQLITE_DONE)
        g_set_error (error, JG_EMULATOR_ERROR, 404, "Resource %s not found", set->type);
      else
        jg_emulator_store_set_error (store, error);
      sqlite3_reset (stmt);
      return NULL;
    }

  builder = json_builder_new_immutable ();
  if (request->verbose)
    {
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "d");
    }

  build_entity (builder, request, set, stmt, columns, select, TRUE);

  if (request->verbose)
    json_builder_end_object (builder);

  sqlite3_reset (stmt);

  return json_builder_get_root (builder);
}

/**
 * jg_emulator_entity_exists:
 * @canonical_id: (out) (optional): the id as stored (ids are compared
 *   without regard to case)
 */
gboolean
jg_emulator_entity_exists (JgEmulatorStore   *store,
                           const JgEntitySet *set,
                           const char        *id,
                           char             **canonical_id,
                           GError           **error)
{
  g_autofree char *sql = g_strdup_printf ("SELECT id FROM %s WHERE id = ?", set->table);
  sqlite3_stmt    *stmt = jg_emulator_store_prepare (store, sql, error);
  int              rc;

  if (canonical_id != NULL)
    *canonical_id = NULL;

  if (stmt == NULL)
    return FALSE;

  jg_emulator_bind_text (stmt, 1, id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW && canonical_id != NULL)
    *canonical_id = g_strdup (jg_emulator_column_text (stmt, 0));
  sqlite3_reset (stmt);

  if (rc == SQLITE_ROW)
    return TRUE;

  if (rc == SQLITE_DONE)
    g_set_error (error, JG_EMULATOR_ERROR, 404, "Resource %s not found", set->type);
  else
    jg_emulator_store_set_error (store, error);

  return FALSE;
}

/**
 * jg_emulator_new_value:
 * @property: the property's name (`State`)
 * @edm_type: its type (`Edm.Int32`)
 * @value: (transfer full): its value
 *
 * Returns: (transfer full): the body of a single-property response:
 *   `{"d":{"State":2}}` or
 *   `{"odata.metadata":"…$metadata#Edm.Int32","value":2}`
 */
JsonNode *
jg_emulator_new_value (JgEmulatorRequest *request,
                       const char        *property,
                       const char        *edm_type,
                       JsonNode          *value)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();

  json_builder_begin_object (builder);
  if (request->verbose)
    {
      json_builder_set_member_name (builder, "d");
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, property);
      json_builder_add_value (builder, value);
      json_builder_end_object (builder);
    }
  else
    {
      g_autofree char *metadata = g_strdup_printf ("%s$metadata#%s", request->base_uri, edm_type);

      json_builder_set_member_name (builder, "odata.metadata");
      json_builder_add_string_value (builder, metadata);
      json_builder_set_member_name (builder, "value");
      json_builder_add_value (builder, value);
    }
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}
