/* emulator-inprocess.c
 *
 * Copyright 2026 The Jobgraph authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "emulator-inprocess.h"

static gpointer
emulator_thread (gpointer data)
{
  Emulator         *e = data;
  JgEmulatorOptions options = { 0 };
  g_autoptr(GError) error = NULL;

  g_main_context_push_thread_default (e->context);

  options.data_dir = e->data_dir;
  options.key = KEY;
  options.static_token = e->static_token;
  options.workers = e->workers;
  options.speed = e->speed;
  options.faults = e->faults;
  options.simulate = e->simulate;

  e->emulator = jg_emulator_new (&options, &error);
  if (e->emulator != NULL)
    jg_emulator_listen (e->emulator, 0, &error);

  g_mutex_lock (&e->lock);
  e->error = g_steal_pointer (&error);
  e->ready = TRUE;
  g_cond_signal (&e->cond);
  g_mutex_unlock (&e->lock);

  if (e->error == NULL)
    g_main_loop_run (e->loop);

  if (e->emulator != NULL)
    {
      jg_emulator_shutdown (e->emulator);
      g_assert_finalize_object (e->emulator);
      e->emulator = NULL;
    }

  while (g_main_context_iteration (e->context, FALSE))
    ;

  g_main_context_pop_thread_default (e->context);

  return NULL;
}

Emulator *
emulator_try_new (const EmulatorSetup *setup,
                  GError             **error)
{
  Emulator *e = g_new0 (Emulator, 1);
  g_autoptr(GError) local_error = NULL;

  g_mutex_init (&e->lock);
  g_cond_init (&e->cond);
  e->context = g_main_context_new ();
  e->loop = g_main_loop_new (e->context, FALSE);
  e->faults = g_strdup (setup->faults);
  e->static_token = g_strdup (setup->static_token);
  e->speed = setup->speed > 0 ? setup->speed : 1000.0;
  e->workers = setup->workers > 0 ? setup->workers : 4;
  e->simulate = !setup->encode;
  e->keep_dir = setup->data_dir != NULL;
  e->data_dir = setup->data_dir ? g_strdup (setup->data_dir) : g_dir_make_tmp ("jobgraph-emulator-XXXXXX", &local_error);
  g_assert_no_error (local_error);

  e->thread = g_thread_new ("emulator", emulator_thread, e);

  g_mutex_lock (&e->lock);
  while (!e->ready)
    g_cond_wait (&e->cond, &e->lock);
  g_mutex_unlock (&e->lock);

  if (e->error == NULL)
    {
      g_autofree char *root = jg_emulator_dup_root_uri (e->emulator);

      e->http.session = soup_session_new_with_options ("timeout", 30, NULL);
      e->http.root = g_steal_pointer (&root);
      e->http.base = g_strconcat (e->http.root, "accounts/local/api/", NULL);
    }
  else if (error != NULL)
    *error = g_error_copy (e->error);

  return e;
}

static gboolean
quit_cb (gpointer data)
{
  g_main_loop_quit (data);
  return G_SOURCE_REMOVE;
}

void
emulator_free (Emulator *e)
{
  g_main_context_invoke (e->context, quit_cb, e->loop);
  g_thread_join (e->thread);

  /* The session goes after the server: libsoup 3.2 servers leak the
   * connections that a client closes first.
   */
  http_clear (&e->http);

  if (!e->keep_dir)
    remove_tree (e->data_dir);

  g_clear_error (&e->error);
  g_main_loop_unref (e->loop);
  g_main_context_unref (e->context);
  g_free (e->data_dir);
  g_free (e->faults);
  g_free (e->static_token);
  g_mutex_clear (&e->lock);
  g_cond_clear (&e->cond);
  g_free (e);
}
