/* jg-emulator-store.c
 *
 * Copyright 2026 The Jobgraph authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "jg-emulator-store"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "jg-emulator-private.h"
#include "jg-emulator-store.h"

/* The emulator's durable state: one SQLite database in WAL mode. Every
 * change the service makes is written in a transaction before it answers,
 * so a crash (even kill -9) loses nothing that a client was told about;
 * `synchronous=NORMAL` is durable against process crashes in WAL mode and
 * only risks the last transactions on a power cut.
 *
 * Statements are prepared once and cached by their SQL text.
 * jg_emulator_store_prepare() hands them out reset, with no bindings.
 */

struct _JgEmulatorStore
{
  GObject     parent_instance;

  sqlite3    *db;
  GHashTable *statements; /* SQL → sqlite3_stmt */
  int         version;
};

G_DEFINE_FINAL_TYPE (JgEmulatorStore, jg_emulator_store, G_TYPE_OBJECT)

/* Each entry upgrades the schema from version i to i + 1. Never edit one
 * that has shipped: add a new one.
 */
static const char *const migrations[] = {
  /* 0 → 1 */
  "CREATE TABLE meta ("
  "  key   TEXT PRIMARY KEY,"
  "  value TEXT NOT NULL"
  ");"
  "CREATE TABLE assets ("
  "  seq                  INTEGER PRIMARY KEY AUTOINCREMENT,"
  "  id                   TEXT NOT NULL UNIQUE COLLATE NOCASE,"
  "  name                 TEXT,"
  "  alternate_id         TEXT,"
  "  state                INTEGER NOT NULL DEFAULT 0,"
  "  options              INTEGER NOT NULL DEFAULT 0,"
  "  format_option        INTEGER NOT NULL DEFAULT 0,"
  "  storage_account_name TEXT,"
  "  uri                  TEXT,"
  "  created              INTEGER NOT NULL,"
  "  last_modified        INTEGER NOT NULL,"
  "  size                 INTEGER NOT NULL DEFAULT 0"
  ");"
  /* Files of <data-dir>/assets/ already turned into assets: a file is
   * seeded once, so deleting its asset is not undone by a restart.
   */
  "CREATE TABLE seeded_files ("
  "  file_name TEXT PRIMARY KEY,"
  "  asset_id  TEXT NOT NULL"
  ");"
  "CREATE TABLE jobs ("
  "  seq              INTEGER PRIMARY KEY AUTOINCREMENT,"
  "  id               TEXT NOT NULL UNIQUE COLLATE NOCASE,"
  "  name             TEXT,"
  "  priority         INTEGER NOT NULL DEFAULT 0,"
  "  state            INTEGER NOT NULL DEFAULT 0,"
  "  template_id      TEXT,"
  "  created          INTEGER NOT NULL,"
  "  last_modified    INTEGER NOT NULL,"
  "  start_time       INTEGER,"
  "  end_time         INTEGER,"
  "  running_duration REAL NOT NULL DEFAULT 0"
  ");"
  "CREATE INDEX jobs_state ON jobs (state);"
  /* A job's InputMediaAssets (output = 0) and OutputMediaAssets
   * (output = 1); position is the n of JobInputAsset(n)/JobOutputAsset(n).
   */
  "CREATE TABLE job_assets ("
  "  job_id   TEXT NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,"
  "  output   INTEGER NOT NULL,"
  "  position INTEGER NOT NULL,"
  "  asset_id TEXT NOT NULL,"
  "  PRIMARY KEY (job_id, output, position)"
  ");"
  "CREATE TABLE tasks ("
  "  seq               INTEGER PRIMARY KEY AUTOINCREMENT,"
  "  id                TEXT NOT NULL UNIQUE COLLATE NOCASE,"
  "  job_id            TEXT NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,"
  "  position          INTEGER NOT NULL,"
  "  name              TEXT,"
  "  processor_id      TEXT,"
  "  configuration     TEXT,"
  "  task_body         TEXT NOT NULL,"
  "  options           INTEGER NOT NULL DEFAULT 0,"
  "  priority          INTEGER NOT NULL DEFAULT 0,"
  "  state             INTEGER NOT NULL DEFAULT 0,"
  "  progress          REAL NOT NULL DEFAULT 0,"
  "  start_time        INTEGER,"
  "  end_time          INTEGER,"
  "  running_duration  REAL NOT NULL DEFAULT 0,"
  "  error_details     TEXT NOT NULL DEFAULT '[]',"
  "  historical_events TEXT NOT NULL DEFAULT '[]',"
  "  perf_message      TEXT"
  ");"
  "CREATE INDEX tasks_job ON tasks (job_id, position);"
  /* A task's InputMediaAssets (output = 0) and OutputMediaAssets
   * (output = 1), in TaskBody order.
   */
  "CREATE TABLE task_assets ("
  "  task_id  TEXT NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,"
  "  output   INTEGER NOT NULL,"
  "  position INTEGER NOT NULL,"
  "  asset_id TEXT NOT NULL,"
  "  PRIMARY KEY (task_id, output, position)"
  ");"
  "CREATE TABLE job_templates ("
  "  seq               INTEGER PRIMARY KEY AUTOINCREMENT,"
  "  id                TEXT NOT NULL UNIQUE COLLATE NOCASE,"
  "  name              TEXT,"
  "  job_template_body TEXT NOT NULL,"
  "  n_inputs          INTEGER NOT NULL,"
  "  template_type     INTEGER NOT NULL DEFAULT 1,"
  "  created           INTEGER NOT NULL,"
  "  last_modified     INTEGER NOT NULL"
  ");"
  "CREATE TABLE task_templates ("
  "  seq             INTEGER PRIMARY KEY AUTOINCREMENT,"
  "  id              TEXT NOT NULL UNIQUE COLLATE NOCASE,"
  "  job_template_id TEXT NOT NULL REFERENCES job_templates (id) ON DELETE CASCADE,"
  "  position        INTEGER NOT NULL,"
  "  name            TEXT,"
  "  description     TEXT,"
  "  processor_id    TEXT,"
  "  configuration   TEXT,"
  "  options         INTEGER NOT NULL DEFAULT 0,"
  "  n_inputs        INTEGER NOT NULL,"
  "  n_outputs       INTEGER NOT NULL,"
  "  created         INTEGER NOT NULL,"
  "  last_modified   INTEGER NOT NULL"
  ");"
  "CREATE INDEX task_templates_template ON task_templates (job_template_id, position);",

  /* 1 → 2: the files of assets, and the access policies and SAS locators
   * of the upload/download protocol (issue 6). A File's path is relative
   * to the data directory: blobs/<asset guid>/<name> for uploaded and
   * encoded files, assets/<name> for seeded ones. The seeding code adds
   * the File rows of assets seeded before this schema.
   */
  "CREATE TABLE files ("
  "  seq           INTEGER PRIMARY KEY AUTOINCREMENT,"
  "  id            TEXT NOT NULL UNIQUE COLLATE NOCASE,"
  "  asset_id      TEXT NOT NULL REFERENCES assets (id) ON DELETE CASCADE,"
  "  name          TEXT NOT NULL,"
  "  size          INTEGER NOT NULL DEFAULT 0,"
  "  mime_type     TEXT,"
  "  is_primary    INTEGER NOT NULL DEFAULT 0,"
  "  path          TEXT NOT NULL,"
  "  created       INTEGER NOT NULL,"
  "  last_modified INTEGER NOT NULL,"
  "  UNIQUE (asset_id, name COLLATE NOCASE)"
  ");"
  "CREATE TABLE access_policies ("
  "  seq                 INTEGER PRIMARY KEY AUTOINCREMENT,"
  "  id                  TEXT NOT NULL UNIQUE COLLATE NOCASE,"
  "  name                TEXT,"
  "  duration_in_minutes REAL NOT NULL,"
  "  permissions         INTEGER NOT NULL DEFAULT 0,"
  "  created             INTEGER NOT NULL,"
  "  last_modified       INTEGER NOT NULL"
  ");"
  "CREATE TABLE locators ("
  "  seq                      INTEGER PRIMARY KEY AUTOINCREMENT,"
  "  id                       TEXT NOT NULL UNIQUE COLLATE NOCASE,"
  "  asset_id                 TEXT NOT NULL REFERENCES assets (id) ON DELETE CASCADE,"
  "  access_policy_id         TEXT NOT NULL REFERENCES access_policies (id) ON DELETE CASCADE,"
  "  type                     INTEGER NOT NULL,"
  "  name                     TEXT,"
  "  start_time               INTEGER,"
  "  expiration               INTEGER NOT NULL,"
  "  permissions              INTEGER NOT NULL,"
  "  base_uri                 TEXT,"
  "  content_access_component TEXT,"
  "  created                  INTEGER NOT NULL,"
  "  last_modified            INTEGER NOT NULL"
  ");"
  "CREATE INDEX locators_asset ON locators (asset_id);"
  "CREATE INDEX locators_policy ON locators (access_policy_id);",
};

G_STATIC_ASSERT (G_N_ELEMENTS (migrations) == JG_EMULATOR_STORE_SCHEMA_VERSION);

static void
set_db_error (sqlite3    *db,
              const char *what,
              GError    **error)
{
  g_set_error (error, JG_EMULATOR_ERROR, 500,
               "%s: %s", what, db ? sqlite3_errmsg (db) : "out of memory");
}

static void
finalize_statement (gpointer data)
{
  sqlite3_finalize (data);
}

static gboolean
exec_sql (sqlite3    *db,
          const char *sql,
          GError    **error)
{
  char *message = NULL;

  if (sqlite3_exec (db, sql, NULL, NULL, &message) != SQLITE_OK)
    {
      g_set_error (error, JG_EMULATOR_ERROR, 500, "SQLite: %s", message ? message : "error");
      sqlite3_free (message);
      return FALSE;
    }

  return TRUE;
}

static gboolean
read_version (sqlite3 *db,
              int     *version,
              GError **error)
{
  sqlite3_stmt *stmt = NULL;
  int           rc;

  if (!exec_sql (db, "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)", error))
    return FALSE;

  if (sqlite3_prepare_v2 (db, "SELECT max(version) FROM schema_version", -1, &stmt, NULL) != SQLITE_OK)
    {
      set_db_error (db, "Cannot read the schema version", error);
      return FALSE;
    }

  rc = sqlite3_step (stmt);
  *version = rc == SQLITE_ROW ? sqlite3_column_int (stmt, 0) : 0;
  sqlite3_finalize (stmt);

  if (rc != SQLITE_ROW)
    {
      set_db_error (db, "Cannot read the schema version", error);
      return FALSE;
    }

  return TRUE;
}

static gboolean
migrate (JgEmulatorStore *self,
         GError         **error)
{
  int version;

  if (!exec_sql (self->db, "BEGIN IMMEDIATE", error))
    return FALSE;

  if (!read_version (self->db, &version, error))
    goto failed;

  if (version > JG_EMULATOR_STORE_SCHEMA_VERSION)
    {
      g_set_error (error, JG_EMULATOR_ERROR, 500,
                   "The database was written by a newer jobgraph-emulator (schema %d; this one knows up to %d)",
                   version, JG_EMULATOR_STORE_SCHEMA_VERSION);
      goto failed;
    }

  for (int i = version; i < JG_EMULATOR_STORE_SCHEMA_VERSION; i++)
    {
      g_autofree char *record = NULL;

      g_debug ("Migrating the database from schema %d to %d", i, i + 1);

      if (!exec_sql (self->db, migrations[i], error))
        goto failed;

      record = g_strdup_printf ("DELETE FROM schema_version; INSERT INTO schema_version VALUES (%d)", i + 1);
      if (!exec_sql (self->db, record, error))
        goto failed;
    }

  if (!exec_sql (self->db, "COMMIT", error))
    goto failed;

  self->version = JG_EMULATOR_STORE_SCHEMA_VERSION;

  return TRUE;

failed:
  exec_sql (self->db, "ROLLBACK", NULL);
  return FALSE;
}

/* Random bytes for the token secret: the kernel's, which GRand is not. */
static GBytes *
new_secret (void)
{
  guint8 bytes[32];
  gsize  filled = 0;
  int    fd;

  fd = open ("/dev/urandom", O_RDONLY | O_CLOEXEC);
  if (fd >= 0)
    {
      while (filled < sizeof bytes)
        {
          ssize_t n = read (fd, bytes + filled, sizeof bytes - filled);

          if (n < 0 && errno == EINTR)
            continue;
          if (n <= 0)
            break;
          filled += n;
        }
      close (fd);
    }

  /* Not expected on Linux; the emulator listens on loopback only. */
  for (; filled < sizeof bytes; filled++)
    bytes[filled] = g_random_int_range (0, 256);

  return g_bytes_new (bytes, sizeof bytes);
}

static gboolean
ensure_secret (JgEmulatorStore *self,
               GError         **error)
{
  g_autoptr(GBytes) secret = NULL;
  g_autofree char *hex = NULL;
  sqlite3_stmt    *stmt;
  const guint8    *data;
  gsize            size;
  GString         *string;

  secret = jg_emulator_store_dup_secret (self);
  if (secret != NULL)
    return TRUE;

  secret = new_secret ();
  data = g_bytes_get_data (secret, &size);
  string = g_string_new (NULL);
  for (gsize i = 0; i < size; i++)
    g_string_append_printf (string, "%02x", data[i]);
  hex = g_string_free (string, FALSE);

  stmt = jg_emulator_store_prepare (self, "INSERT OR IGNORE INTO meta (key, value) VALUES ('token-secret', ?)", error);
  if (stmt == NULL)
    return FALSE;

  jg_emulator_bind_text (stmt, 1, hex);

  return jg_emulator_store_step_done (self, stmt, error);
}

static gboolean
fill_processors (JgEmulatorStore *self,
                 GError         **error)
{
  const JgProcessorInfo *processors;
  guint                  n_processors;
  sqlite3_stmt          *stmt;

  /* The catalog is the account's processor list. It lives in a temporary
   * table so that $filter/$orderby work on it like on every other set.
   */
  if (!exec_sql (self->db,
                 "CREATE TEMP TABLE media_processors ("
                 "  seq         INTEGER PRIMARY KEY,"
                 "  id          TEXT NOT NULL COLLATE NOCASE,"
                 "  name        TEXT,"
                 "  description TEXT,"
                 "  sku         TEXT,"
                 "  vendor      TEXT,"
                 "  version     TEXT"
                 ")",
                 error))
    return FALSE;

  stmt = jg_emulator_store_prepare (self,
                                    "INSERT INTO temp.media_processors (seq, id, name, description, sku, vendor, version) "
                                    "VALUES (?, ?, ?, ?, '', ?, ?)",
                                    error);
  if (stmt == NULL)
    return FALSE;

  processors = jg_catalog_get_processors (&n_processors);
  for (guint i = 0; i < n_processors; i++)
    {
      sqlite3_bind_int (stmt, 1, i + 1);
      jg_emulator_bind_text (stmt, 2, processors[i].id);
      jg_emulator_bind_text (stmt, 3, processors[i].name);
      jg_emulator_bind_text (stmt, 4, processors[i].name);
      jg_emulator_bind_text (stmt, 5, processors[i].vendor);
      jg_emulator_bind_text (stmt, 6, processors[i].version);

      if (!jg_emulator_store_step_done (self, stmt, error))
        return FALSE;
    }

  return TRUE;
}

static void
jg_emulator_store_finalize (GObject *object)
{
  JgEmulatorStore *self = (JgEmulatorStore *)object;

  jg_emulator_store_close (self);
  g_clear_pointer (&self->statements, g_hash_table_unref);

  G_OBJECT_CLASS (jg_emulator_store_parent_class)->finalize (object);
}

static void
jg_emulator_store_class_init (JgEmulatorStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = jg_emulator_store_finalize;
}

static void
jg_emulator_store_init (JgEmulatorStore *self)
{
  self->statements = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, finalize_statement);
}

/**
 * jg_emulator_store_new:
 * @path: the database file; created if missing
 *
 * Opens the database and brings its schema up to date.
 *
 * Returns: (transfer full) (nullable): the store
 */
JgEmulatorStore *
jg_emulator_store_new (const char *path,
                       GError    **error)
{
  g_autoptr(JgEmulatorStore) self = NULL;
  int rc;

  g_return_val_if_fail (path != NULL, NULL);

  self = g_object_new (JG_TYPE_EMULATOR_STORE, NULL);

  rc = sqlite3_open_v2 (path, &self->db,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                        NULL);
  if (rc != SQLITE_OK)
    {
      g_autofree char *what = g_strdup_printf ("Cannot open the database %s", path);

      set_db_error (self->db, what, error);
      return NULL;
    }

  sqlite3_busy_timeout (self->db, 5000);
  sqlite3_extended_result_codes (self->db, TRUE);

  if (!exec_sql (self->db,
                 "PRAGMA journal_mode = WAL;"
                 "PRAGMA synchronous = NORMAL;"
                 "PRAGMA foreign_keys = ON;",
                 error) ||
      !migrate (self, error) ||
      !ensure_secret (self, error) ||
      !fill_processors (self, error))
    return NULL;

  return g_steal_pointer (&self);
}

sqlite3 *
jg_emulator_store_get_db (JgEmulatorStore *self)
{
  g_return_val_if_fail (JG_IS_EMULATOR_STORE (self), NULL);

  return self->db;
}

int
jg_emulator_store_get_version (JgEmulatorStore *self)
{
  g_return_val_if_fail (JG_IS_EMULATOR_STORE (self), 0);

  return self->version;
}

/**
 * jg_emulator_store_prepare:
 * @sql: one SQL statement
 *
 * Returns: (transfer none) (nullable): the cached statement for @sql,
 *   reset and without bindings
 */
sqlite3_stmt *
jg_emulator_store_prepare (JgEmulatorStore *self,
                           const char      *sql,
                           GError         **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (JG_IS_EMULATOR_STORE (self), NULL);
  g_return_val_if_fail (sql != NULL, NULL);

  if (self->db == NULL)
    {
      g_set_error (error, JG_EMULATOR_ERROR, 500, "The database is closed");
      return NULL;
    }

  stmt = g_hash_table_lookup (self->statements, sql);
  if (stmt != NULL)
    {
      sqlite3_reset (stmt);
      sqlite3_clear_bindings (stmt);
      return stmt;
    }

  if (sqlite3_prepare_v2 (self->db, sql, -1, &stmt, NULL) != SQLITE_OK)
    {
      set_db_error (self->db, "SQLite", error);
      g_critical ("Cannot prepare %s: %s", sql, sqlite3_errmsg (self->db));
      return NULL;
    }

  g_hash_table_insert (self->statements, g_strdup (sql), stmt);

  return stmt;
}

/**
 * jg_emulator_store_step_done:
 *
 * Runs @stmt, which must return no row, and resets it.
 */
gboolean
jg_emulator_store_step_done (JgEmulatorStore *self,
                             sqlite3_stmt    *stmt,
                             GError         **error)
{
  int rc;

  g_return_val_if_fail (JG_IS_EMULATOR_STORE (self), FALSE);

  rc = sqlite3_step (stmt);
  if (rc != SQLITE_DONE && rc != SQLITE_ROW)
    {
      set_db_error (self->db, "SQLite", error);
      sqlite3_reset (stmt);
      return FALSE;
    }

  sqlite3_reset (stmt);

  return TRUE;
}

gboolean
jg_emulator_store_exec (JgEmulatorStore *self,
                        const char      *sql,
                        GError         **error)
{
  g_return_val_if_fail (JG_IS_EMULATOR_STORE (self), FALSE);

  if (self->db == NULL)
    {
      g_set_error (error, JG_EMULATOR_ERROR, 500, "The database is closed");
      return FALSE;
    }

  return exec_sql (self->db, sql, error);
}

gboolean
jg_emulator_store_begin (JgEmulatorStore *self,
                         GError         **error)
{
  sqlite3_stmt *stmt = jg_emulator_store_prepare (self, "BEGIN IMMEDIATE", error);

  return stmt != NULL && jg_emulator_store_step_done (self, stmt, error);
}

gboolean
jg_emulator_store_commit (JgEmulatorStore *self,
                          GError         **error)
{
  sqlite3_stmt *stmt = jg_emulator_store_prepare (self, "COMMIT", error);

  if (stmt != NULL && jg_emulator_store_step_done (self, stmt, error))
    return TRUE;

  jg_emulator_store_rollback (self);

  return FALSE;
}

void
jg_emulator_store_rollback (JgEmulatorStore *self)
{
  g_return_if_fail (JG_IS_EMULATOR_STORE (self));

  if (self->db != NULL && !sqlite3_get_autocommit (self->db))
    exec_sql (self->db, "ROLLBACK", NULL);
}

void
jg_emulator_store_set_error (JgEmulatorStore *self,
                             GError         **error)
{
  g_return_if_fail (JG_IS_EMULATOR_STORE (self));

  set_db_error (self->db, "SQLite", error);
}

/**
 * jg_emulator_store_dup_secret:
 *
 * Returns: (transfer full) (nullable): the token signing secret, made once
 *   and kept in the database
 */
GBytes *
jg_emulator_store_dup_secret (JgEmulatorStore *self)
{
  sqlite3_stmt *stmt;
  const char   *hex;
  GByteArray   *bytes;
  gsize         length;

  g_return_val_if_fail (JG_IS_EMULATOR_STORE (self), NULL);

  stmt = jg_emulator_store_prepare (self, "SELECT value FROM meta WHERE key = 'token-secret'", NULL);
  if (stmt == NULL || sqlite3_step (stmt) != SQLITE_ROW)
    return NULL;

  hex = jg_emulator_column_text (stmt, 0);
  length = hex ? strlen (hex) : 0;
  if (length < 32 || length % 2 != 0)
    {
      sqlite3_reset (stmt);
      return NULL;
    }

  bytes = g_byte_array_sized_new (length / 2);
  for (gsize i = 0; i < length; i += 2)
    {
      guint8 byte = (g_ascii_xdigit_value (hex[i]) << 4) | g_ascii_xdigit_value (hex[i + 1]);

      g_byte_array_append (bytes, &byte, 1);
    }
  sqlite3_reset (stmt);

  return g_byte_array_free_to_bytes (bytes);
}

/**
 * jg_emulator_store_close:
 *
 * Finalizes every statement and closes the database (checkpointing the
 * WAL). Later calls fail with an error.
 */
void
jg_emulator_store_close (JgEmulatorStore *self)
{
  g_return_if_fail (JG_IS_EMULATOR_STORE (self));

  if (self->db == NULL)
    return;

  jg_emulator_store_rollback (self);
  g_hash_table_remove_all (self->statements);

  if (sqlite3_close (self->db) != SQLITE_OK)
    g_warning ("Cannot close the database: %s", sqlite3_errmsg (self->db));

  self->db = NULL;
}

void
jg_emulator_bind_text (sqlite3_stmt *stmt,
                       int           index,
                       const char   *text)
{
  if (text == NULL)
    sqlite3_bind_null (stmt, index);
  else
    sqlite3_bind_text (stmt, index, text, -1, SQLITE_TRANSIENT);
}

/* Times are milliseconds since the Unix epoch; < 0 means "not yet". */
void
jg_emulator_bind_ms (sqlite3_stmt *stmt,
                     int           index,
                     gint64        ms)
{
  if (ms < 0)
    sqlite3_bind_null (stmt, index);
  else
    sqlite3_bind_int64 (stmt, index, ms);
}

const char *
jg_emulator_column_text (sqlite3_stmt *stmt,
                         int           column)
{
  return (const char *)sqlite3_column_text (stmt, column);
}
