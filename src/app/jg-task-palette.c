/* jg-task-palette.c
 *
 * Copyright 2026 The Jobgraph authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "jg-task-palette"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "jg-core.h"
#include "jg-task-palette.h"

/* How many rows Page Up and Page Down move by. */
#define PAGE_ROWS 8

/* One row of the palette: a processor with one of its presets, or the
 * processor alone. The strings of the catalog are static, so only what is
 * built here is owned. The row's text is exposed as read-only properties so
 * tests (and accessibility tools walking the model) can read what a row
 * shows without knowing this type.
 */
#define JG_TYPE_PALETTE_ITEM (jg_palette_item_get_type ())

G_DECLARE_FINAL_TYPE (JgPaletteItem, jg_palette_item, JG, PALETTE_ITEM, GObject)

struct _JgPaletteItem
{
  GObject                parent_instance;

  const JgProcessorInfo *info;
  const char            *preset;

  /* Owned */
  char                  *title;
  char                  *subtitle;
  char                  *tag;
  char                  *haystack;
  char                  *folded_title;

  /* Place in catalog order */
  guint                  index;
};

enum
{
  ITEM_PROP_0,
  ITEM_PROP_TITLE,
  ITEM_PROP_SUBTITLE,
  ITEM_PROP_TAG,
  ITEM_PROP_PROCESSOR_ID,
  ITEM_PROP_PRESET,
  ITEM_N_PROPS
};

G_DEFINE_FINAL_TYPE (JgPaletteItem, jg_palette_item, G_TYPE_OBJECT)

static GParamSpec *item_properties[ITEM_N_PROPS];

struct _JgTaskPalette
{
  GtkPopover          parent_instance;

  /* Template children */
  GtkSearchEntry     *search_entry;
  GtkStack           *stack;
  GtkListView        *list_view;

  /* Owned references */
  GListStore         *items;
  GtkCustomFilter    *filter;
  GtkFilterListModel *filtered;
  GtkCustomSorter    *sorter;
  GtkSortListModel   *sorted;
  GtkSingleSelection *selection;
  char              **query_words;
};

enum
{
  TASK_CHOSEN,
  N_SIGNALS
};

G_DEFINE_FINAL_TYPE (JgTaskPalette, jg_task_palette, GTK_TYPE_POPOVER)

static guint signals[N_SIGNALS];

static void
jg_palette_item_finalize (GObject *object)
{
  JgPaletteItem *self = JG_PALETTE_ITEM (object);

  g_free (self->title);
  g_free (self->subtitle);
  g_free (self->tag);
  g_free (self->haystack);
  g_free (self->folded_title);

  G_OBJECT_CLASS (jg_palette_item_parent_class)->finalize (object);
}

static void
jg_palette_item_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  JgPaletteItem *self = JG_PALETTE_ITEM (object);

  switch (prop_id)
    {
    case ITEM_PROP_TITLE:
      g_value_set_string (value, self->title);
      break;

    case ITEM_PROP_SUBTITLE:
      g_value_set_string (value, self->subtitle);
      break;

    case ITEM_PROP_TAG:
      g_value_set_string (value, self->tag);
      break;

    case ITEM_PROP_PROCESSOR_ID:
      g_value_set_string (value, self->info->id);
      break;

    case ITEM_PROP_PRESET:
      g_value_set_string (value, self->preset);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
jg_palette_item_class_init (JgPaletteItemClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags   flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;

  object_class->finalize = jg_palette_item_finalize;
  object_class->get_property = jg_palette_item_get_property;

  item_properties[ITEM_PROP_TITLE] = g_param_spec_string ("title", NULL, NULL, NULL, flags);
  item_properties[ITEM_PROP_SUBTITLE] = g_param_spec_string ("subtitle", NULL, NULL, NULL, flags);
  item_properties[ITEM_PROP_TAG] = g_param_spec_string ("tag", NULL, NULL, NULL, flags);
  item_properties[ITEM_PROP_PROCESSOR_ID] = g_param_spec_string ("processor-id", NULL, NULL, NULL, flags);
  item_properties[ITEM_PROP_PRESET] = g_param_spec_string ("preset", NULL, NULL, NULL, flags);

  g_object_class_install_properties (object_class, ITEM_N_PROPS, item_properties);
}

static void
jg_palette_item_init (JgPaletteItem *self)
{
}

/* Folds @text so that matching ignores case and Unicode composition. */
static char *
fold_for_search (const char *text)
{
  g_autofree char *normalized = g_utf8_normalize (text, -1, G_NORMALIZE_ALL);

  return g_utf8_casefold (normalized, -1);
}

/* Several processors share a name and differ by version (the early Windows
 * Azure Media Encoders); their rows name the version so they can be told
 * apart.
 */
static char *
dup_display_name (const JgProcessorInfo *info,
                  const JgProcessorInfo *processors,
                  guint                  n_processors)
{
  for (guint i = 0; i < n_processors; i++)
    if (&processors[i] != info && g_strcmp0 (processors[i].name, info->name) == 0)
      return g_strdup_printf (_("%s %s"), info->name, info->version);

  return g_strdup (info->name);
}

static JgPaletteItem *
jg_palette_item_new (const JgProcessorInfo *info,
                     const char            *display_name,
                     const char            *preset)
{
  JgPaletteItem   *self = g_object_new (JG_TYPE_PALETTE_ITEM, NULL);
  g_autofree char *origin = NULL;
  g_autofree char *haystack = NULL;

  self->info = info;
  self->preset = preset;

  /* TRANSLATORS: a palette row's subtitle: "processor · vendor". */
  origin = g_strdup_printf (_("%s · %s"), display_name, info->vendor);

  if (preset != NULL)
    {
      self->title = g_strdup (preset);
      haystack = g_strjoin (" ", preset, display_name, info->vendor, NULL);
    }
  else
    {
      self->title = g_strdup (display_name);
      /* The description only belongs to the processor's own row: on every
       * preset row it would make a search for "thumbnails" list all of
       * them.
       */
      haystack = g_strjoin (" ", display_name, info->vendor, info->description,
                            _("No preset"), _("Custom configuration"), NULL);
      g_free (origin);
      origin = g_strdup_printf (_("%s · %s"), info->presets != NULL ? _("Custom configuration") : info->description,
                                                                          info->vendor);
      if (info->presets != NULL)
        self->tag = g_strdup (_("No preset"));
    }

  if (info->deprecated)
    {
      g_autofree char *with_note = NULL;

      /* The replacement matters more than the vendor here. */
      if (preset != NULL)
        {
          g_free (origin);
          origin = g_strdup (display_name);
        }

      if (info->replacement != NULL)
        /* TRANSLATORS: appended to a deprecated processor's row; %s is what
         * to use instead, e.g. "Media Encoder Standard".
         */
        with_note = g_strdup_printf (_("%s · Deprecated: use %s"), origin, info->replacement);
      else
        with_note = g_strdup_printf (_("%s · Deprecated"), origin);

      g_free (origin);
      origin = g_steal_pointer (&with_note);
      g_free (self->tag);
      self->tag = g_strdup (_("Deprecated"));
    }

  self->subtitle = g_steal_pointer (&origin);
  self->haystack = fold_for_search (haystack);
  self->folded_title = fold_for_search (self->title);

  return self;
}

/* Every (processor, preset) pair of the catalog, grouped by processor in
 * catalog order (current processors first), each group led by the
 * processor's own "no preset" row.
 */
static void
fill_items (JgTaskPalette *self)
{
  const JgProcessorInfo *processors;
  guint                  n_processors;

  processors = jg_catalog_get_processors (&n_processors);

  for (guint i = 0; i < n_processors; i++)
    {
      const JgProcessorInfo *info = &processors[i];
      g_autofree char       *display_name = dup_display_name (info, processors, n_processors);
      g_autoptr(JgPaletteItem) own = jg_palette_item_new (info, display_name, NULL);

      own->index = g_list_model_get_n_items (G_LIST_MODEL (self->items));
      g_list_store_append (self->items, own);

      for (guint j = 0; info->presets != NULL && info->presets[j] != NULL; j++)
        {
          g_autoptr(JgPaletteItem) item = jg_palette_item_new (info, display_name, info->presets[j]);

          item->index = g_list_model_get_n_items (G_LIST_MODEL (self->items));
          g_list_store_append (self->items, item);
        }
    }
}

/* Splits @text at white space, dropping the empty words. */
static char **
split_words (const char *text)
{
  g_auto(GStrv) parts = g_strsplit_set (text, " \t\n", -1);
  g_autoptr(GStrvBuilder) words = g_strv_builder_new ();
  char **result;

  for (guint i = 0; parts[i] != NULL; i++)
    if (parts[i][0] != '\0')
      g_strv_builder_add (words, parts[i]);

  result = g_strv_builder_end (words);
  if (result[0] == NULL)
    g_clear_pointer (&result, g_strfreev);

  return result;
}

static gboolean
match_item (gpointer item,
            gpointer user_data)
{
  JgTaskPalette *self = user_data;
  JgPaletteItem *row = item;

  if (self->query_words == NULL)
    return TRUE;

  for (guint i = 0; self->query_words[i] != NULL; i++)
    if (strstr (row->haystack, self->query_words[i]) == NULL)
      return FALSE;

  return TRUE;
}

static gboolean
title_matches (JgTaskPalette *self,
               JgPaletteItem *row)
{
  for (guint i = 0; self->query_words[i] != NULL; i++)
    if (strstr (row->folded_title, self->query_words[i]) == NULL)
      return FALSE;

  return TRUE;
}

/* With a query, rows whose title holds every word come first, then rows of
 * current processors before retired ones, then shorter titles before
 * longer ones, so that "720p mult" offers "H264 Multiple Bitrate 720p"
 * before its "Audio 5.1" variant and "thumbnails" offers Media Encoder
 * Standard's before the retired encoder's. Otherwise, and among equals, the
 * catalog order stands.
 */
static int
compare_items (gconstpointer a,
               gconstpointer b,
               gpointer      user_data)
{
  JgTaskPalette       *self = user_data;
  const JgPaletteItem *row_a = a;
  const JgPaletteItem *row_b = b;

  if (self->query_words != NULL)
    {
      gboolean in_title_a = title_matches (self, (JgPaletteItem *)row_a);
      gboolean in_title_b = title_matches (self, (JgPaletteItem *)row_b);

      if (in_title_a != in_title_b)
        return in_title_a ? -1 : 1;

      /* A retired processor never wins over a current one. */
      if (row_a->info->deprecated != row_b->info->deprecated)
        return row_a->info->deprecated ? 1 : -1;

      if (in_title_a)
        {
          gsize length_a = strlen (row_a->title);
          gsize length_b = strlen (row_b->title);

          if (length_a != length_b)
            return length_a < length_b ? -1 : 1;
        }
    }

  return row_a->index < row_b->index ? -1 : row_a->index > row_b->index;
}

static void
select_position (JgTaskPalette *self,
                 guint          position)
{
  guint n_items = g_list_model_get_n_items (G_LIST_MODEL (self->selection));

  if (n_items == 0)
    return;

  position = MIN (position, n_items - 1);
  gtk_single_selection_set_selected (self->selection, position);
  gtk_widget_activate_action (GTK_WIDGET (self->list_view), "list.scroll-to-item", "u", position);
}

static void
update_empty_state (JgTaskPalette *self)
{
  gboolean empty = g_list_model_get_n_items (G_LIST_MODEL (self->filtered)) == 0;

  gtk_stack_set_visible_child_name (self->stack, empty ? "empty" : "list");
}

static void
choose_item (JgTaskPalette *self,
             JgPaletteItem *item)
{
  g_autoptr(JgTaskPalette) hold = g_object_ref (self);
  g_autoptr(JgPaletteItem) hold_item = g_object_ref (item);

  /* Close first, so that whatever the handler opens or focuses next (the
   * new node, say) is not covered by the palette.
   */
  gtk_popover_popdown (GTK_POPOVER (self));
  g_signal_emit (self, signals[TASK_CHOSEN], 0, item->info->id, item->preset);
}

static void
choose_selected (JgTaskPalette *self)
{
  gpointer item = gtk_single_selection_get_selected_item (self->selection);

  if (item != NULL)
    choose_item (self, item);
}

static void
setup_row_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *list_item,
              gpointer                  user_data)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *text = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *title = gtk_label_new (NULL);
  GtkWidget *subtitle = gtk_label_new (NULL);
  GtkWidget *tag = gtk_label_new (NULL);

  gtk_widget_add_css_class (box, "palette-row");
  gtk_widget_set_hexpand (text, TRUE);
  gtk_widget_set_valign (text, GTK_ALIGN_CENTER);

  gtk_label_set_xalign (GTK_LABEL (title), 0.0);
  gtk_label_set_ellipsize (GTK_LABEL (title), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (title, "palette-title");

  /* GTK 4.8 list views make a widget for up to 200 rows around the visible
   * ones, that is for every row here, so the labels stay single-line and
   * cheap to measure; the tooltip shows what an ellipsis hides.
   */
  gtk_label_set_xalign (GTK_LABEL (subtitle), 0.0);
  gtk_label_set_ellipsize (GTK_LABEL (subtitle), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (subtitle, "palette-subtitle");
  gtk_widget_add_css_class (subtitle, "caption");
  gtk_widget_add_css_class (subtitle, "dim-label");

  gtk_widget_set_valign (tag, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (tag, "caption");
  gtk_widget_add_css_class (tag, "palette-tag");

  gtk_box_append (GTK_BOX (text), title);
  gtk_box_append (GTK_BOX (text), subtitle);
  gtk_box_append (GTK_BOX (box), text);
  gtk_box_append (GTK_BOX (box), tag);

  g_object_set_data (G_OBJECT (box), "title", title);
  g_object_set_data (G_OBJECT (box), "subtitle", subtitle);
  g_object_set_data (G_OBJECT (box), "tag", tag);

  gtk_list_item_set_child (list_item, box);
}

static void
bind_row_cb (GtkSignalListItemFactory *factory,
             GtkListItem              *list_item,
             gpointer                  user_data)
{
  JgPaletteItem *item = gtk_list_item_get_item (list_item);
  GtkWidget     *box = gtk_list_item_get_child (list_item);
  GtkWidget     *tag = g_object_get_data (G_OBJECT (box), "tag");

  gtk_label_set_label (g_object_get_data (G_OBJECT (box), "title"), item->title);
  gtk_label_set_label (g_object_get_data (G_OBJECT (box), "subtitle"), item->subtitle);
  gtk_label_set_label (GTK_LABEL (tag), item->tag);
  gtk_widget_set_visible (tag, item->tag != NULL);

  if (item->info->deprecated)
    gtk_widget_add_css_class (tag, "warning");
  else
    gtk_widget_remove_css_class (tag, "warning");

  {
    g_autofree char *tooltip = g_strdup_printf ("%s\n%s", item->subtitle, item->info->description);

    gtk_widget_set_tooltip_text (box, tooltip);
  }
}

static void
search_changed_cb (JgTaskPalette  *self,
                   GtkSearchEntry *entry)
{
  const char      *text = gtk_editable_get_text (GTK_EDITABLE (entry));
  g_autofree char *folded = fold_for_search (text);

  /* Every word must match somewhere, in any order; an all-blank query
   * shows everything.
   */
  g_clear_pointer (&self->query_words, g_strfreev);
  self->query_words = split_words (folded);

  gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_DIFFERENT);
  gtk_sorter_changed (GTK_SORTER (self->sorter), GTK_SORTER_CHANGE_DIFFERENT);
  update_empty_state (self);
  select_position (self, 0);
}

static void
search_activate_cb (JgTaskPalette  *self,
                    GtkSearchEntry *entry)
{
  choose_selected (self);
}

static void
stop_search_cb (JgTaskPalette  *self,
                GtkSearchEntry *entry)
{
  gtk_popover_popdown (GTK_POPOVER (self));
}

static void
list_activate_cb (JgTaskPalette *self,
                  guint          position,
                  GtkListView   *list_view)
{
  g_autoptr(JgPaletteItem) item = g_list_model_get_item (G_LIST_MODEL (self->selection), position);

  if (item != NULL)
    choose_item (self, item);
}

static void
move_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  JgTaskPalette *self = JG_TASK_PALETTE (widget);
  guint          n_items = g_list_model_get_n_items (G_LIST_MODEL (self->selection));
  guint          selected = gtk_single_selection_get_selected (self->selection);
  int            delta = g_variant_get_int32 (parameter);
  gint64         target;

  if (n_items == 0)
    return;

  if (selected == GTK_INVALID_LIST_POSITION)
    target = delta > 0 ? 0 : (gint64)n_items - 1;
  else
    target = CLAMP ((gint64)selected + delta, 0, (gint64)n_items - 1);

  select_position (self, (guint)target);
}

static void
choose_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  choose_selected (JG_TASK_PALETTE (widget));
}

static void
add_move_shortcut (GtkShortcutController *controller,
                   guint                  keyval,
                   int                    delta)
{
  GtkShortcut *shortcut = gtk_shortcut_new (gtk_keyval_trigger_new (keyval, 0),
                                            gtk_named_action_new ("palette.move"));

  gtk_shortcut_set_arguments (shortcut, g_variant_new_int32 (delta));
  gtk_shortcut_controller_add_shortcut (controller, shortcut);
}

static void
jg_task_palette_map (GtkWidget *widget)
{
  JgTaskPalette *self = JG_TASK_PALETTE (widget);

  GTK_WIDGET_CLASS (jg_task_palette_parent_class)->map (widget);

  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

static void
jg_task_palette_dispose (GObject *object)
{
  JgTaskPalette *self = JG_TASK_PALETTE (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), JG_TYPE_TASK_PALETTE);

  g_clear_object (&self->selection);
  g_clear_object (&self->sorted);
  g_clear_object (&self->sorter);
  g_clear_object (&self->filtered);
  g_clear_object (&self->filter);
  g_clear_object (&self->items);

  G_OBJECT_CLASS (jg_task_palette_parent_class)->dispose (object);
}

static void
jg_task_palette_finalize (GObject *object)
{
  JgTaskPalette *self = JG_TASK_PALETTE (object);

  g_clear_pointer (&self->query_words, g_strfreev);

  G_OBJECT_CLASS (jg_task_palette_parent_class)->finalize (object);
}

static void
jg_task_palette_class_init (JgTaskPaletteClass *klass)
{
  GObjectClass   *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = jg_task_palette_dispose;
  object_class->finalize = jg_task_palette_finalize;

  widget_class->map = jg_task_palette_map;

  /**
   * JgTaskPalette::task-chosen:
   * @processor_id: the chosen processor's `nb:mpid:UUID:…`
   * @preset: (nullable): the chosen preset, or %NULL for "no preset"
   *
   * Emitted after the palette closed because a row was activated.
   */
  signals[TASK_CHOSEN] = g_signal_new ("task-chosen",
                                       G_TYPE_FROM_CLASS (klass),
                                       G_SIGNAL_RUN_LAST,
                                       0, NULL, NULL, NULL,
                                       G_TYPE_NONE, 2,
                                       G_TYPE_STRING | G_SIGNAL_TYPE_STATIC_SCOPE,
                                       G_TYPE_STRING | G_SIGNAL_TYPE_STATIC_SCOPE);

  gtk_widget_class_install_action (widget_class, "palette.move", "i", move_action);
  gtk_widget_class_install_action (widget_class, "palette.choose", NULL, choose_action);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/jobgraph/Jobgraph/jg-task-palette.ui");
  gtk_widget_class_bind_template_child (widget_class, JgTaskPalette, search_entry);
  gtk_widget_class_bind_template_child (widget_class, JgTaskPalette, stack);
  gtk_widget_class_bind_template_child (widget_class, JgTaskPalette, list_view);
  gtk_widget_class_bind_template_callback (widget_class, search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, search_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, stop_search_cb);
  gtk_widget_class_bind_template_callback (widget_class, list_activate_cb);
}

static void
jg_task_palette_init (JgTaskPalette *self)
{
  g_autoptr(GtkListItemFactory) factory = NULL;
  GtkEventController *shortcuts;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->items = g_list_store_new (JG_TYPE_PALETTE_ITEM);
  fill_items (self);

  self->filter = gtk_custom_filter_new (match_item, self, NULL);
  self->filtered = gtk_filter_list_model_new (g_object_ref (G_LIST_MODEL (self->items)),
                                              g_object_ref (GTK_FILTER (self->filter)));
  self->sorter = gtk_custom_sorter_new (compare_items, self, NULL);
  self->sorted = gtk_sort_list_model_new (g_object_ref (G_LIST_MODEL (self->filtered)),
                                          g_object_ref (GTK_SORTER (self->sorter)));
  self->selection = gtk_single_selection_new (g_object_ref (G_LIST_MODEL (self->sorted)));
  gtk_single_selection_set_autoselect (self->selection, TRUE);
  gtk_single_selection_set_can_unselect (self->selection, FALSE);

  factory = gtk_signal_list_item_factory_new ();
  g_signal_connect (factory, "setup", G_CALLBACK (setup_row_cb), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_row_cb), NULL);
  gtk_list_view_set_factory (self->list_view, factory);
  gtk_list_view_set_model (self->list_view, GTK_SELECTION_MODEL (self->selection));

  /* The focus stays in the search entry while the arrow keys move through
   * the list, so the shortcuts must run before the entry's text handles
   * the keys.
   */
  shortcuts = gtk_shortcut_controller_new ();
  gtk_event_controller_set_propagation_phase (shortcuts, GTK_PHASE_CAPTURE);
  add_move_shortcut (GTK_SHORTCUT_CONTROLLER (shortcuts), GDK_KEY_Down, 1);
  add_move_shortcut (GTK_SHORTCUT_CONTROLLER (shortcuts), GDK_KEY_KP_Down, 1);
  add_move_shortcut (GTK_SHORTCUT_CONTROLLER (shortcuts), GDK_KEY_Up, -1);
  add_move_shortcut (GTK_SHORTCUT_CONTROLLER (shortcuts), GDK_KEY_KP_Up, -1);
  add_move_shortcut (GTK_SHORTCUT_CONTROLLER (shortcuts), GDK_KEY_Page_Down, PAGE_ROWS);
  add_move_shortcut (GTK_SHORTCUT_CONTROLLER (shortcuts), GDK_KEY_Page_Up, -PAGE_ROWS);
  gtk_widget_add_controller (GTK_WIDGET (self->search_entry), shortcuts);

  gtk_search_entry_set_search_delay (self->search_entry, 50);
}

/**
 * jg_task_palette_new:
 *
 * Returns: (transfer floating): a new palette; give it a parent with
 *   gtk_widget_set_parent() before popping it up
 */
GtkWidget *
jg_task_palette_new (void)
{
  return g_object_new (JG_TYPE_TASK_PALETTE, NULL);
}

/**
 * jg_task_palette_reset:
 *
 * Clears the search and selects the first row. Call it before each popup so
 * the palette never opens on a stale query.
 */
void
jg_task_palette_reset (JgTaskPalette *self)
{
  g_return_if_fail (JG_IS_TASK_PALETTE (self));

  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
  g_clear_pointer (&self->query_words, g_strfreev);
  gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_LESS_STRICT);
  gtk_sorter_changed (GTK_SORTER (self->sorter), GTK_SORTER_CHANGE_DIFFERENT);
  update_empty_state (self);
  select_position (self, 0);
}

/**
 * jg_task_palette_get_model:
 *
 * Returns: (transfer none): the rows the palette shows now, after
 *   filtering; each item has the read-only string properties "title",
 *   "subtitle", "tag" (nullable), "processor-id" and "preset" (nullable)
 */
GListModel *
jg_task_palette_get_model (JgTaskPalette *self)
{
  g_return_val_if_fail (JG_IS_TASK_PALETTE (self), NULL);

  return G_LIST_MODEL (self->selection);
}

/**
 * jg_task_palette_get_selected:
 *
 * Returns: the position of the highlighted row, or
 *   %GTK_INVALID_LIST_POSITION when nothing matches
 */
guint
jg_task_palette_get_selected (JgTaskPalette *self)
{
  g_return_val_if_fail (JG_IS_TASK_PALETTE (self), GTK_INVALID_LIST_POSITION);

  return gtk_single_selection_get_selected (self->selection);
}
