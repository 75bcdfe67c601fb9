/* jg-task-palette.c — placeholder until the real widget lands; see jg-task-palette.h. */

#include "config.h"

#include "jg-task-palette.h"

struct _JgTaskPalette
{
  GtkPopover parent_instance;
};

G_DEFINE_FINAL_TYPE (JgTaskPalette, jg_task_palette, GTK_TYPE_POPOVER)

static void
jg_task_palette_class_init (JgTaskPaletteClass *klass)
{
}

static void
jg_task_palette_init (JgTaskPalette *self)
{
}

GtkWidget *
jg_task_palette_new (void)
{
  return g_object_new (JG_TYPE_TASK_PALETTE, NULL);
}

void jg_task_palette_reset (JgTaskPalette *self) {}
