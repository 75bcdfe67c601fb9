/* jg-application.c — placeholder, being written. */
#include "config.h"
#include "jg-application.h"
struct _JgApplication { AdwApplication parent_instance; };
G_DEFINE_FINAL_TYPE (JgApplication, jg_application, ADW_TYPE_APPLICATION)
static void jg_application_class_init (JgApplicationClass *klass) { }
static void jg_application_init (JgApplication *self) { }
JgApplication *jg_application_new (void) { return g_object_new (JG_TYPE_APPLICATION, "application-id", APP_ID, NULL); }
