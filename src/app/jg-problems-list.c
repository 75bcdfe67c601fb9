/* jg-problems-list.c — placeholder until the real widget lands; see jg-problems-list.h. */

#include "config.h"

#include "jg-problems-list.h"

struct _JgProblemsList
{
  GtkWidget parent_instance;
};

G_DEFINE_FINAL_TYPE (JgProblemsList, jg_problems_list, GTK_TYPE_WIDGET)

static void
jg_problems_list_class_init (JgProblemsListClass *klass)
{
}

static void
jg_problems_list_init (JgProblemsList *self)
{
}

GtkWidget *
jg_problems_list_new (void)
{
  return g_object_new (JG_TYPE_PROBLEMS_LIST, NULL);
}

JgGraph * jg_problems_list_get_graph (JgProblemsList *self) { return NULL; }
void jg_problems_list_set_graph (JgProblemsList *self, JgGraph *graph) {}
