/* client-fixture.c
 *
 * Copyright 2026 The Jobgraph authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>

#include "client-fixture.h"

static gpointer
emulator_thread (gpointer data)
{
  Emulator *e = data;
  g_autoptr(GError) error = NULL;
  JgEmulatorOptions options = { 0 };

  g_main_context_push_thread_default (e->context);

  options.data_dir = e->data_dir;
  options.key = KEY;
  options.static_token = e->static_token;
  options.workers = e->workers;
  options.speed = e->speed;
  options.faults = e->faults;

  e->emulator = jg_emulator_new (&options, &error);
  g_assert_no_error (error);
  jg_emulator_listen (e->emulator, 0, &error);
  g_assert_no_error (error);

  g_mutex_lock (&e->lock);
  e->root = jg_emulator_dup_root_uri (e->emulator);
  e->ready = TRUE;
  g_cond_signal (&e->cond);
  g_mutex_unlock (&e->lock);

  g_main_loop_run (e->loop);

  jg_emulator_shutdown (e->emulator);
  g_clear_object (&e->emulator);

  while (g_main_context_iteration (e->context, FALSE))
    ;

  g_main_context_pop_thread_default (e->context);

  return NULL;
}

static Emulator *
emulator_alloc (const char *faults,
                const char *static_token,
                double      speed,
                guint       workers)
{
  Emulator *e = g_new0 (Emulator, 1);
  g_autoptr(GError) error = NULL;

  g_mutex_init (&e->lock);
  g_cond_init (&e->cond);
  e->context = g_main_context_new ();
  e->loop = g_main_loop_new (e->context, FALSE);
  e->faults = g_strdup (faults);
  e->static_token = g_strdup (static_token);
  e->speed = speed;
  e->workers = workers;
  e->max_retries = 30;
  e->max_delay_ms = 8;
  e->clients = g_ptr_array_new ();
  e->data_dir = g_dir_make_tmp ("jobgraph-client-XXXXXX", &error);
  g_assert_no_error (error);

  return e;
}

static Emulator *
emulator_start (Emulator *e)
{
  e->thread = g_thread_new ("emulator", emulator_thread, e);

  g_mutex_lock (&e->lock);
  while (!e->ready)
    g_cond_wait (&e->cond, &e->lock);
  g_mutex_unlock (&e->lock);

  return e;
}

/* @n_assets files are put in the data directory's assets/ folder first:
 * the emulator makes an asset of each (in one transaction, much faster
 * than creating them one by one).
 */
Emulator *
emulator_new_full (const char *faults,
                   const char *static_token,
                   double      speed,
                   guint       n_assets)
{
  Emulator *e = emulator_alloc (faults, static_token, speed, 4);
  g_autoptr(GError) error = NULL;

  if (n_assets > 0)
    {
      g_autofree char *assets = g_build_filename (e->data_dir, "assets", NULL);

      g_assert_cmpint (g_mkdir (assets, 0700), ==, 0);
      for (guint i = 0; i < n_assets; i++)
        {
          g_autofree char *name = g_strdup_printf ("bulk-%05u.mp4", i);
          g_autofree char *path = g_build_filename (assets, name, NULL);

          g_file_set_contents (path, "", 0, &error);
          g_assert_no_error (error);
        }
    }

  return emulator_start (e);
}

Emulator *
emulator_new_with_workers (double speed,
                           guint  workers)
{
  return emulator_start (emulator_alloc (NULL, NULL, speed, workers));
}

gboolean
quit_cb (gpointer data)
{
  g_main_loop_quit (data);
  return G_SOURCE_REMOVE;
}

void
remove_tree (GFile *file)
{
  g_autoptr(GFileEnumerator) children = NULL;

  children = g_file_enumerate_children (file, G_FILE_ATTRIBUTE_STANDARD_NAME,
                                        G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS, NULL, NULL);
  if (children != NULL)
    {
      GFileInfo *info;

      while ((info = g_file_enumerator_next_file (children, NULL, NULL)) != NULL)
        {
          g_autoptr(GFile) child = g_file_get_child (file, g_file_info_get_name (info));

          remove_tree (child);
          g_object_unref (info);
        }
    }

  g_file_delete (file, NULL, NULL);
}

static gboolean
set_true_cb (gpointer data)
{
  *(gboolean *)data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Iterates the main context until @condition holds or @timeout_ms passed;
 * returns whether it holds.
 */
gboolean
wait_until (Condition condition,
            gpointer  data,
            guint     timeout_ms)
{
  gboolean timed_out = FALSE;
  guint    timeout = g_timeout_add (timeout_ms, set_true_cb, &timed_out);

  while (!condition (data) && !timed_out)
    g_main_context_iteration (NULL, TRUE);

  if (!timed_out)
    g_source_remove (timeout);

  return condition (data);
}

static gboolean
has_single_ref (gpointer data)
{
  return G_OBJECT (data)->ref_count == 1;
}

/* Stops the service, as if its process was killed: connections are
 * refused from now on.
 */
void
emulator_stop (Emulator *e)
{
  if (e->thread == NULL)
    return;

  g_main_context_invoke (e->context, quit_cb, e->loop);
  g_thread_join (g_steal_pointer (&e->thread));
}

void
emulator_free (Emulator *e)
{
  g_autoptr(GFile) dir = g_file_new_for_path (e->data_dir);

  emulator_stop (e);

  /* A request cancelled by a job monitor gives its client back on a later
   * iteration.
   */
  for (guint i = 0; i < e->clients->len; i++)
    {
      GObject *client = g_ptr_array_index (e->clients, i);

      g_assert_true (wait_until (has_single_ref, client, 5000));
      g_assert_finalize_object (client);
    }
  g_ptr_array_unref (e->clients);

  remove_tree (dir);

  g_main_loop_unref (e->loop);
  g_main_context_unref (e->context);
  g_free (e->root);
  g_free (e->data_dir);
  g_free (e->faults);
  g_free (e->static_token);
  g_mutex_clear (&e->lock);
  g_cond_clear (&e->cond);
  g_free (e);
}

JgClient *
emulator_add_client (Emulator  *e,
                     JgAccount *account)
{
  JgClient *client = jg_client_new (account);

  jg_client_set_retry_policy (client, e->max_retries, 1, e->max_delay_ms);
  g_ptr_array_add (e->clients, g_object_ref (client));

  return client;
}

JgClient *
new_client (Emulator *e)
{
  g_autoptr(JgAccount) account = jg_account_new_for_emulator (e->root, NULL, KEY);

  return emulator_add_client (e, account);
}

/* Async plumbing */

void
store_result_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

GAsyncResult *
wait_for (GAsyncResult **result)
{
  while (*result == NULL)
    g_main_context_iteration (NULL, TRUE);

  return *result;
}
