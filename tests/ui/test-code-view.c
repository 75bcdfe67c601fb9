/* test-code-view.c
 *
 * Copyright 2026 The Jobgraph authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>
#include <gtksourceview/gtksource.h>

#include "jg-code-view.h"

#define ENCODE "Encode MP4 set 720p"
#define SMOOTH "Smooth Streaming 720p"

typedef struct
{
  GtkWidget   *window;
  JgCodeView  *view;
  JgHistory   *history;
  JgGraph     *graph;
  JgSelection *selection;
} Fixture;

static JgGraph *
load_example (void)
{
  const char      *srcdir = g_getenv ("JOBGRAPH_SOURCE_DIR");
  g_autofree char *path = g_build_filename (srcdir ? srcdir : ".", "examples", "chained-encode.jobgraph", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  JgGraph *graph;

  graph = jg_document_load (file, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (graph);

  return graph;
}

static gboolean
timeout_cb (gpointer data)
{
  *(gboolean *)data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Iterates the main loop until @check is true; fails after five seconds. */
#define WAIT_FOR(check)                                                \
  G_STMT_START                                                         \
  {                                                                    \
    gboolean timed_out_ = FALSE;                                       \
    guint    id_ = g_timeout_add_seconds (5, timeout_cb, &timed_out_); \
    while (!(check) && !timed_out_)                                    \
      g_main_context_iteration (NULL, TRUE);                           \
    if (!timed_out_)                                                   \
      g_source_remove (id_);                                           \
    g_assert_true (check);                                             \
  }                                                                    \
  G_STMT_END

static void
iterate_pending (void)
{
  while (g_main_context_pending (NULL))
    g_main_context_iteration (NULL, FALSE);
}

static GtkWidget *
find_widget (GtkWidget *root,
             gboolean (*match) (GtkWidget *, gconstpointer),
             gconstpointer data)
{
  if (match (root, data))
    return root;

  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_widget (child, match, data);

      if (found != NULL)
        return found;
    }

  return NULL;
}

static gboolean
is_source_view (GtkWidget    *widget,
                gconstpointer data)
{
  return GTK_SOURCE_IS_VIEW (widget);
}

static gboolean
is_button_labelled (GtkWidget    *widget,
                    gconstpointer data)
{
  return GTK_IS_BUTTON (widget) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), data) == 0;
}

static gboolean
is_button_with_icon (GtkWidget    *widget,
                     gconstpointer data)
{
  return GTK_IS_BUTTON (widget) && g_strcmp0 (gtk_button_get_icon_name (GTK_BUTTON (widget)), data) == 0;
}

/* A label the user can see (all its ancestors visible, revealers open). */
static gboolean
is_shown (GtkWidget *widget)
{
  for (GtkWidget *w = widget; w != NULL; w = gtk_widget_get_parent (w))
    {
      if (!gtk_widget_get_visible (w))
        return FALSE;
      if (GTK_IS_REVEALER (w) && !gtk_revealer_get_reveal_child (GTK_REVEALER (w)))
        return FALSE;
      if (GTK_IS_STACK (gtk_widget_get_parent (w)) &&
          gtk_stack_get_visible_child (GTK_STACK (gtk_widget_get_parent (w))) != w)
        return FALSE;
    }

  return TRUE;
}

static gboolean
is_shown_label_containing (GtkWidget    *widget,
                           gconstpointer data)
{
  return GTK_IS_LABEL (widget) && strstr (gtk_label_get_text (GTK_LABEL (widget)), data) != NULL &&
         is_shown (widget);
}

static const char *
shown_text_containing (Fixture    *fixture,
                       const char *needle)
{
  GtkWidget *label = find_widget (GTK_WIDGET (fixture->view), is_shown_label_containing, needle);

  return label ? gtk_label_get_text (GTK_LABEL (label)) : NULL;
}

static GtkTextBuffer *
get_buffer (Fixture *fixture)
{
  GtkWidget *view = find_widget (GTK_WIDGET (fixture->view), is_source_view, NULL);

  g_assert_nonnull (view);

  return gtk_text_view_get_buffer (GTK_TEXT_VIEW (view));
}

static char *
dup_shown_text (Fixture *fixture)
{
  GtkTextBuffer *buffer = get_buffer (fixture);
  GtkTextIter    start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);

  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

static gboolean
shown_text_contains (Fixture    *fixture,
                     const char *needle)
{
  g_autofree char *text = dup_shown_text (fixture);

  return strstr (text, needle) != NULL;
}

/* Types into the buffer as the user would: an undoable user action. */
static void
type_text (Fixture    *fixture,
           const char *text)
{
  GtkTextBuffer *buffer = get_buffer (fixture);
  GtkTextIter    start, end;

  gtk_text_buffer_begin_user_action (buffer);
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  gtk_text_buffer_delete (buffer, &start, &end);
  gtk_text_buffer_insert (buffer, &start, text, -1);
  gtk_text_buffer_end_user_action (buffer);
}

static void
fixture_set_up_graph (Fixture *fixture,
                      JgGraph *graph)
{
  fixture->graph = graph;
  fixture->history = jg_history_new (graph);
  fixture->selection = jg_selection_new ();
  fixture->view = JG_CODE_VIEW (jg_code_view_new ());
  jg_code_view_set_history (fixture->view, fixture->history);
  jg_code_view_set_selection (fixture->view, fixture->selection);

  fixture->window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 520, 700);
  gtk_window_set_child (GTK_WINDOW (fixture->window), GTK_WIDGET (fixture->view));
  gtk_window_present (GTK_WINDOW (fixture->window));

  WAIT_FOR (gtk_widget_get_mapped (GTK_WIDGET (fixture->view)));
  WAIT_FOR (shown_text_contains (fixture, "{"));
}

static void
fixture_set_up (Fixture      *fixture,
                gconstpointer data)
{
  fixture_set_up_graph (fixture, load_example ());
}

static void
fixture_tear_down (Fixture      *fixture,
                   gconstpointer data)
{
  gtk_window_destroy (GTK_WINDOW (fixture->window));
  iterate_pending ();
  g_assert_finalize_object (fixture->history);
  g_assert_finalize_object (fixture->selection);
  g_assert_finalize_object (fixture->graph);
}

static JgTask *
find_task (JgGraph    *graph,
           const char *name)
{
  for (guint i = 0; i < jg_graph_get_n_tasks (graph); i++)
    if (g_strcmp0 (jg_task_get_name (jg_graph_get_task (graph, i)), name) == 0)
      return jg_graph_get_task (graph, i);

  return NULL;
}

static void
test_job_body (Fixture      *fixture,
               gconstpointer data)
{
  g_autofree char *text = jg_code_view_dup_text (fixture->view);
  g_autofree char *shown = dup_shown_text (fixture);
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpstr (text, ==, shown);
  g_assert_nonnull (strstr (text, "\"Name\" : \"" ENCODE "\""));
  g_assert_nonnull (strstr (text, "JobInputAsset(0)"));
  g_assert_nonnull (strstr (text, "Assets('nb%3Acid%3AUUID%3A910ffdc1-2e25-4b17-8a42-61ffd4b8914c')"));
  g_assert_null (strstr (text, "TaskTemplates"));

  /* The exact body jg_export_graph() writes. */
  {
    g_autoptr(GBytes) body = jg_export_graph (fixture->graph, JG_EXPORT_JOB, NULL, &error);

    g_assert_no_error (error);
    g_assert_cmpstr (text, ==, g_bytes_get_data (body, NULL));
  }

  g_assert_cmpint (jg_code_view_get_kind (fixture->view), ==, JG_CODE_VIEW_JOB);
  g_assert_false (jg_code_view_get_edited (fixture->view));
  g_assert_false (gtk_widget_get_visible (find_widget (GTK_WIDGET (fixture->view), is_button_labelled, "_Apply")));
  g_assert_true (gtk_text_view_get_monospace (GTK_TEXT_VIEW (find_widget (GTK_WIDGET (fixture->view),
                                                                          is_source_view, NULL))));
  g_assert_cmpstr (gtk_source_language_get_id (gtk_source_buffer_get_language (GTK_SOURCE_BUFFER (get_buffer (fixture)))),
                   ==, "json");
  gtk_test_accessible_assert_property (find_widget (GTK_WIDGET (fixture->view), is_source_view, NULL),
                                       GTK_ACCESSIBLE_PROPERTY_LABEL, "REST body");
}

static void
test_live_update (Fixture      *fixture,
                  gconstpointer data)
{
  g_autoptr(JgEdit) rename = jg_edit_new_set (find_task (fixture->graph, ENCODE), "name", "Encode Renamed", NULL);
  g_autoptr(JgEdit) rename_again = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (jg_history_apply (fixture->history, rename, &error));
  g_assert_no_error (error);

  /* Coalesced in an idle, then shown. */
  g_assert_false (shown_text_contains (fixture, "Encode Renamed"));
  WAIT_FOR (shown_text_contains (fixture, "Encode Renamed"));
  g_assert_false (shown_text_contains (fixture, ENCODE));

  /* Hidden, the view does no work; it catches up when shown again. */
  gtk_widget_set_visible (GTK_WIDGET (fixture->view), FALSE);
  rename_again = jg_edit_new_set (find_task (fixture->graph, "Encode Renamed"), "name", "Encode Hidden", NULL);
  g_assert_true (jg_history_apply (fixture->history, rename_again, &error));
  iterate_pending ();
  g_assert_false (shown_text_contains (fixture, "Encode Hidden"));

  gtk_widget_set_visible (GTK_WIDGET (fixture->view), TRUE);
  WAIT_FOR (shown_text_contains (fixture, "Encode Hidden"));
}

static char *replace_all (const char *text,
                          const char *old,
                          const char *new);

static void
test_template (Fixture      *fixture,
               gconstpointer data)
{
  GtkWidget *template_button = find_widget (GTK_WIDGET (fixture->view), is_button_labelled, "Template");

  g_assert_nonnull (template_button);
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (template_button), TRUE);
  g_assert_cmpint (jg_code_view_get_kind (fixture->view), ==, JG_CODE_VIEW_TEMPLATE);
  WAIT_FOR (shown_text_contains (fixture, "TaskTemplates"));
  g_assert_false (shown_text_contains (fixture, "910ffdc1"));

  /* Re-applying an unchanged template is no step, although every export
   * gives its TaskTemplates fresh ids.
   */
  {
    g_autofree char *text = dup_shown_text (fixture);
    g_autofree char *spaced = g_strconcat (" ", text, NULL);

    type_text (fixture, spaced);
    g_assert_true (jg_code_view_apply (fixture->view, NULL));
    g_assert_false (jg_history_can_undo (fixture->history));
    g_assert_cmpstr (jg_job_input_get_asset_id (jg_graph_get_input (fixture->graph, 0)), ==,
                     "nb:cid:UUID:910ffdc1-2e25-4b17-8a42-61ffd4b8914c");
  }

  /* An edited template applies, and keeps the input's asset. */
  {
    g_autofree char *text = dup_shown_text (fixture);
    g_autofree char *edited = replace_all (text, "\"Name\" : \"" ENCODE "\"", "\"Name\" : \"Encode T\"");

    type_text (fixture, edited);
    g_assert_true (jg_code_view_apply (fixture->view, NULL));
    g_assert_true (jg_history_can_undo (fixture->history));
    g_assert_nonnull (find_task (fixture->graph, "Encode T"));
    g_assert_cmpstr (jg_job_input_get_asset_id (jg_graph_get_input (fixture->graph, 0)), ==,
                     "nb:cid:UUID:910ffdc1-2e25-4b17-8a42-61ffd4b8914c");
    g_assert_true (jg_history_undo (fixture->history, NULL));
    g_assert_nonnull (find_task (fixture->graph, ENCODE));
  }

  jg_code_view_set_kind (fixture->view, JG_CODE_VIEW_JOB);
  g_assert_false (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (template_button)));
  WAIT_FOR (!shown_text_contains (fixture, "TaskTemplates"));
}

static void
test_task_body (Fixture      *fixture,
                gconstpointer data)
{
  GtkWidget *source_view = find_widget (GTK_WIDGET (fixture->view), is_source_view, NULL);

  jg_code_view_set_kind (fixture->view, JG_CODE_VIEW_TASK_BODY);
  iterate_pending ();

  /* Nothing selected: it says so, and there is nothing to copy. */
  g_assert_nonnull (shown_text_containing (fixture, "No Task Selected"));
  g_assert_false (is_shown (source_view));
  g_assert_false (gtk_widget_get_sensitive (find_widget (GTK_WIDGET (fixture->view), is_button_with_icon,
                                                         "edit-copy-symbolic")));
  g_assert_false (gtk_widget_get_sensitive (find_widget (GTK_WIDGET (fixture->view), is_button_with_icon,
                                                         "utilities-terminal-symbolic")));

  jg_selection_select (fixture->selection, find_task (fixture->graph, SMOOTH), FALSE);
  WAIT_FOR (is_shown (source_view));
  g_assert_true (shown_text_contains (fixture, "<taskBody"));
  /* The second task reads the first task's output. */
  g_assert_true (shown_text_contains (fixture, "JobOutputAsset(0)</inputAsset>"));
  g_assert_null (shown_text_containing (fixture, "No Task Selected"));
  g_assert_cmpstr (gtk_source_language_get_id (gtk_source_buffer_get_language (GTK_SOURCE_BUFFER (get_buffer (fixture)))),
                   ==, "xml");
  /* Read-only here, and the tooltip says why. */
  g_assert_false (gtk_text_view_get_editable (GTK_TEXT_VIEW (source_view)));
  g_assert_nonnull (gtk_widget_get_tooltip_text (source_view));
  g_assert_null (jg_code_view_dup_curl (fixture->view));

  jg_selection_select (fixture->selection, find_task (fixture->graph, ENCODE), FALSE);
  WAIT_FOR (shown_text_contains (fixture, "JobInputAsset(0)</inputAsset>"));

  jg_selection_clear (fixture->selection);
  WAIT_FOR (!is_shown (source_view));
}

static void
read_text_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  char **text = user_data;
  g_autoptr(GError) error = NULL;

  *text = gdk_clipboard_read_text_finish (GDK_CLIPBOARD (source), result, &error);
  g_assert_no_error (error);
}

static char *
read_clipboard (Fixture *fixture)
{
  GdkClipboard *clipboard = gdk_display_get_clipboard (gdk_display_get_default ());
  char         *text = NULL;

  gdk_clipboard_read_text_async (clipboard, NULL, read_text_cb, &text);
  WAIT_FOR (text != NULL);

  return text;
}

static void
test_copy (Fixture      *fixture,
           gconstpointer data)
{
  g_autofree char *shown = dup_shown_text (fixture);
  g_autofree char *copied = NULL;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->view), "code-view.copy", NULL));
  copied = read_clipboard (fixture);
  g_assert_cmpstr (copied, ==, shown);
}

static void
test_copy_curl (Fixture      *fixture,
                gconstpointer data)
{
  g_autofree char *shown = dup_shown_text (fixture);
  g_autofree char *copied = NULL;
  g_auto(GStrv) argv = NULL;
  g_autoptr(GError) error = NULL;
  const char *command;
  int         argc;

  /* Whatever the environment holds, the command never carries it. */
  g_setenv ("TOKEN", "secret-token-value", TRUE);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->view), "code-view.copy-curl", NULL));
  copied = read_clipboard (fixture);

  g_assert_nonnull (strstr (copied, "-H 'x-ms-version: 2.19'"));
  g_assert_nonnull (strstr (copied, "-H \"Authorization: Bearer $TOKEN\""));
  g_assert_nonnull (strstr (copied, "-H 'Content-Type: application/json;odata=verbose'"));
  g_assert_nonnull (strstr (copied, "-H 'DataServiceVersion: 3.0'"));
  g_assert_nonnull (strstr (copied, "-H 'MaxDataServiceVersion: 3.0'"));
  g_assert_nonnull (strstr (copied, "-H 'Accept: application/json;odata=verbose'"));
  g_assert_null (strstr (copied, "secret-token-value"));

  /* Parsed as a shell would, the last argument is the body, byte for byte. */
  command = strstr (copied, "curl ");
  g_assert_nonnull (command);
  g_assert_true (g_shell_parse_argv (command, &argc, &argv, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (argv[0], ==, "curl");
  g_assert_cmpstr (argv[1], ==, "-X");
  g_assert_cmpstr (argv[2], ==, "POST");
  g_assert_cmpstr (argv[3], ==, "${JOBGRAPH_ENDPOINT:-https://media.windows.net/api}/Jobs");
  g_assert_cmpstr (argv[argc - 2], ==, "--data-binary");
  g_assert_cmpstr (argv[argc - 1], ==, shown);
  g_strfreev (g_steal_pointer (&argv));

  /* A template goes to JobTemplates. */
  jg_code_view_set_kind (fixture->view, JG_CODE_VIEW_TEMPLATE);
  g_free (copied);
  copied = jg_code_view_dup_curl (fixture->view);
  g_assert_true (g_shell_parse_argv (strstr (copied, "curl "), &argc, &argv, &error));
  g_assert_cmpstr (argv[3], ==, "${JOBGRAPH_ENDPOINT:-https://media.windows.net/api}/JobTemplates");

  g_unsetenv ("TOKEN");
}

static void
test_apply_broken (Fixture      *fixture,
                   gconstpointer data)
{
  GtkTextBuffer *buffer = get_buffer (fixture);
  GtkTextTag    *error_tag;
  GtkTextIter    cursor;
  const char    *message;
  guint          n_tasks = jg_graph_get_n_tasks (fixture->graph);

  type_text (fixture, "{\n  \"Name\" : \"x\",\n  \"Tasks\" : [ oops ]\n}\n");
  g_assert_true (jg_code_view_get_edited (fixture->view));
  g_assert_true (gtk_widget_get_visible (find_widget (GTK_WIDGET (fixture->view), is_button_labelled, "_Apply")));
  g_assert_true (gtk_widget_get_visible (find_widget (GTK_WIDGET (fixture->view), is_button_labelled, "_Revert")));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->view), "code-view.apply", NULL));

  message = shown_text_containing (fixture, "Line 3,");
  g_assert_nonnull (message);
  g_assert_nonnull (strstr (message, "column"));

  /* The graph is untouched. */
  g_assert_cmpuint (jg_graph_get_n_tasks (fixture->graph), ==, n_tasks);
  g_assert_nonnull (find_task (fixture->graph, ENCODE));
  g_assert_false (jg_history_can_undo (fixture->history));
  g_assert_true (jg_code_view_get_edited (fixture->view));

  /* The cursor sits on the culprit, which is underlined. */
  gtk_text_buffer_get_iter_at_mark (buffer, &cursor, gtk_text_buffer_get_insert (buffer));
  g_assert_cmpint (gtk_text_iter_get_line (&cursor), ==, 2);
  error_tag = gtk_text_tag_table_lookup (gtk_text_buffer_get_tag_table (buffer), "error");
  g_assert_nonnull (error_tag);
  g_assert_true (gtk_text_iter_has_tag (&cursor, error_tag));

  /* A graph edit does not overwrite the text the user is fixing. */
  {
    g_autoptr(JgEdit) edit = jg_edit_new_set (fixture->graph, "priority", 3, NULL);

    g_assert_true (jg_history_apply (fixture->history, edit, NULL));
    iterate_pending ();
    g_assert_true (shown_text_contains (fixture, "oops"));
  }

  /* Typing clears the stale mark. */
  gtk_text_buffer_insert_at_cursor (buffer, " ", 1);
  gtk_text_buffer_get_iter_at_mark (buffer, &cursor, gtk_text_buffer_get_insert (buffer));
  g_assert_false (gtk_text_iter_has_tag (&cursor, error_tag));
  g_assert_null (shown_text_containing (fixture, "Line 3,"));
}

static void
test_stale_and_revert (Fixture      *fixture,
                       gconstpointer data)
{
  g_autoptr(JgEdit) edit = jg_edit_new_set (find_task (fixture->graph, SMOOTH), "name", "Smooth Renamed", NULL);
  GtkTextBuffer *buffer = get_buffer (fixture);
  GtkTextIter    end;

  gtk_text_buffer_get_end_iter (buffer, &end);
  gtk_text_buffer_insert (buffer, &end, " ", 1);
  g_assert_true (jg_code_view_get_edited (fixture->view));

  g_assert_true (jg_history_apply (fixture->history, edit, NULL));
  iterate_pending ();
  g_assert_nonnull (shown_text_containing (fixture, "The graph changed since you edited this text"));
  g_assert_false (shown_text_contains (fixture, "Smooth Renamed"));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->view), "code-view.revert", NULL));
  g_assert_true (shown_text_contains (fixture, "Smooth Renamed"));
  g_assert_false (jg_code_view_get_edited (fixture->view));
  g_assert_null (shown_text_containing (fixture, "The graph changed"));
  g_assert_false (gtk_widget_get_visible (find_widget (GTK_WIDGET (fixture->view), is_button_labelled, "_Apply")));
}

static char *
replace_all (const char *text,
             const char *old,
             const char *new)
{
  g_auto(GStrv) parts = g_strsplit (text, old, -1);

  g_assert_cmpuint (g_strv_length (parts), >, 1);

  return g_strjoinv (new, parts);
}

static void
test_apply_edit (Fixture      *fixture,
                 gconstpointer data)
{
  g_autofree char *text = dup_shown_text (fixture);
  g_autofree char *edited = NULL;
  g_autoptr(GError) error = NULL;
  JgTask     *old_encode = find_task (fixture->graph, ENCODE);
  JgTask     *old_smooth = find_task (fixture->graph, SMOOTH);
  JgJobInput *old_input = jg_graph_get_input (fixture->graph, 0);
  JgTask     *encode, *renamed;
  JgJobInput *input;

  /* Somewhere the automatic layout would not put them. */
  jg_task_set_position (old_encode, 1000.0, 500.0);
  jg_task_set_position (old_smooth, 1400.0, 520.0);

  edited = replace_all (text, "\"Name\" : \"" SMOOTH "\"", "\"Name\" : \"Smooth HD\"");
  g_free (text);
  text = edited;
  edited = replace_all (text, "\"Name\" : \"NewTestJob\"", "\"Name\" : \"Edited Job\"");
  type_text (fixture, edited);

  g_assert_true (jg_code_view_apply (fixture->view, &error));
  g_assert_no_error (error);
  g_assert_false (jg_code_view_get_edited (fixture->view));

  /* One step replaced the graph's content. */
  g_assert_cmpstr (jg_graph_get_name (fixture->graph), ==, "Edited Job");
  g_assert_cmpuint (jg_graph_get_n_tasks (fixture->graph), ==, 2);
  encode = find_task (fixture->graph, ENCODE);
  renamed = find_task (fixture->graph, "Smooth HD");
  g_assert_nonnull (encode);
  g_assert_nonnull (renamed);
  g_assert_null (find_task (fixture->graph, SMOOTH));
  g_assert_true (encode != old_encode);
  g_assert_cmpuint (jg_graph_get_n_errors (fixture->graph), ==, 0);

  /* The unchanged task kept its place; the new one is to its right. */
  g_assert_cmpfloat (jg_task_get_x (encode), ==, 1000.0);
  g_assert_cmpfloat (jg_task_get_y (encode), ==, 500.0);
  g_assert_cmpfloat (jg_task_get_x (renamed), >=, 1000.0 + JG_LAYOUT_NODE_WIDTH);

  /* The input kept what the body does not carry. */
  input = jg_graph_get_input (fixture->graph, 0);
  g_assert_true (input != old_input);
  g_assert_cmpstr (jg_job_input_get_label (input), ==, "Mezzanine");
  g_assert_cmpstr (jg_job_input_get_asset_id (input), ==, "nb:cid:UUID:910ffdc1-2e25-4b17-8a42-61ffd4b8914c");
  g_assert_cmpfloat (jg_job_input_get_x (input), ==, 40.0);

  /* The text shows the applied graph again. */
  g_assert_true (shown_text_contains (fixture, "Smooth HD"));
  g_assert_cmpstr (jg_history_get_undo_label (fixture->history), ==, "Apply Edited Body");

  /* One undo puts back exactly the old graph. */
  g_assert_true (jg_history_undo (fixture->history, &error));
  g_assert_no_error (error);
  g_assert_false (jg_history_can_undo (fixture->history));
  g_assert_cmpstr (jg_graph_get_name (fixture->graph), ==, "NewTestJob");
  g_assert_cmpuint (jg_graph_get_n_tasks (fixture->graph), ==, 2);
  g_assert_true (jg_graph_get_task (fixture->graph, 0) == old_encode);
  g_assert_true (jg_graph_get_task (fixture->graph, 1) == old_smooth);
  g_assert_true (jg_graph_get_input (fixture->graph, 0) == old_input);
  g_assert_cmpfloat (jg_task_get_x (old_encode), ==, 1000.0);
  g_assert_cmpfloat (jg_task_get_y (old_encode), ==, 500.0);
  g_assert_cmpfloat (jg_task_get_x (old_smooth), ==, 1400.0);
  g_assert_cmpfloat (jg_task_get_y (old_smooth), ==, 520.0);
  g_assert_cmpuint (jg_graph_get_n_errors (fixture->graph), ==, 0);
  WAIT_FOR (shown_text_contains (fixture, SMOOTH));
}

static void
test_apply_unchanged (Fixture      *fixture,
                      gconstpointer data)
{
  g_autofree char *text = dup_shown_text (fixture);
  g_autofree char *spaced = g_strconcat ("\n", text, NULL);

  /* Whitespace only: nothing the body carries changed, so no undo step. */
  type_text (fixture, spaced);
  g_assert_true (jg_code_view_get_edited (fixture->view));
  g_assert_true (jg_code_view_apply (fixture->view, NULL));
  g_assert_false (jg_history_can_undo (fixture->history));
  g_assert_false (jg_code_view_get_edited (fixture->view));
  g_assert_true (shown_text_contains (fixture, "{\n"));
  {
    g_autofree char *after = dup_shown_text (fixture);

    g_assert_cmpstr (after, ==, text);
  }
}

static void
test_unbound_input (void)
{
  Fixture          fixture = { 0 };
  JgGraph         *graph = load_example ();
  g_autofree char *text = NULL;
  g_autofree char *edited = NULL;

  jg_job_input_set_asset_id (jg_graph_get_input (graph, 0), NULL);
  fixture_set_up_graph (&fixture, graph);

  /* A Job body still shows, with a placeholder id that Apply reads back as
   * "unbound".
   */
  text = dup_shown_text (&fixture);
  g_assert_nonnull (strstr (text, "UUID%3A00000000-0000-0000-0000-000000000000"));

  edited = replace_all (text, "\"Name\" : \"" ENCODE "\"", "\"Name\" : \"Encode 2\"");
  type_text (&fixture, edited);
  g_assert_true (jg_code_view_apply (fixture.view, NULL));
  g_assert_nonnull (find_task (graph, "Encode 2"));
  g_assert_null (jg_job_input_get_asset_id (jg_graph_get_input (graph, 0)));
  g_assert_cmpstr (jg_job_input_get_label (jg_graph_get_input (graph, 0)), ==, "Mezzanine");

  fixture_tear_down (&fixture, NULL);
}

static void
test_dark (Fixture      *fixture,
           gconstpointer data)
{
  AdwStyleManager *manager = adw_style_manager_get_default ();
  GtkSourceBuffer *buffer = GTK_SOURCE_BUFFER (get_buffer (fixture));

  adw_style_manager_set_color_scheme (manager, ADW_COLOR_SCHEME_FORCE_LIGHT);
  g_assert_cmpstr (gtk_source_style_scheme_get_id (gtk_source_buffer_get_style_scheme (buffer)), ==, "Adwaita");
  adw_style_manager_set_color_scheme (manager, ADW_COLOR_SCHEME_FORCE_DARK);
  g_assert_cmpstr (gtk_source_style_scheme_get_id (gtk_source_buffer_get_style_scheme (buffer)), ==, "Adwaita-dark");
  adw_style_manager_set_color_scheme (manager, ADW_COLOR_SCHEME_DEFAULT);
}

/* JG_CODE_VIEW_SHOW=light|dark keeps a window open for screenshots;
 * JG_CODE_VIEW_KIND=template|task-body picks the body, and
 * JG_CODE_VIEW_BROKEN=1 applies a broken one.
 */
static int
show_for_screenshot (const char *scheme)
{
  Fixture fixture = { 0 };
  g_autoptr(GtkCssProvider) css = gtk_css_provider_new ();

  /* AdwApplication loads the app's style sheet; a bare window does not. */
  gtk_css_provider_load_from_resource (css, "/io/github/jobgraph/Jobgraph/style.css");
  gtk_style_context_add_provider_for_display (gdk_display_get_default (), GTK_STYLE_PROVIDER (css),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                      g_str_equal (scheme, "dark") ? ADW_COLOR_SCHEME_FORCE_DARK
                                                                   : ADW_COLOR_SCHEME_FORCE_LIGHT);
  fixture_set_up (&fixture, NULL);
  gtk_window_set_default_size (GTK_WINDOW (fixture.window), 640, 860);

  if (g_getenv ("JG_CODE_VIEW_KIND") != NULL)
    {
      g_autoptr(GEnumClass) kinds = g_type_class_ref (JG_TYPE_CODE_VIEW_KIND);
      GEnumValue *kind = g_enum_get_value_by_nick (kinds, g_getenv ("JG_CODE_VIEW_KIND"));

      if (kind != NULL)
        jg_code_view_set_kind (fixture.view, kind->value);
    }

  if (g_getenv ("JG_CODE_VIEW_BROKEN") != NULL)
    {
      g_autofree char *text = dup_shown_text (&fixture);
      g_autofree char *bad = replace_all (text, "\"Tasks\" : [", "\"Tasks\" : [,");

      type_text (&fixture, bad);
      jg_code_view_apply (fixture.view, NULL);
    }

  while (TRUE)
    g_main_context_iteration (NULL, TRUE);

  return 0;
}

/* G_TEST_OPTION_ISOLATE_DIRS replaces the system data directories with an
 * empty one; the GSettings schemas libadwaita needs and GtkSourceView's
 * languages and style schemes live there, so remember where they were.
 * Asking GLib before the isolation also keeps the MIME database (which
 * gdk-pixbuf needs to tell an SVG icon from other formats) where it was.
 */
static GStrv
dup_system_data_dirs (void)
{
  return g_strdupv ((char **)g_get_system_data_dirs ());
}

static void
use_system_data (GStrv dirs)
{
  GtkSourceLanguageManager    *languages = gtk_source_language_manager_get_default ();
  GtkSourceStyleSchemeManager *schemes = gtk_source_style_scheme_manager_get_default ();
  g_autoptr(GStrvBuilder) language_dirs = g_strv_builder_new ();
  g_auto(GStrv) search_path = NULL;

  for (guint i = 0; dirs[i] != NULL; i++)
    {
      g_autofree char *specs = g_build_filename (dirs[i], "gtksourceview-5", "language-specs", NULL);
      g_autofree char *styles = g_build_filename (dirs[i], "gtksourceview-5", "styles", NULL);

      g_strv_builder_add (language_dirs, specs);
      gtk_source_style_scheme_manager_append_search_path (schemes, styles);
    }

  search_path = g_strv_builder_end (language_dirs);
  gtk_source_language_manager_set_search_path (languages, (const char *const *)search_path);
}

int
main (int   argc,
      char *argv[])
{
  g_auto(GStrv) data_dirs = dup_system_data_dirs ();

  for (guint i = 0; data_dirs[i] != NULL && g_getenv ("GSETTINGS_SCHEMA_DIR") == NULL; i++)
    {
      g_autofree char *compiled = g_build_filename (data_dirs[i], "glib-2.0", "schemas", "gschemas.compiled", NULL);

      if (g_file_test (compiled, G_FILE_TEST_EXISTS))
        {
          g_autofree char *schema_dir = g_path_get_dirname (compiled);

          g_setenv ("GSETTINGS_SCHEMA_DIR", schema_dir, TRUE);
        }
    }

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  gtk_init ();
  adw_init ();
  gtk_source_init ();
  use_system_data (data_dirs);

  if (g_getenv ("JG_CODE_VIEW_SHOW") != NULL)
    return show_for_screenshot (g_getenv ("JG_CODE_VIEW_SHOW"));

#define ADD(path, func) \
  g_test_add ("/jobgraph/ui/code-view/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("job-body", test_job_body);
  ADD ("live-update", test_live_update);
  ADD ("template", test_template);
  ADD ("task-body", test_task_body);
  ADD ("copy", test_copy);
  ADD ("copy-curl", test_copy_curl);
  ADD ("apply-broken", test_apply_broken);
  ADD ("stale-and-revert", test_stale_and_revert);
  ADD ("apply-edit", test_apply_edit);
  ADD ("apply-unchanged", test_apply_unchanged);
  ADD ("dark", test_dark);
  g_test_add_func ("/jobgraph/ui/code-view/unbound-input", test_unbound_input);

#undef ADD

  return g_test_run ();
}
