/* jg-asset-picker.c
 *
 * Copyright 2026 The Jobgraph authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "jg-asset-picker"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "jg-account-store.h"
#include "jg-asset-picker.h"

/* How many assets go into the list per main-loop iteration: small enough
 * that a 10,000-asset account keeps the window drawing while it fills.
 */
#define FILL_SLICE 250

struct _JgAssetPicker
{
  GtkWidget           parent_instance;

  /* Template children */
  GtkSearchEntry     *search_entry;
  GtkStack           *stack;
  GtkListView        *list_view;
  AdwStatusPage      *error_page;
  GtkLabel           *loading_label;
  GtkWidget          *footer;
  GtkSpinner         *footer_spinner;
  GtkLabel           *footer_label;
  GtkWidget          *select_all_button;
  GtkWidget          *add_button;
  GtkWidget          *upload_box;
  GtkLabel           *upload_label;
  GtkProgressBar     *upload_progress;
  GtkLabel           *upload_error_label;

  /* Owned references */
  JgClient           *client;
  GCancellable       *cancellable;
  GListStore         *store;        /* GtkStringObject: the asset id */
  GHashTable         *assets;       /* id → JgRemoteAsset */
  GtkCustomFilter    *filter;
  GtkFilterListModel *filtered;
  GtkSelectionModel  *selection;
  GPtrArray          *pending;      /* JgRemoteAsset still to be listed */
  char               *search;       /* casefolded, or NULL */
  GCancellable       *upload_cancellable; /* the running upload, or NULL */

  guint               fill_id;
  guint               n_selected;
  gboolean            multiple;
  gboolean            loading;
  gboolean            failed;
};

enum
{
  PROP_0,
  PROP_CLIENT,
  PROP_MULTIPLE,
  PROP_LOADING,
  PROP_N_ASSETS,
  PROP_N_SELECTED,
  PROP_UPLOADING,
  N_PROPS
};

enum
{
  ASSET_ACTIVATED,
  N_SIGNALS
};

G_DEFINE_FINAL_TYPE (JgAssetPicker, jg_asset_picker, GTK_TYPE_WIDGET)

static GParamSpec *properties[N_PROPS];
static guint       signals[N_SIGNALS];

static JgRemoteAsset *
lookup_item (JgAssetPicker *self,
             gpointer       item)
{
  return g_hash_table_lookup (self->assets, gtk_string_object_get_string (item));
}

static char *
format_count (guint n)
{
  /* %'u groups the digits as the user's locale does: "1,100". */
  return g_strdup_printf ("%'u", n);
}

static void
set_loading (JgAssetPicker *self,
             gboolean       loading)
{
  if (self->loading == loading)
    return;

  self->loading = loading;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

static void
update_footer (JgAssetPicker *self)
{
  guint            n_assets = g_list_model_get_n_items (G_LIST_MODEL (self->store));
  g_autofree char *count = format_count (n_assets);
  g_autofree char *text = NULL;

  gtk_spinner_set_spinning (self->footer_spinner, self->loading);
  gtk_widget_set_visible (GTK_WIDGET (self->footer_spinner), self->loading);

  if (self->loading)
    text = g_strdup_printf (ngettext ("Loaded %s asset…", "Loaded %s assets…", n_assets), count);
  else if (self->n_selected > 0 && self->multiple)
    {
      g_autofree char *selected = format_count (self->n_selected);

      /* Translators: "3 of 1,100 assets selected" */
      text = g_strdup_printf (ngettext ("%s of %s asset selected", "%s of %s assets selected", n_assets),
                              selected, count);
    }
  else
    text = g_strdup_printf (ngettext ("%s asset", "%s assets", n_assets), count);

  gtk_label_set_label (self->footer_label, text);
}

static void
update_state (JgAssetPicker *self)
{
  guint       n_assets = g_list_model_get_n_items (G_LIST_MODEL (self->store));
  guint       n_shown = g_list_model_get_n_items (G_LIST_MODEL (self->filtered));
  const char *page;

  if (self->failed)
    page = "error";
  else if (n_assets == 0)
    page = self->loading || self->client == NULL ? "loading" : "empty";
  else if (n_shown == 0)
    page = "no-match";
  else
    page = "list";

  gtk_stack_set_visible_child_name (self->stack, page);
  /* A count says nothing beside "No Assets" or an error, but "Add Asset…"
   * is what "No Assets" asks for.
   */
  gtk_widget_set_visible (self->footer, self->client != NULL && !self->failed && (n_assets > 0 || !self->loading));
  gtk_widget_set_visible (GTK_WIDGET (self->footer_label), n_assets > 0 || self->loading);
  gtk_widget_set_visible (self->select_all_button, self->multiple && n_assets > 0);
  gtk_widget_set_sensitive (self->select_all_button, n_shown > 0);
  gtk_widget_set_sensitive (self->add_button, self->client != NULL && self->upload_cancellable == NULL);
  update_footer (self);
}

static gboolean
filter_func (gpointer item,
             gpointer user_data)
{
  JgAssetPicker   *self = user_data;
  JgRemoteAsset   *asset;
  g_autofree char *folded = NULL;

  if (self->search == NULL)
    return TRUE;

  asset = lookup_item (self, item);
  if (asset == NULL)
    return FALSE;

  if (asset->name != NULL)
    {
      folded = g_utf8_casefold (asset->name, -1);
      if (strstr (folded, self->search) != NULL)
        return TRUE;
    }

  /* Pasting an asset id finds it too. */
  return strstr (asset->id, self->search) != NULL;
}

/* Name order, as a file manager sorts ("clip-9" before "clip-10"): assets
 * seeded or uploaded together share their creation time, so dates would
 * give no order a user can follow.
 */
static int
compare_by_name (gconstpointer a,
                 gconstpointer b)
{
  JgRemoteAsset   *asset_a = *(JgRemoteAsset **)a;
  JgRemoteAsset   *asset_b = *(JgRemoteAsset **)b;
  g_autofree char *key_a = g_utf8_collate_key_for_filename (asset_a->name != NULL ? asset_a->name : "", -1);
  g_autofree char *key_b = g_utf8_collate_key_for_filename (asset_b->name != NULL ? asset_b->name : "", -1);
  int              order = strcmp (key_a, key_b);

  return order != 0 ? order : strcmp (asset_a->id, asset_b->id);
}

static void
stop_loading (JgAssetPicker *self)
{
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_handle_id (&self->fill_id, g_source_remove);
  g_clear_pointer (&self->pending, g_ptr_array_unref);
}

static gboolean
fill_slice_cb (gpointer user_data)
{
  JgAssetPicker *self = user_data;
  guint          n = MIN (self->pending->len, FILL_SLICE);
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < n; i++)
    {
      JgRemoteAsset *asset = g_ptr_array_index (self->pending, i);

      /* A second entry for one id would alias the first one's row. */
      if (g_hash_table_contains (self->assets, asset->id))
        continue;

      g_hash_table_insert (self->assets, asset->id, jg_remote_asset_ref (asset));
      g_ptr_array_add (items, gtk_string_object_new (asset->id));
    }
  g_ptr_array_remove_range (self->pending, 0, n);

  g_list_store_splice (self->store, g_list_model_get_n_items (G_LIST_MODEL (self->store)), 0,
                       items->pdata, items->len);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ASSETS]);

  if (self->pending->len > 0)
    {
      update_state (self);
      return G_SOURCE_CONTINUE;
    }

  self->fill_id = 0;
  g_clear_pointer (&self->pending, g_ptr_array_unref);
  set_loading (self, FALSE);
  update_state (self);

  return G_SOURCE_REMOVE;
}

static void
assets_listed_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) assets = NULL;
  JgAssetPicker *self;

  assets = jg_client_list_assets_finish (JG_CLIENT (object), result, &error);
  /* Cancelled: the picker was reloaded or disposed, leave it alone. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = JG_ASSET_PICKER (user_data);
  g_clear_object (&self->cancellable);

  if (assets == NULL)
    {
      self->failed = TRUE;
      adw_status_page_set_description (self->error_page, error->message);
      set_loading (self, FALSE);
      update_state (self);
      return;
    }

  g_ptr_array_sort (assets, compare_by_name);
  self->pending = g_steal_pointer (&assets);
  self->fill_id = g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, fill_slice_cb, self, NULL);
}

static void
selection_changed_cb (JgAssetPicker     *self,
                      guint              position,
                      guint              n_items,
                      GtkSelectionModel *selection)
{
  g_autoptr(GtkBitset) selected = gtk_selection_model_get_selection (selection);
  guint n_selected = (guint)gtk_bitset_get_size (selected);

  if (n_selected != self->n_selected)
    {
      self->n_selected = n_selected;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_SELECTED]);
    }

  update_footer (self);
}

static void
filtered_changed_cb (JgAssetPicker *self)
{
  update_state (self);
}

static void
search_changed_cb (JgAssetPicker  *self,
                   GtkSearchEntry *entry)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (entry));

  g_clear_pointer (&self->search, g_free);
  if (text != NULL && text[0] != '\0')
    self->search = g_utf8_casefold (text, -1);

  gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_DIFFERENT);
  update_state (self);
}

static void
stop_search_cb (JgAssetPicker  *self,
                GtkSearchEntry *entry)
{
  /* Escape in an empty search closes whatever window holds the picker, as
   * Escape does everywhere else in it.
   */
  if (gtk_editable_get_text (GTK_EDITABLE (entry))[0] == '\0')
    gtk_widget_activate_action (GTK_WIDGET (self), "window.close", NULL);
  else
    gtk_editable_set_text (GTK_EDITABLE (entry), "");
}

static void
retry_cb (JgAssetPicker *self)
{
  jg_asset_picker_reload (self);
}

static void
select_all_cb (JgAssetPicker *self)
{
  jg_asset_picker_select_all (self);
}

static void
list_activate_cb (JgAssetPicker *self,
                  guint          position,
                  GtkListView   *list_view)
{
  g_autoptr(GObject) item = g_list_model_get_item (G_LIST_MODEL (self->filtered), position);
  JgRemoteAsset *asset = item != NULL ? lookup_item (self, item) : NULL;

  if (asset != NULL)
    g_signal_emit (self, signals[ASSET_ACTIVATED], 0, asset);
}

/* Return in the search entry of a single-asset picker chooses the first
 * match, as in GNOME's own search lists: type a few letters, press Return.
 */
static void
search_activate_cb (JgAssetPicker *self)
{
  if (self->multiple || g_list_model_get_n_items (G_LIST_MODEL (self->filtered)) == 0)
    return;

  gtk_selection_model_select_item (self->selection, 0, TRUE);
  list_activate_cb (self, 0, self->list_view);
}

/* Down in the search entry goes on to the list. */
static gboolean
search_key_pressed_cb (GtkEventControllerKey *controller,
                       guint                  keyval,
                       guint                  keycode,
                       GdkModifierType        state,
                       JgAssetPicker         *self)
{
  if ((keyval != GDK_KEY_Down && keyval != GDK_KEY_KP_Down) ||
      g_list_model_get_n_items (G_LIST_MODEL (self->filtered)) == 0)
    return FALSE;

  return gtk_widget_child_focus (GTK_WIDGET (self->list_view), GTK_DIR_TAB_FORWARD);
}

static void
check_toggled_cb (GtkCheckButton *check,
                  GtkListItem    *list_item)
{
  JgAssetPicker *self = g_object_get_data (G_OBJECT (check), "picker");
  guint          position = gtk_list_item_get_position (list_item);
  gboolean       active = gtk_check_button_get_active (check);

  if (position == GTK_INVALID_LIST_POSITION || active == gtk_list_item_get_selected (list_item))
    return;

  /* The check adds to the selection, where a click on the row replaces it. */
  if (active)
    gtk_selection_model_select_item (self->selection, position, FALSE);
  else
    gtk_selection_model_unselect_item (self->selection, position);
}

static void
item_selected_cb (GtkListItem *list_item,
                  GParamSpec  *pspec,
                  GtkWidget   *check)
{
  gtk_check_button_set_active (GTK_CHECK_BUTTON (check), gtk_list_item_get_selected (list_item));
}

static void
setup_row_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *list_item,
              JgAssetPicker            *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *text = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *name = gtk_label_new (NULL);
  GtkWidget *details = gtk_label_new (NULL);

  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 6);
  gtk_widget_set_margin_start (box, 6);
  gtk_widget_set_margin_end (box, 6);

  if (self->multiple)
    {
      GtkWidget *check = gtk_check_button_new ();

      gtk_widget_set_valign (check, GTK_ALIGN_CENTER);
      g_object_set_data (G_OBJECT (check), "picker", self);
      g_signal_connect (check, "toggled", G_CALLBACK (check_toggled_cb), list_item);
      g_signal_connect_object (list_item, "notify::selected", G_CALLBACK (item_selected_cb), check, 0);
      gtk_box_append (GTK_BOX (box), check);
      g_object_set_data (G_OBJECT (box), "check", check);
    }
  else
    {
      GtkWidget *icon = gtk_image_new_from_icon_name ("video-x-generic-symbolic");

      gtk_widget_add_css_class (icon, "dim-label");
      gtk_box_append (GTK_BOX (box), icon);
    }

  gtk_widget_set_hexpand (text, TRUE);
  gtk_label_set_xalign (GTK_LABEL (name), 0.0);
  gtk_label_set_ellipsize (GTK_LABEL (name), PANGO_ELLIPSIZE_MIDDLE);
  gtk_label_set_xalign (GTK_LABEL (details), 0.0);
  gtk_label_set_ellipsize (GTK_LABEL (details), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (details, "caption");
  gtk_widget_add_css_class (details, "dim-label");

  gtk_box_append (GTK_BOX (text), name);
  gtk_box_append (GTK_BOX (text), details);
  gtk_box_append (GTK_BOX (box), text);

  g_object_set_data (G_OBJECT (box), "name", name);
  g_object_set_data (G_OBJECT (box), "details", details);
  gtk_list_item_set_child (list_item, box);
}

static void
bind_row_cb (GtkSignalListItemFactory *factory,
             GtkListItem              *list_item,
             JgAssetPicker            *self)
{
  JgRemoteAsset   *asset = lookup_item (self, gtk_list_item_get_item (list_item));
  GtkWidget       *box = gtk_list_item_get_child (list_item);
  GtkWidget       *check = g_object_get_data (G_OBJECT (box), "check");
  const char      *name;
  g_autofree char *details = NULL;

  if (asset == NULL)
    return;

  name = asset->name != NULL && asset->name[0] != '\0' ? asset->name : _("Unnamed asset");
  gtk_label_set_label (g_object_get_data (G_OBJECT (box), "name"), name);

  /* The service reports no size for an asset (that is in its AssetFiles),
   * so a row shows when the asset was made, which tells versions apart.
   */
  if (asset->created != NULL)
    {
      g_autoptr(GDateTime) local = g_date_time_to_local (asset->created);
      /* Translators: an asset's creation date, see strftime(3) */
      g_autofree char *date = g_date_time_format (local, _("%-d %b %Y, %H:%M"));

      /* Translators: "Created 7 Mar 2026, 12:00" */
      details = g_strdup_printf (_("Created %s"), date);
    }
  else
    details = g_strdup (asset->id);

  gtk_label_set_label (g_object_get_data (G_OBJECT (box), "details"), details);
  gtk_widget_set_tooltip_text (box, asset->id);

  if (check != NULL)
    {
      gtk_check_button_set_active (GTK_CHECK_BUTTON (check), gtk_list_item_get_selected (list_item));
      gtk_accessible_update_property (GTK_ACCESSIBLE (check), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
    }
}

static void
jg_asset_picker_constructed (GObject *object)
{
  JgAssetPicker            *self = JG_ASSET_PICKER (object);
  GtkListItemFactory       *factory = gtk_signal_list_item_factory_new ();

  G_OBJECT_CLASS (jg_asset_picker_parent_class)->constructed (object);

  if (self->multiple)
    self->selection = GTK_SELECTION_MODEL (gtk_multi_selection_new (g_object_ref (G_LIST_MODEL (self->filtered))));
  else
    {
      GtkSingleSelection *single = gtk_single_selection_new (g_object_ref (G_LIST_MODEL (self->filtered)));

      gtk_single_selection_set_autoselect (single, FALSE);
      gtk_single_selection_set_can_unselect (single, TRUE);
      self->selection = GTK_SELECTION_MODEL (single);
    }

  g_signal_connect_object (self->selection, "selection-changed", G_CALLBACK (selection_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect (factory, "setup", G_CALLBACK (setup_row_cb), self);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_row_cb), self);

  gtk_list_view_set_model (self->list_view, self->selection);
  gtk_list_view_set_factory (self->list_view, factory);
  g_object_unref (factory);

  gtk_accessible_update_property (GTK_ACCESSIBLE (self->list_view),
                                  GTK_ACCESSIBLE_PROPERTY_MULTI_SELECTABLE, self->multiple, -1);
  update_state (self);
}

/* Adding an asset */

static void
set_uploading (JgAssetPicker *self,
               GCancellable  *cancellable)
{
  gboolean was = self->upload_cancellable != NULL;

  g_set_object (&self->upload_cancellable, cancellable);
  gtk_widget_set_visible (self->upload_box, cancellable != NULL);
  update_state (self);

  if (was != (cancellable != NULL))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_UPLOADING]);
}

/* An upload outlives neither the picker nor its account: both cancel it.
 * The callbacks hold a weak reference, so that a picker in a closed
 * window goes at once while the client cleans up behind it.
 */
static void
weak_ref_free (gpointer data)
{
  g_weak_ref_clear (data);
  g_free (data);
}

static GWeakRef *
weak_ref_new (gpointer object)
{
  GWeakRef *ref = g_new0 (GWeakRef, 1);

  g_weak_ref_init (ref, object);

  return ref;
}

static void
upload_progress_cb (goffset  done,
                    goffset  total,
                    gpointer user_data)
{
  g_autoptr(JgAssetPicker) self = g_weak_ref_get (user_data);

  if (self != NULL && self->upload_cancellable != NULL)
    gtk_progress_bar_set_fraction (self->upload_progress, total > 0 ? (double)done / total : 0.0);
}

static void
uploaded_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(JgRemoteAsset) asset = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JgAssetPicker) self = g_weak_ref_get (user_data);

  weak_ref_free (user_data);
  asset = jg_client_upload_asset_finish (JG_CLIENT (object), result, &error);

  /* Whoever cancelled it has reset the picker already. */
  if (self == NULL || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  set_uploading (self, NULL);

  if (asset == NULL)
    {
      g_autofree char *message = g_strdup_printf (_("Could not add the asset: %s"), error->message);

      gtk_label_set_label (self->upload_error_label, message);
      gtk_widget_set_visible (GTK_WIDGET (self->upload_error_label), TRUE);
      return;
    }

  /* The new asset goes first, where it is seen, and is the one chosen. */
  if (!g_hash_table_contains (self->assets, asset->id))
    {
      g_autoptr(GtkStringObject) item = gtk_string_object_new (asset->id);

      g_hash_table_insert (self->assets, asset->id, jg_remote_asset_ref (asset));
      g_list_store_insert (self->store, 0, item);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ASSETS]);
    }

  jg_asset_picker_set_search (self, NULL);
  jg_asset_picker_select (self, asset->id);
  update_state (self);
}

static void
cancel_upload_cb (JgAssetPicker *self)
{
  jg_asset_picker_cancel_upload (self);
}

#if GTK_CHECK_VERSION(4, 10, 0)
static void
file_chosen_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(JgAssetPicker) self = user_data;
  g_autoptr(GFile) file = gtk_file_dialog_open_finish (GTK_FILE_DIALOG (object), result, NULL);

  if (file != NULL)
    jg_asset_picker_upload_file (self, file);
}
#else
static void
chooser_response_cb (GtkNativeDialog *chooser,
                     int              response,
                     JgAssetPicker   *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));

      if (file != NULL)
        jg_asset_picker_upload_file (self, file);
    }

  gtk_native_dialog_destroy (chooser);
  g_object_unref (chooser);
}
#endif

static void
add_asset_cb (JgAssetPicker *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWindow *parent = GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL;

  if (self->client == NULL || self->upload_cancellable != NULL)
    return;

#if GTK_CHECK_VERSION(4, 10, 0)
  {
    g_autoptr(GtkFileDialog) dialog = gtk_file_dialog_new ();

    gtk_file_dialog_set_title (dialog, _("Add Asset"));
    gtk_file_dialog_set_accept_label (dialog, _("_Upload"));
    gtk_file_dialog_open (dialog, parent, NULL, file_chosen_cb, g_object_ref (self));
  }
#else
  {
    GtkFileChooserNative *chooser;

    chooser = gtk_file_chooser_native_new (_("Add Asset"), parent, GTK_FILE_CHOOSER_ACTION_OPEN,
                                           _("_Upload"), _("_Cancel"));
    gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
    g_signal_connect_object (chooser, "response", G_CALLBACK (chooser_response_cb), self, 0);
    gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
  }
#endif
}

/* Typing goes to the search first: the picker is for finding an asset. */
static void
jg_asset_picker_map (GtkWidget *widget)
{
  JgAssetPicker *self = JG_ASSET_PICKER (widget);

  GTK_WIDGET_CLASS (jg_asset_picker_parent_class)->map (widget);

  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

static void
jg_asset_picker_dispose (GObject *object)
{
  JgAssetPicker *self = JG_ASSET_PICKER (object);
  GtkWidget     *child;

  stop_loading (self);
  g_cancellable_cancel (self->upload_cancellable);
  g_clear_object (&self->upload_cancellable);
  if (self->list_view != NULL)
    gtk_list_view_set_model (self->list_view, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), JG_TYPE_ASSET_PICKER);
  /* The template's outer box is not bound, so it is still ours to drop. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  g_clear_object (&self->selection);
  g_clear_object (&self->filtered);
  g_clear_object (&self->client);

  G_OBJECT_CLASS (jg_asset_picker_parent_class)->dispose (object);
}

static void
jg_asset_picker_finalize (GObject *object)
{
  JgAssetPicker *self = JG_ASSET_PICKER (object);

  g_clear_object (&self->store);
  g_clear_pointer (&self->assets, g_hash_table_unref);
  g_clear_pointer (&self->search, g_free);

  G_OBJECT_CLASS (jg_asset_picker_parent_class)->finalize (object);
}

static void
jg_asset_picker_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  JgAssetPicker *self = JG_ASSET_PICKER (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      g_value_set_object (value, self->client);
      break;

    case PROP_MULTIPLE:
      g_value_set_boolean (value, self->multiple);
      break;

    case PROP_LOADING:
      g_value_set_boolean (value, self->loading);
      break;

    case PROP_N_ASSETS:
      g_value_set_uint (value, jg_asset_picker_get_n_assets (self));
      break;

    case PROP_N_SELECTED:
      g_value_set_uint (value, self->n_selected);
      break;

    case PROP_UPLOADING:
      g_value_set_boolean (value, self->upload_cancellable != NULL);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
jg_asset_picker_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  JgAssetPicker *self = JG_ASSET_PICKER (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      jg_asset_picker_set_client (self, g_value_get_object (value));
      break;

    case PROP_MULTIPLE:
      self->multiple = g_value_get_boolean (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
jg_asset_picker_class_init (JgAssetPickerClass *klass)
{
  GObjectClass   *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = jg_asset_picker_constructed;
  object_class->dispose = jg_asset_picker_dispose;
  object_class->finalize = jg_asset_picker_finalize;
  object_class->get_property = jg_asset_picker_get_property;
  object_class->set_property = jg_asset_picker_set_property;

  widget_class->map = jg_asset_picker_map;

  properties[PROP_CLIENT] =
    g_param_spec_object ("client", NULL, NULL,
                         JG_TYPE_CLIENT,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_MULTIPLE] =
    g_param_spec_boolean ("multiple", NULL, NULL,
                          FALSE,
                          G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL,
                          FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_N_ASSETS] =
    g_param_spec_uint ("n-assets", NULL, NULL,
                       0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_N_SELECTED] =
    g_param_spec_uint ("n-selected", NULL, NULL,
                       0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_UPLOADING] =
    g_param_spec_boolean ("uploading", NULL, NULL,
                          FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * JgAssetPicker::asset-activated:
   * @asset: the asset double-clicked or chosen with Enter
   */
  signals[ASSET_ACTIVATED] = g_signal_new ("asset-activated",
                                           G_TYPE_FROM_CLASS (klass),
                                           G_SIGNAL_RUN_LAST,
                                           0, NULL, NULL, NULL,
                                           G_TYPE_NONE, 1,
                                           JG_TYPE_REMOTE_ASSET);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/jobgraph/Jobgraph/jg-asset-picker.ui");
  gtk_widget_class_bind_template_child (widget_class, JgAssetPicker, search_entry);
  gtk_widget_class_bind_template_child (widget_class, JgAssetPicker, stack);
  gtk_widget_class_bind_template_child (widget_class, JgAssetPicker, list_view);
  gtk_widget_class_bind_template_child (widget_class, JgAssetPicker, error_page);
  gtk_widget_class_bind_template_child (widget_class, JgAssetPicker, loading_label);
  gtk_widget_class_bind_template_child (widget_class, JgAssetPicker, footer);
  gtk_widget_class_bind_template_child (widget_class, JgAssetPicker, footer_spinner);
  gtk_widget_class_bind_template_child (widget_class, JgAssetPicker, footer_label);
  gtk_widget_class_bind_template_child (widget_class, JgAssetPicker, select_all_button);
  gtk_widget_class_bind_template_child (widget_class, JgAssetPicker, add_button);
  gtk_widget_class_bind_template_child (widget_class, JgAssetPicker, upload_box);
  gtk_widget_class_bind_template_child (widget_class, JgAssetPicker, upload_label);
  gtk_widget_class_bind_template_child (widget_class, JgAssetPicker, upload_progress);
  gtk_widget_class_bind_template_child (widget_class, JgAssetPicker, upload_error_label);
  gtk_widget_class_bind_template_callback (widget_class, search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, stop_search_cb);
  gtk_widget_class_bind_template_callback (widget_class, retry_cb);
  gtk_widget_class_bind_template_callback (widget_class, select_all_cb);
  gtk_widget_class_bind_template_callback (widget_class, list_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, add_asset_cb);
  gtk_widget_class_bind_template_callback (widget_class, cancel_upload_cb);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "assetpicker");
}

static void
jg_asset_picker_init (JgAssetPicker *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->store = g_list_store_new (GTK_TYPE_STRING_OBJECT);
  self->assets = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify)jg_remote_asset_unref);
  self->filter = gtk_custom_filter_new (filter_func, self, NULL);
  /* The filter model owns the store's and the filter's references. */
  self->filtered = gtk_filter_list_model_new (G_LIST_MODEL (g_object_ref (self->store)), GTK_FILTER (self->filter));
  g_signal_connect_object (self->filtered, "items-changed", G_CALLBACK (filtered_changed_cb), self,
                           G_CONNECT_SWAPPED);

  gtk_search_entry_set_key_capture_widget (self->search_entry, GTK_WIDGET (self));

  {
    GtkEventController *keys = gtk_event_controller_key_new ();

    g_signal_connect (keys, "key-pressed", G_CALLBACK (search_key_pressed_cb), self);
    gtk_widget_add_controller (GTK_WIDGET (self->search_entry), keys);
  }
  g_signal_connect_object (self->search_entry, "activate", G_CALLBACK (search_activate_cb), self, G_CONNECT_SWAPPED);
}

/**
 * jg_asset_picker_new:
 * @multiple: whether several assets may be selected
 *
 * Returns: (transfer floating): a picker with no client yet
 */
GtkWidget *
jg_asset_picker_new (gboolean multiple)
{
  return g_object_new (JG_TYPE_ASSET_PICKER, "multiple", multiple, NULL);
}

/**
 * jg_asset_picker_get_client:
 *
 * Returns: (transfer none) (nullable): the client whose assets are listed
 */
JgClient *
jg_asset_picker_get_client (JgAssetPicker *self)
{
  g_return_val_if_fail (JG_IS_ASSET_PICKER (self), NULL);

  return self->client;
}

/**
 * jg_asset_picker_set_client:
 * @client: (nullable): the account's client; the list reloads from it
 */
void
jg_asset_picker_set_client (JgAssetPicker *self,
                            JgClient      *client)
{
  g_return_if_fail (JG_IS_ASSET_PICKER (self));
  g_return_if_fail (client == NULL || JG_IS_CLIENT (client));

  if (!g_set_object (&self->client, client))
    return;

  /* An upload belongs to the account it started on. */
  jg_asset_picker_cancel_upload (self);
  gtk_widget_set_visible (GTK_WIDGET (self->upload_error_label), FALSE);

  jg_asset_picker_reload (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CLIENT]);
}

gboolean
jg_asset_picker_get_multiple (JgAssetPicker *self)
{
  g_return_val_if_fail (JG_IS_ASSET_PICKER (self), FALSE);

  return self->multiple;
}

/**
 * jg_asset_picker_get_loading:
 *
 * Returns: whether assets are still being fetched or listed
 */
gboolean
jg_asset_picker_get_loading (JgAssetPicker *self)
{
  g_return_val_if_fail (JG_IS_ASSET_PICKER (self), FALSE);

  return self->loading;
}

/**
 * jg_asset_picker_get_n_assets:
 *
 * Returns: how many assets are listed so far (before any search)
 */
guint
jg_asset_picker_get_n_assets (JgAssetPicker *self)
{
  g_return_val_if_fail (JG_IS_ASSET_PICKER (self), 0);

  return g_list_model_get_n_items (G_LIST_MODEL (self->store));
}

guint
jg_asset_picker_get_n_selected (JgAssetPicker *self)
{
  g_return_val_if_fail (JG_IS_ASSET_PICKER (self), 0);

  return self->n_selected;
}

/**
 * jg_asset_picker_reload:
 *
 * Drops the list and fetches the assets again (the Retry button).
 */
void
jg_asset_picker_reload (JgAssetPicker *self)
{
  g_return_if_fail (JG_IS_ASSET_PICKER (self));

  stop_loading (self);
  g_list_store_remove_all (self->store);
  g_hash_table_remove_all (self->assets);
  self->failed = FALSE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ASSETS]);

  if (self->client != NULL)
    {
      g_autofree char *title = jg_account_dup_title (jg_client_get_account (self->client));
      g_autofree char *label = g_strdup_printf (_("Loading the assets of %s…"), title);

      gtk_label_set_label (self->loading_label, label);
      self->cancellable = g_cancellable_new ();
      set_loading (self, TRUE);
      jg_client_list_assets_async (self->client, NULL, self->cancellable, assets_listed_cb, self);
    }
  else
    set_loading (self, FALSE);

  update_state (self);
}

/**
 * jg_asset_picker_set_search:
 * @text: (nullable): what the names must contain, any case
 */
void
jg_asset_picker_set_search (JgAssetPicker *self,
                            const char    *text)
{
  g_return_if_fail (JG_IS_ASSET_PICKER (self));

  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), text != NULL ? text : "");
  /* Now, not after the entry's typing delay. */
  search_changed_cb (self, self->search_entry);
}

/**
 * jg_asset_picker_select:
 * @asset_id: an asset listed (and shown by the search)
 *
 * Adds the asset to the selection (replaces it in single mode).
 */
void
jg_asset_picker_select (JgAssetPicker *self,
                        const char    *asset_id)
{
  guint n;

  g_return_if_fail (JG_IS_ASSET_PICKER (self));
  g_return_if_fail (asset_id != NULL);

  n = g_list_model_get_n_items (G_LIST_MODEL (self->filtered));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GtkStringObject) item = g_list_model_get_item (G_LIST_MODEL (self->filtered), i);

      if (g_strcmp0 (gtk_string_object_get_string (item), asset_id) == 0)
        {
          gtk_selection_model_select_item (self->selection, i, !self->multiple);
          return;
        }
    }
}

/**
 * jg_asset_picker_select_all:
 *
 * Selects every asset the search shows (multiple mode only).
 */
void
jg_asset_picker_select_all (JgAssetPicker *self)
{
  g_return_if_fail (JG_IS_ASSET_PICKER (self));

  if (self->multiple)
    gtk_selection_model_select_all (self->selection);
}

/**
 * jg_asset_picker_dup_selected:
 *
 * Returns: (transfer full) (element-type JgRemoteAsset): the selected
 *   assets, in list order
 */
GPtrArray *
jg_asset_picker_dup_selected (JgAssetPicker *self)
{
  g_autoptr(GtkBitset) selected = NULL;
  GPtrArray           *assets;
  GtkBitsetIter        iter;
  guint                position;

  g_return_val_if_fail (JG_IS_ASSET_PICKER (self), NULL);

  assets = g_ptr_array_new_with_free_func ((GDestroyNotify)jg_remote_asset_unref);
  selected = gtk_selection_model_get_selection (self->selection);

  for (gboolean ok = gtk_bitset_iter_init_first (&iter, selected, &position); ok;
       ok = gtk_bitset_iter_next (&iter, &position))
    {
      g_autoptr(GObject) item = g_list_model_get_item (G_LIST_MODEL (self->filtered), position);
      JgRemoteAsset *asset = item != NULL ? lookup_item (self, item) : NULL;

      if (asset != NULL)
        g_ptr_array_add (assets, jg_remote_asset_ref (asset));
    }

  return assets;
}

/**
 * jg_asset_picker_upload_file:
 * @file: a local file
 *
 * Uploads @file as a new asset, showing the progress and a Cancel button
 * in the picker; on success the asset is listed first and selected, on
 * failure the picker says why. This is what "Add Asset…" does with the
 * file chosen; tests call it directly.
 */
void
jg_asset_picker_upload_file (JgAssetPicker *self,
                             GFile         *file)
{
  g_autoptr(GCancellable) cancellable = NULL;
  g_autofree char *name = NULL;
  g_autofree char *label = NULL;

  g_return_if_fail (JG_IS_ASSET_PICKER (self));
  g_return_if_fail (G_IS_FILE (file));

  if (self->client == NULL || self->upload_cancellable != NULL)
    return;

  name = g_file_get_basename (file);
  /* Translators: %s is a file name */
  label = g_strdup_printf (_("Uploading “%s”"), name);
  gtk_label_set_label (self->upload_label, label);
  gtk_progress_bar_set_fraction (self->upload_progress, 0.0);
  gtk_widget_set_visible (GTK_WIDGET (self->upload_error_label), FALSE);

  cancellable = g_cancellable_new ();
  set_uploading (self, cancellable);
  jg_client_upload_asset_async (self->client, file, NULL, upload_progress_cb, weak_ref_new (self), weak_ref_free,
                                cancellable, uploaded_cb, weak_ref_new (self));
}

/**
 * jg_asset_picker_get_uploading:
 *
 * Returns: whether an upload started by "Add Asset…" is running
 */
gboolean
jg_asset_picker_get_uploading (JgAssetPicker *self)
{
  g_return_val_if_fail (JG_IS_ASSET_PICKER (self), FALSE);

  return self->upload_cancellable != NULL;
}

/**
 * jg_asset_picker_cancel_upload:
 *
 * What the upload's Cancel button does.
 */
void
jg_asset_picker_cancel_upload (JgAssetPicker *self)
{
  g_return_if_fail (JG_IS_ASSET_PICKER (self));

  if (self->upload_cancellable == NULL)
    return;

  g_cancellable_cancel (self->upload_cancellable);
  set_uploading (self, NULL);
}

/**
 * jg_asset_picker_dup_upload_error:
 *
 * Returns: (transfer full) (nullable): the message of the last failed
 *   upload, while it is shown
 */
char *
jg_asset_picker_dup_upload_error (JgAssetPicker *self)
{
  g_return_val_if_fail (JG_IS_ASSET_PICKER (self), NULL);

  if (!gtk_widget_get_visible (GTK_WIDGET (self->upload_error_label)))
    return NULL;

  return g_strdup (gtk_label_get_label (self->upload_error_label));
}
