/* jg-window.c — placeholder, being written. */
#include "config.h"
#include "jg-window.h"
struct _JgWindow { AdwApplicationWindow parent_instance; };
G_DEFINE_FINAL_TYPE (JgWindow, jg_window, ADW_TYPE_APPLICATION_WINDOW)
static void jg_window_class_init (JgWindowClass *klass) { }
static void jg_window_init (JgWindow *self) { }
JgWindow *jg_window_new (GtkApplication *application) { return g_object_new (JG_TYPE_WINDOW, "application", application, NULL); }
JgHistory *jg_window_get_history (JgWindow *self) { return NULL; }
GFile *jg_window_get_file (JgWindow *self) { return NULL; }
void jg_window_open_file (JgWindow *self, GFile *file) { }
gboolean jg_window_is_empty (JgWindow *self) { return TRUE; }
