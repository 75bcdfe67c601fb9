/* test-encoding.c
 *
 * Copyright 2026 The Jobgraph authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <signal.h>
#include <string.h>

#include <glib/gstdio.h>

#include "emulator-fixture.h"
#include "media-fixture.h"

/* The real jobgraph-emulator binary running jobs with GStreamer: clips
 * generated here are seeded as assets (DATA_DIR/assets/), jobs are
 * submitted over HTTP, and what the service says (states, progress,
 * ErrorDetails, Files) is checked against the files it wrote, which
 * GstDiscoverer reads back.
 */

#define ENCODE_TIMEOUT_US (3 * TEST_TIMEOUT_US)

#define AME_ID     "nb:mpid:UUID:1b1da727-93ae-4e46-a8a1-268828765609"
#define PREMIUM_ID "nb:mpid:UUID:77fea72a-107c-439e-b0bb-f88153b93461"

typedef struct
{
  char           *data_dir;
  EmulatorProcess emulator;
} Fixture;

static const char *clip_dir;

static void
start (Fixture            *f,
       GSubprocessLauncher *launcher)
{
  const char *args[] = { "--workers", "2", NULL };
  g_autoptr(GSubprocessLauncher) own = NULL;

  if (launcher == NULL)
    launcher = own = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_NONE);

  /* The suite's environment asks for simulation; these tests encode. */
  g_subprocess_launcher_unsetenv (launcher, "JOBGRAPH_EMULATOR_SIMULATE");
  emulator_process_start (&f->emulator, launcher, EMULATOR_PATH, f->data_dir, args);
}

/* A data folder whose assets/ holds @names (copies of the clips made in
 * main()).
 */
static void
fixture_set_up (Fixture      *f,
                gconstpointer data)
{
  const char *const *names = data;
  g_autoptr(GError) error = NULL;
  g_autofree char   *assets = NULL;

  f->data_dir = g_dir_make_tmp ("jobgraph-encoding-XXXXXX", &error);
  g_assert_no_error (error);
  assets = g_build_filename (f->data_dir, "assets", NULL);
  g_assert_cmpint (g_mkdir_with_parents (assets, 0700), ==, 0);

  for (guint i = 0; names != NULL && names[i] != NULL; i++)
    {
      g_autofree char *from = g_build_filename (clip_dir, names[i], NULL);
      g_autofree char *to = g_build_filename (assets, names[i], NULL);

      /* A hard link is enough: the service never writes its inputs. */
      g_assert_cmpint (link (from, to), ==, 0);
    }
}

static void
fixture_tear_down (Fixture      *f,
                   gconstpointer data)
{
  if (f->emulator.process != NULL)
    {
      g_autoptr(GError) error = NULL;

      g_subprocess_send_signal (f->emulator.process, SIGTERM);
      g_subprocess_wait (f->emulator.process, NULL, &error);
      g_assert_no_error (error);
      g_assert_true (g_subprocess_get_if_exited (f->emulator.process));
      g_assert_cmpint (g_subprocess_get_exit_status (f->emulator.process), ==, 0);
    }

  emulator_process_clear (&f->emulator);
  remove_tree (f->data_dir);
  g_free (f->data_dir);
}

typedef struct
{
  const char *processor_id;
  const char *configuration;
  const char *input; /* "JobInputAsset(0)" or "JobOutputAsset(n)" */
  const char *output;
} TaskSpec;

static char *
json_string (const char *text)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_VALUE);

  json_node_set_string (node, text);

  return json_to_string (node, FALSE);
}

static char *
submit (Fixture        *f,
        const char     *asset_name,
        const TaskSpec *tasks,
        guint           n_tasks)
{
  Http            *http = &f->emulator.http;
  g_autofree char *asset_id = find_asset_id (http, asset_name);
  g_autofree char *escaped = escape_id (asset_id);
  g_autoptr(GString) body = g_string_new (NULL);
  g_autoptr(Reply) reply = NULL;

  g_string_append_printf (body,
                          "{\"Name\":\"encode %s\",\"InputMediaAssets\":[{\"__metadata\":{\"uri\":"
                          "\"%sAssets('%s')\"}}],\"Tasks\":[",
                          asset_name, http->base, escaped);
  for (guint i = 0; i < n_tasks; i++)
    {
      g_autofree char *configuration = json_string (tasks[i].configuration);

      g_string_append_printf (body,
                              "%s{\"Configuration\":%s,\"MediaProcessorId\":\"%s\","
                              "\"TaskBody\":\"<taskBody><inputAsset>%s</inputAsset>"
                              "<outputAsset>%s</outputAsset></taskBody>\"}",
                              i > 0 ? "," : "", configuration, tasks[i].processor_id, tasks[i].input,
                              tasks[i].output);
    }
  g_string_append (body, "]}");

  reply = api (http, "POST", "Jobs", body->str, REQUEST_VERBOSE);
  g_assert_no_error (reply->error);
  g_assert_cmpuint (reply->status, ==, 201);

  return g_strdup (json_object_get_string_member (reply_entity (reply), "Id"));
}

/* The job's tasks in TaskBody order, as JSON objects (owned by @reply). */
static JsonArray *
get_tasks (Fixture    *f,
           const char *job_id,
           Reply     **reply)
{
  g_autofree char *escaped = escape_id (job_id);
  g_autofree char *path = g_strdup_printf ("Jobs('%s')/Tasks", escaped);

  *reply = api (&f->emulator.http, "GET", path, NULL, 0);
  g_assert_cmpuint ((*reply)->status, ==, 200);

  return reply_collection (*reply);
}

/* The files of JobOutputAsset(@index), sorted by name; with their paths
 * on disk.
 */
typedef struct
{
  char   *name;
  char   *mime_type;
  char   *path;
  gint64  size;
  gboolean is_primary;
} OutputFile;

static void
output_file_free (OutputFile *file)
{
  g_free (file->name);
  g_free (file->mime_type);
  g_free (file->path);
  g_free (file);
}

static int
compare_output_files (gconstpointer a,
                      gconstpointer b)
{
  return strcmp ((*(OutputFile **)a)->name, (*(OutputFile **)b)->name);
}

static char *
get_output_asset_id (Fixture    *f,
                     const char *job_id,
                     guint       index)
{
  g_autofree char *escaped = escape_id (job_id);
  g_autofree char *path = g_strdup_printf ("Jobs('%s')/OutputMediaAssets", escaped);
  g_autoptr(Reply) reply = api (&f->emulator.http, "GET", path, NULL, 0);
  JsonArray *assets = reply_collection (reply);

  g_assert_cmpuint (index, <, json_array_get_length (assets));

  return g_strdup (json_object_get_string_member (json_array_get_object_element (assets, index), "Id"));
}

static GPtrArray *
get_output_files (Fixture    *f,
                  const char *job_id,
                  guint       index)
{
  g_autofree char *asset_id = get_output_asset_id (f, job_id, index);
  g_autofree char *escaped = escape_id (asset_id);
  g_autofree char *path = g_strdup_printf ("Assets('%s')/Files", escaped);
  g_autoptr(Reply) reply = api (&f->emulator.http, "GET", path, NULL, REQUEST_VERBOSE);
  GPtrArray  *files = g_ptr_array_new_with_free_func ((GDestroyNotify)output_file_free);
  JsonArray  *array;
  const char *guid = strrchr (asset_id, ':') + 1;

  g_assert_cmpuint (reply->status, ==, 200);
  array = reply_collection (reply);

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *object = json_array_get_object_element (array, i);
      OutputFile *file = g_new0 (OutputFile, 1);

      file->name = g_strdup (json_object_get_string_member (object, "Name"));
      file->mime_type = g_strdup (json_object_get_string_member (object, "MimeType"));
      /* Verbose JSON writes Edm.Int64 as a string. */
      file->size = g_ascii_strtoll (json_object_get_string_member (object, "ContentFileSize"), NULL, 10);
      file->is_primary = json_object_get_boolean_member (object, "IsPrimary");
      file->path = g_build_filename (f->data_dir, "blobs", guid, file->name, NULL);
      g_assert_cmpstr (json_object_get_string_member (object, "ParentAssetId"), ==, asset_id);
      g_ptr_array_add (files, file);
    }

  g_ptr_array_sort (files, compare_output_files);

  return files;
}

/* Waits for the job to end and fails with its tasks' ErrorDetails when it
 * did not end in @state.
 */
static void
assert_job_ends (Fixture    *f,
                 const char *job_id,
                 int         state)
{
  gint64 deadline = g_get_monotonic_time () + ENCODE_TIMEOUT_US;
  int    final;

  /* Encodes take longer than the protocol tests' waits allow, more so on
   * a loaded machine running the suites in parallel.
   */
  while ((final = get_job_state (&f->emulator.http, job_id)) < 3 || final > 5)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_usleep (20000);
    }

  if (final != state)
    {
      g_autoptr(Reply) reply = NULL;
      JsonArray *tasks = get_tasks (f, job_id, &reply);
      g_autoptr(JsonNode) node = json_node_init_array (json_node_alloc (), tasks);
      g_autofree char *text = json_to_string (node, TRUE);

      g_error ("The job ended in state %d, not %d; its tasks: %s", final, state, text);
    }
}

static void
assert_file_matches (OutputFile *file)
{
  GStatBuf info;

  g_assert_cmpint (g_stat (file->path, &info), ==, 0);
  g_assert_cmpint (info.st_size, ==, file->size);
  g_assert_cmpint (file->size, >, 0);
}

static void
assert_task_error (JsonObject *task,
                   const char *code,
                   const char *message_part)
{
  JsonArray  *details = json_object_get_array_member (task, "ErrorDetails");
  JsonObject *detail;

  g_assert_cmpint (json_object_get_int_member (task, "State"), ==, 4);
  g_assert_cmpuint (json_array_get_length (details), ==, 1);
  detail = json_array_get_object_element (details, 0);
  g_assert_cmpstr (json_object_get_string_member (detail, "Code"), ==, code);
  if (strstr (json_object_get_string_member (detail, "Message"), message_part) == NULL)
    g_error ("“%s” is not in the ErrorDetail “%s”", message_part, json_object_get_string_member (detail, "Message"));
}

static const char *const source_720p[] = { "source-720p.mp4", NULL };

/* H264 Single Bitrate 720p: one MP4, H.264 1280×720 and AAC, as long as
 * the source; progress seen on the way.
 */
static void
test_single_bitrate (Fixture      *f,
                     gconstpointer data)
{
  const TaskSpec   task = { MES_ID, "H264 Single Bitrate 720p", "JobInputAsset(0)", "JobOutputAsset(0)" };
  g_autofree char *job_id = NULL;
  g_autoptr(GPtrArray) files = NULL;
  g_autoptr(Reply) tasks_reply = NULL;
  g_auto(MediaInfo) info = { 0 };
  OutputFile *file;
  JsonObject *object;

  start (f, NULL);
  job_id = submit (f, "source-720p.mp4", &task, 1);
  assert_job_ends (f, job_id, 3);

  object = json_array_get_object_element (get_tasks (f, job_id, &tasks_reply), 0);
  g_assert_cmpint (json_object_get_int_member (object, "State"), ==, 3);
  g_assert_cmpfloat (json_object_get_double_member (object, "Progress"), ==, 100.0);

  files = get_output_files (f, job_id, 0);
  g_assert_cmpuint (files->len, ==, 1);
  file = g_ptr_array_index (files, 0);
  g_assert_true (g_str_has_suffix (file->name, ".mp4"));
  g_assert_cmpstr (file->mime_type, ==, "video/mp4");
  g_assert_true (file->is_primary);
  assert_file_matches (file);

  media_fixture_discover (file->path, &info);
  g_assert_cmpstr (info.video_caps, ==, "video/x-h264");
  g_assert_cmpstr (info.audio_caps, ==, "audio/mpeg");
  g_assert_cmpuint (info.width, ==, 1280);
  g_assert_cmpuint (info.height, ==, 720);
  g_assert_cmpfloat (ABS (info.duration - 2.0), <, 0.1);
}

/* A ladder, then thumbnails from the ladder's output: the second task
 * reads the files the first one wrote.
 */
static const char *const source_360p[] = { "source-360p.mp4", NULL };

static void
test_chain_to_thumbnails (Fixture      *f,
                          gconstpointer data)
{
  const TaskSpec tasks[] = {
    { MES_ID, "H264 Multiple Bitrate 16x9 SD", "JobInputAsset(0)", "JobOutputAsset(0)" },
    { AME_ID, "Thumbnails", "JobOutputAsset(0)", "JobOutputAsset(1)" },
  };
  g_autofree char *job_id = NULL;
  g_autoptr(GPtrArray) ladder = NULL;
  g_autoptr(GPtrArray) thumbnails = NULL;
  g_autoptr(GHashTable) heights = g_hash_table_new (NULL, NULL);
  guint n_primary = 0;
  guint top_height = 0;

  start (f, NULL);
  job_id = submit (f, "source-360p.mp4", tasks, G_N_ELEMENTS (tasks));
  assert_job_ends (f, job_id, 3);

  ladder = get_output_files (f, job_id, 0);
  g_assert_cmpuint (ladder->len, >=, 3);
  for (guint i = 0; i < ladder->len; i++)
    {
      OutputFile *file = g_ptr_array_index (ladder, i);
      g_auto(MediaInfo) info = { 0 };

      assert_file_matches (file);
      media_fixture_discover (file->path, &info);
      g_assert_cmpstr (info.video_caps, ==, "video/x-h264");
      g_assert_cmpuint (info.height, <=, 480);
      g_hash_table_add (heights, GUINT_TO_POINTER (info.height));
      top_height = MAX (top_height, info.height);
      n_primary += file->is_primary;
    }
  g_assert_cmpuint (n_primary, ==, 1);
  /* A ladder: several sizes, the top one the preset's 848×480 box
   * (fitted to the source's aspect, so a little less).
   */
  g_assert_cmpuint (g_hash_table_size (heights), >=, 2);
  g_assert_cmpuint (top_height, >=, 470);

  thumbnails = get_output_files (f, job_id, 1);
  g_assert_cmpuint (thumbnails->len, >=, 1);
  for (guint i = 0; i < thumbnails->len; i++)
    {
      OutputFile *file = g_ptr_array_index (thumbnails, i);
      g_auto(MediaInfo) info = { 0 };

      assert_file_matches (file);
      g_assert_cmpstr (file->mime_type, ==, "image/jpeg");
      media_fixture_discover (file->path, &info);
      g_assert_cmpstr (info.video_caps, ==, "image/jpeg");
    }
}

/* The bundled example's chain (examples/chained-encode.jobgraph, the seed
 * document's job): an MP4 set, then Smooth Streaming from it. A new user's
 * first run must finish. (The example uses the 720p presets; the SD ones
 * take the same path with less work.)
 */
static void
test_example_chain (Fixture      *f,
                    gconstpointer data)
{
  const TaskSpec tasks[] = {
    { AME_ID, "H264 Adaptive Bitrate MP4 Set SD 16x9", "JobInputAsset(0)", "JobOutputAsset(0)" },
    { AME_ID, "H264 Smooth Streaming SD 16x9", "JobOutputAsset(0)", "JobOutputAsset(1)" },
  };
  g_autofree char *job_id = NULL;
  g_autoptr(GPtrArray) smooth = NULL;
  guint n_ismv = 0;
  guint n_ism = 0;

  start (f, NULL);
  job_id = submit (f, "source-360p.mp4", tasks, G_N_ELEMENTS (tasks));
  assert_job_ends (f, job_id, 3);

  smooth = get_output_files (f, job_id, 1);
  for (guint i = 0; i < smooth->len; i++)
    {
      OutputFile *file = g_ptr_array_index (smooth, i);

      assert_file_matches (file);
      if (g_str_has_suffix (file->name, ".ismv"))
        {
          g_auto(MediaInfo) info = { 0 };

          /* One ISMV per video rung, and the audio on its own. */
          media_fixture_discover (file->path, &info);
          if (info.video_caps != NULL)
            {
              g_assert_cmpstr (info.video_caps, ==, "video/x-h264");
              n_ismv++;
            }
          else
            g_assert_cmpstr (info.audio_caps, ==, "audio/mpeg");
        }
      else if (g_str_has_suffix (file->name, ".ism"))
        {
          g_assert_true (file->is_primary);
          n_ism++;
        }
    }
  g_assert_cmpuint (n_ismv, >=, 2);
  g_assert_cmpuint (n_ism, ==, 1);
}

static gboolean
dir_is_empty_or_absent (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);

  return dir == NULL || g_dir_read_name (dir) == NULL;
}

static const char *const source_long[] = { "source-long.mp4", NULL };

/* CancelJob while the pipeline runs: Canceled promptly, and no file is
 * left in the output asset or the work folder.
 */
static void
test_cancel (Fixture      *f,
             gconstpointer data)
{
  const TaskSpec   task = { MES_ID, "H264 Single Bitrate 1080p", "JobInputAsset(0)", "JobOutputAsset(0)" };
  g_autofree char *job_id = NULL;
  g_autofree char *escaped = NULL;
  g_autofree char *path = NULL;
  g_autofree char *work = NULL;
  g_autoptr(GPtrArray) files = NULL;
  gint64 deadline = g_get_monotonic_time () + TEST_TIMEOUT_US;
  gint64 canceled_at;

  start (f, NULL);
  job_id = submit (f, "source-long.mp4", &task, 1);

  for (;;)
    {
      g_autoptr(Reply) reply = NULL;
      JsonObject *object = json_array_get_object_element (get_tasks (f, job_id, &reply), 0);

      if (json_object_get_int_member (object, "State") == 2 && json_object_get_double_member (object, "Progress") > 0)
        break;
      g_assert_cmpint (json_object_get_int_member (object, "State"), <, 3);
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_usleep (20000);
    }

  escaped = escape_id (job_id);
  path = g_strdup_printf ("CancelJob?jobid='%s'", escaped);
  {
    g_autoptr(Reply) reply = api (&f->emulator.http, "GET", path, NULL, 0);

    g_assert_cmpuint (reply->status, ==, 204);
  }
  canceled_at = g_get_monotonic_time ();
  assert_job_ends (f, job_id, 5);
  g_test_message ("Canceled %.0f ms after CancelJob", (g_get_monotonic_time () - canceled_at) / 1000.0);
  g_assert_cmpint (g_get_monotonic_time () - canceled_at, <, 5 * G_USEC_PER_SEC);

  files = get_output_files (f, job_id, 0);
  g_assert_cmpuint (files->len, ==, 0);

  /* The pipeline winds down after the state changes (its streaming
   * threads flush; seconds on a loaded machine), then its files go.
   */
  work = g_build_filename (f->data_dir, "work", NULL);
  deadline = g_get_monotonic_time () + TEST_TIMEOUT_US;
  while (!dir_is_empty_or_absent (work))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_usleep (20000);
    }
}

/* SIGKILL mid-encode, then a restart: the task runs again from the start
 * and finishes; nothing is left Processing.
 */
static void
test_restart (Fixture      *f,
              gconstpointer data)
{
  const TaskSpec   task = { MES_ID, "H264 Single Bitrate 16x9 SD", "JobInputAsset(0)", "JobOutputAsset(0)" };
  g_autofree char *job_id = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) files = NULL;
  gint64 deadline = g_get_monotonic_time () + TEST_TIMEOUT_US;

  start (f, NULL);
  job_id = submit (f, "source-long.mp4", &task, 1);

  while (get_job_state (&f->emulator.http, job_id) != 2)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_usleep (20000);
    }
  /* Let the pipeline write some of the file. */
  g_usleep (300000);

  g_subprocess_force_exit (f->emulator.process);
  g_subprocess_wait (f->emulator.process, NULL, &error);
  g_assert_no_error (error);
  emulator_process_clear (&f->emulator);

  start (f, NULL);
  assert_job_ends (f, job_id, 3);

  {
    g_autoptr(Reply) reply = NULL;
    JsonObject *object = json_array_get_object_element (get_tasks (f, job_id, &reply), 0);
    JsonArray  *events = json_object_get_array_member (object, "HistoricalEvents");

    g_assert_cmpuint (json_array_get_length (events), ==, 1);
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (events, 0), "Code"), ==,
                     "TaskRestarted");
  }

  files = get_output_files (f, job_id, 0);
  g_assert_cmpuint (files->len, ==, 1);
  assert_file_matches (g_ptr_array_index (files, 0));
}

static const char *const not_media[] = { "notes.txt", NULL };

/* Bad inputs and presets end the task in Error with the documented code
 * and a message that says what.
 */
static void
test_unsupported_input (Fixture      *f,
                        gconstpointer data)
{
  const TaskSpec   task = { MES_ID, "H264 Single Bitrate 720p", "JobInputAsset(0)", "JobOutputAsset(0)" };
  g_autofree char *job_id = NULL;
  g_autoptr(Reply) reply = NULL;

  start (f, NULL);
  job_id = submit (f, "notes.txt", &task, 1);
  assert_job_ends (f, job_id, 4);
  assert_task_error (json_array_get_object_element (get_tasks (f, job_id, &reply), 0),
                     "ErrorExecutingTaskUnsupportedFormat", "notes.txt");
}

static void
test_unsupported_preset (Fixture      *f,
                         gconstpointer data)
{
  const TaskSpec tasks[] = {
    { MES_ID,
      "{\"Version\":1.0,\"Codecs\":[{\"Type\":\"HEVCVideo\",\"HEVCLayers\":[{\"Bitrate\":1000}]}],"
      "\"Outputs\":[{\"FileName\":\"{Basename}.mp4\",\"Format\":{\"Type\":\"MP4Format\"}}]}",
      "JobInputAsset(0)", "JobOutputAsset(0)" },
  };
  const TaskSpec premium[] = {
    { PREMIUM_ID, "", "JobInputAsset(0)", "JobOutputAsset(0)" },
  };
  g_autofree char *job_id = NULL;
  g_autofree char *premium_id = NULL;
  g_autoptr(Reply) reply = NULL;
  g_autoptr(Reply) premium_reply = NULL;

  start (f, NULL);
  job_id = submit (f, "source-720p.mp4", tasks, 1);
  premium_id = submit (f, "source-720p.mp4", premium, 1);

  assert_job_ends (f, job_id, 4);
  assert_task_error (json_array_get_object_element (get_tasks (f, job_id, &reply), 0), "ErrorParsingConfiguration",
                     "HEVCVideo");

  assert_job_ends (f, premium_id, 4);
  assert_task_error (json_array_get_object_element (get_tasks (f, premium_id, &premium_reply), 0),
                     "ErrorProcessingTask", "not available on the Local service");
}

/* An emulator whose GStreamer has no plugins at all: the task fails and
 * the message names the element and the package to install.
 */
static void
test_missing_element (Fixture      *f,
                      gconstpointer data)
{
  const TaskSpec   task = { MES_ID, "H264 Single Bitrate 720p", "JobInputAsset(0)", "JobOutputAsset(0)" };
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_NONE);
  g_autofree char *empty = g_build_filename (f->data_dir, "no-plugins", NULL);
  g_autofree char *registry = g_build_filename (f->data_dir, "registry.bin", NULL);
  g_autofree char *job_id = NULL;
  g_autoptr(Reply) reply = NULL;

  g_assert_cmpint (g_mkdir_with_parents (empty, 0700), ==, 0);
  g_subprocess_launcher_setenv (launcher, "GST_PLUGIN_SYSTEM_PATH_1_0", empty, TRUE);
  g_subprocess_launcher_setenv (launcher, "GST_PLUGIN_SYSTEM_PATH", empty, TRUE);
  g_subprocess_launcher_setenv (launcher, "GST_PLUGIN_PATH_1_0", empty, TRUE);
  g_subprocess_launcher_setenv (launcher, "GST_PLUGIN_PATH", empty, TRUE);
  g_subprocess_launcher_setenv (launcher, "GST_REGISTRY_1_0", registry, TRUE);
  g_subprocess_launcher_setenv (launcher, "GST_REGISTRY", registry, TRUE);

  start (f, launcher);
  job_id = submit (f, "source-720p.mp4", &task, 1);
  assert_job_ends (f, job_id, 4);
  assert_task_error (json_array_get_object_element (get_tasks (f, job_id, &reply), 0), "ErrorProcessingTask",
                     "gstreamer1.0-plugins-");
}

int
main (int   argc,
      char *argv[])
{
  const char *const needed[] = { "videotestsrc", "audiotestsrc", "x264enc", "avenc_aac", "mp4mux", "h264parse",
                                 "aacparse", "uridecodebin", "jpegenc", NULL };
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *clip = NULL;
  g_autofree char *long_clip = NULL;
  g_autofree char *small_clip = NULL;
  g_autofree char *notes = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);
  gst_init (&argc, &argv);

  if (media_fixture_skip_without (needed))
    return 77;

  dir = g_dir_make_tmp ("jobgraph-clips-XXXXXX", &error);
  g_assert_no_error (error);
  clip_dir = dir;
  clip = media_fixture_make_clip (dir, "source-720p.mp4", 1280, 720, 2);
  small_clip = media_fixture_make_clip (dir, "source-360p.mp4", 640, 360, 1);
  long_clip = media_fixture_make_clip (dir, "source-long.mp4", 1280, 720, 12);
  notes = g_build_filename (dir, "notes.txt", NULL);
  g_file_set_contents (notes, "Shot list: 1. wide, 2. close-up\n", -1, &error);
  g_assert_no_error (error);

#define ADD(path, assets, func) \
  g_test_add ("/jobgraph/emulator/encoding/" path, Fixture, assets, fixture_set_up, func, fixture_tear_down)

  ADD ("single-bitrate", source_720p, test_single_bitrate);
  ADD ("chain-to-thumbnails", source_360p, test_chain_to_thumbnails);
  ADD ("example-chain", source_360p, test_example_chain);
  ADD ("cancel", source_long, test_cancel);
  ADD ("restart", source_long, test_restart);
  ADD ("unsupported-input", not_media, test_unsupported_input);
  ADD ("unsupported-preset", source_720p, test_unsupported_preset);
  ADD ("missing-element", source_720p, test_missing_element);

#undef ADD

  status = g_test_run ();

  remove_tree (dir);

  return status;
}
