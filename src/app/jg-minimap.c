/* jg-minimap.c — placeholder until the real widget lands; see jg-minimap.h. */

#include "config.h"

#include "jg-minimap.h"

struct _JgMinimap
{
  GtkWidget parent_instance;
};

G_DEFINE_FINAL_TYPE (JgMinimap, jg_minimap, GTK_TYPE_WIDGET)

static void
jg_minimap_class_init (JgMinimapClass *klass)
{
}

static void
jg_minimap_init (JgMinimap *self)
{
}

GtkWidget *
jg_minimap_new (JgGraphCanvas *canvas)
{
  return g_object_new (JG_TYPE_MINIMAP, NULL);
}
