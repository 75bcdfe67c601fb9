/* jg-inspector.c — placeholder until the real widget lands; see jg-inspector.h. */

#include "config.h"

#include "jg-inspector.h"

struct _JgInspector
{
  GtkWidget parent_instance;
};

G_DEFINE_FINAL_TYPE (JgInspector, jg_inspector, GTK_TYPE_WIDGET)

static void
jg_inspector_class_init (JgInspectorClass *klass)
{
}

static void
jg_inspector_init (JgInspector *self)
{
}

GtkWidget *
jg_inspector_new (void)
{
  return g_object_new (JG_TYPE_INSPECTOR, NULL);
}

void jg_inspector_set_history (JgInspector *self, JgHistory *history) {}
void jg_inspector_set_selection (JgInspector *self, JgSelection *selection) {}
void jg_inspector_focus_first (JgInspector *self) {}
