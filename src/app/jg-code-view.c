/* jg-code-view.c — placeholder until the real widget lands; see jg-code-view.h. */

#include "config.h"

#include "jg-code-view.h"

struct _JgCodeView
{
  GtkWidget parent_instance;
};

G_DEFINE_FINAL_TYPE (JgCodeView, jg_code_view, GTK_TYPE_WIDGET)

static void
jg_code_view_class_init (JgCodeViewClass *klass)
{
}

static void
jg_code_view_init (JgCodeView *self)
{
}

GtkWidget *
jg_code_view_new (void)
{
  return g_object_new (JG_TYPE_CODE_VIEW, NULL);
}

void jg_code_view_set_history (JgCodeView *self, JgHistory *history) {}
void jg_code_view_set_selection (JgCodeView *self, JgSelection *selection) {}
JgCodeViewKind jg_code_view_get_kind (JgCodeView *self) { return JG_CODE_VIEW_JOB; }
void jg_code_view_set_kind (JgCodeView *self, JgCodeViewKind kind) {}
char * jg_code_view_dup_text (JgCodeView *self) { return g_strdup (""); }
