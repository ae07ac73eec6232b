/* dengon-call-panel.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "dengon-call-enums.h"
#include "dengon-call-panel.h"
#include "dengon-caller-lookup.h"
#include "dengon-contact.h"
#include "dengon-format.h"
#include "dengon-json.h"
#include "dengon-memo.h"
#include "dengon-phone.h"
#include "dengon-script-library.h"
#include "dengon-script-runner.h"
#include "dengon-ui-utils.h"
#include "dengon-window.h"

/* Drafts are written this long after the last change: every keystroke is kept, without a disk
 * write per keystroke. */
#define DRAFT_DELAY_MS 300
/* The number typed for a call without caller id is looked up after this pause. */
#define LOOKUP_DELAY_MS 250

struct _DengonCallPanel
{
  GtkWidget parent_instance;

  /* Template widgets */
  GtkWidget *root_box;
  GtkLabel *direction_label;
  GtkLabel *number_label;
  GtkLabel *kind_label;
  GtkWidget *number_box;
  GtkEntry *number_entry;
  GtkLabel *phone_name_label;
  GtkLabel *known_label;
  GtkLabel *known_detail_label;
  GtkWidget *contact_tags_box;
  GtkLabel *segment_label;
  GtkLabel *quadrant_label;
  GtkLabel *owner_label;
  GtkCheckButton *add_contact_check;
  GtkLabel *open_heading;
  GtkLabel *regarding_heading;
  GtkListBox *regarding_list;
  GtkListBox *open_list;
  GtkLabel *recent_heading;
  GtkListBox *recent_list;
  GtkLabel *step_label;
  GtkDropDown *script_dropdown;
  GtkToggleButton *quick_button;
  GtkLabel *problem_label;
  GtkLabel *say_label;
  GtkLabel *hint_label;
  GtkScrolledWindow *fields_scroller;
  GtkBox *fields_box;
  GtkLabel *error_label;
  GtkButton *back_button;
  GtkButton *discard_button;
  GtkButton *next_button;
  GtkButton *save_button;

  /* Owned */
  DengonCall *call;
  DengonScriptRunner *runner;
  GPtrArray *scripts;        /* DengonScript offered in the drop-down */
  GHashTable *field_widgets; /* field id -> the widget that takes it */
  GCancellable *cancellable;
  DengonCallerInfo *caller_info;
  char *built_for; /* which form the fields box shows */
  guint draft_source;
  guint lookup_source;

  /* Unowned */
  DengonApplication *application;

  guint saving : 1;
  guint draft_writing : 1;
  guint draft_dirty : 1;
  guint ended : 1;
  guint updating : 1;
  guint looked_up : 1;
};

enum
{
  PROP_0,
  PROP_CALL,
  PROP_LOOKED_UP,
  N_PROPS
};

G_DEFINE_FINAL_TYPE (DengonCallPanel, dengon_call_panel, GTK_TYPE_WIDGET)

static GParamSpec *properties[N_PROPS];

static void dengon_call_panel_update (DengonCallPanel *self);
static void dengon_call_panel_schedule_draft (DengonCallPanel *self);
static void dengon_call_panel_next (DengonCallPanel *self);

char *
dengon_call_panel_draft_id (DengonCall *call)
{
  return g_strconcat (DENGON_CALL_DRAFT_PREFIX, dengon_call_get_id (call), NULL);
}

static DengonStore *
get_store (DengonCallPanel *self)
{
  return dengon_application_get_store (self->application);
}

static const char *
get_desk_staff (DengonCallPanel *self)
{
  GSettings *settings =
      dengon_settings_get_gsettings (dengon_application_get_settings (self->application));
  g_autofree char *id = g_settings_get_string (settings, "desk-staff-id");
  GPtrArray *staff = dengon_application_get_staff (self->application);

  /* Only a person on the staff list can take a memo. */
  for (guint i = 0; i < staff->len; i++)
    {
      const char *staff_id = dengon_json_get_string (g_ptr_array_index (staff, i), "_id");

      if (g_strcmp0 (staff_id, id) == 0)
        return staff_id;
    }

  return NULL;
}

/* ------------------------------------------------------------------ caller column */

static char *
format_when (const char *created_at)
{
  g_autoptr (GDateTime) utc = dengon_json_parse_timestamp (created_at);
  g_autoptr (GDateTime) local = NULL;
  g_autoptr (GDateTime) now = g_date_time_new_now_local ();

  if (utc == NULL)
    return g_strdup ("");
  local = g_date_time_to_local (utc);

  if (g_date_time_get_year (local) == g_date_time_get_year (now) &&
      g_date_time_get_day_of_year (local) == g_date_time_get_day_of_year (now))
    /* Translators: a time today, as in "Today 14:05" */
    return g_date_time_format (local, _ ("Today %H:%M"));

  /* Translators: a date and time, strftime format: "3/5 14:05" */
  return g_date_time_format (local, _ ("%-m/%-d %H:%M"));
}

static const char *
staff_name (DengonCallPanel *self, const char *id)
{
  GPtrArray *staff = dengon_application_get_staff (self->application);

  for (guint i = 0; id != NULL && i < staff->len; i++)
    {
      JsonObject *doc = g_ptr_array_index (staff, i);

      if (g_strcmp0 (dengon_json_get_string (doc, "_id"), id) == 0)
        return dengon_json_get_string (doc, "name");
    }

  return id != NULL && g_str_has_prefix (id, "staff:") ? id + strlen ("staff:") : id;
}

/* Two labels, not an AdwActionRow: ten rows of history must not slow the first frame. */
static GtkWidget *
memo_row (DengonCallPanel *self, const DengonCallerMemo *memo)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *title;
  GtkWidget *subtitle;
  g_autofree char *when = format_when (memo->created_at);
  g_autoptr (GString) text = g_string_new (NULL);
  g_autoptr (GString) detail = g_string_new (when);

  if (memo->urgent)
    g_string_append_printf (text, "%s ", _ ("Urgent:"));
  g_string_append (text, *memo->summary != '\0' ? memo->summary : _ ("(No message)"));

  g_string_append_printf (detail, " · %s", dengon_memo_status_get_label (memo->status));
  if (memo->for_id != NULL)
    g_string_append_printf (detail, " · %s", staff_name (self, memo->for_id));
  if (memo->caller != NULL)
    g_string_append_printf (detail, " · %s", memo->caller);

  title = gtk_label_new (text->str);
  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_label_set_wrap (GTK_LABEL (title), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (title), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_lines (GTK_LABEL (title), 2);
  gtk_label_set_ellipsize (GTK_LABEL (title), PANGO_ELLIPSIZE_END);
  subtitle = gtk_label_new (detail->str);
  gtk_label_set_xalign (GTK_LABEL (subtitle), 0);
  gtk_label_set_ellipsize (GTK_LABEL (subtitle), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (subtitle, "dim-label");
  gtk_widget_add_css_class (subtitle, "caption");

  gtk_widget_set_margin_top (box, 8);
  gtk_widget_set_margin_bottom (box, 8);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);
  gtk_box_append (GTK_BOX (box), title);
  gtk_box_append (GTK_BOX (box), subtitle);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  gtk_widget_set_focusable (row, FALSE);
  if (memo->urgent)
    gtk_widget_add_css_class (row, "urgent-memo");

  return row;
}

/* @skip: memos already shown above (an open memo is also a last call). Returns how many rows. */
static guint
fill_memo_list (DengonCallPanel *self, GtkListBox *list, GPtrArray *memos, GPtrArray *skip)
{
  GtkWidget *child;
  guint n = 0;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (list))) != NULL)
    gtk_list_box_remove (list, child);

  for (guint i = 0; memos != NULL && i < memos->len; i++)
    {
      const DengonCallerMemo *memo = g_ptr_array_index (memos, i);
      gboolean shown = FALSE;

      for (guint j = 0; skip != NULL && j < skip->len; j++)
        shown |= g_strcmp0 (((DengonCallerMemo *) g_ptr_array_index (skip, j))->id, memo->id) == 0;
      if (shown)
        continue;
      gtk_list_box_append (list, memo_row (self, memo));
      n++;
    }

  gtk_widget_set_visible (GTK_WIDGET (list), n > 0);

  return n;
}

/* The contact card: reading, company and department, the last contact, the segment and the
 * quadrant as pills, and the account owner. */
static void
update_contact_card (DengonCallPanel *self, DengonCallerInfo *info, GString *detail)
{
  static const char *const segment_classes[] = { "segment-new", "segment-existing",
                                                 "segment-dormant" };
  DengonSegment segment = dengon_segment_from_string (info->segment);
  DengonQuadrant quadrant = dengon_quadrant_from_string (info->quadrant);
  JsonObject *office = dengon_application_get_office (self->application);

  if (info->reading != NULL)
    g_string_append (detail, info->reading);
  if (info->department != NULL)
    g_string_append_printf (detail, "%s%s", detail->len > 0 ? "\n" : "", info->department);
  if (info->last_contact_ms > 0)
    {
      g_autoptr (GDateTime) now = g_date_time_new_now_local ();
      g_autofree char *when = dengon_format_day (info->last_contact_ms, now);

      g_string_append_printf (detail, "%s", detail->len > 0 ? "\n" : "");
      g_string_append_printf (detail, _ ("Last contact: %s"), when);
    }
  else
    g_string_append_printf (detail, "%s%s", detail->len > 0 ? "\n" : "",
                            _ ("No memo or call before"));
  if (info->n_contacts > 1)
    {
      g_string_append_printf (detail, "%s", detail->len > 0 ? "\n" : "");
      g_string_append_printf (detail,
                              g_dngettext (GETTEXT_PACKAGE, "%u more contact has this number",
                                           "%u more contacts have this number",
                                           info->n_contacts - 1),
                              info->n_contacts - 1);
    }

  for (guint i = 0; i < G_N_ELEMENTS (segment_classes); i++)
    gtk_widget_remove_css_class (GTK_WIDGET (self->segment_label), segment_classes[i]);
  if (segment != DENGON_SEGMENT_UNKNOWN)
    {
      g_autofree char *text =
          g_strdup_printf (_ ("%s customer"), dengon_segment_get_label (segment));

      gtk_label_set_text (self->segment_label, text);
      gtk_widget_add_css_class (GTK_WIDGET (self->segment_label), segment_classes[segment - 1]);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->segment_label), segment != DENGON_SEGMENT_UNKNOWN);
  gtk_label_set_text (self->quadrant_label, dengon_quadrant_get_label (quadrant, office));
  gtk_widget_set_visible (GTK_WIDGET (self->quadrant_label), quadrant != DENGON_QUADRANT_NONE);
  gtk_widget_set_visible (self->contact_tags_box, TRUE);

  if (info->account_owner != NULL)
    {
      g_autofree char *text =
          g_strdup_printf (_ ("Account owner: %s"), staff_name (self, info->account_owner));

      gtk_label_set_text (self->owner_label, text);
      gtk_widget_set_visible (GTK_WIDGET (self->owner_label), TRUE);
    }
}

/* The account owner is proposed as the person the memo is for: offered, never forced over what
 * was chosen. */
static void
propose_account_owner (DengonCallPanel *self)
{
  DengonCallerInfo *info = self->caller_info;
  const DengonScriptField *for_field;
  GPtrArray *staff = dengon_application_get_staff (self->application);
  gboolean active = FALSE;

  if (self->runner == NULL || info == NULL || info->account_owner == NULL ||
      !dengon_call_is_new (self->call))
    return;
  for (guint i = 0; i < staff->len; i++)
    {
      JsonObject *doc = g_ptr_array_index (staff, i);

      if (g_strcmp0 (dengon_json_get_string (doc, "_id"), info->account_owner) == 0)
        active = dengon_json_get_boolean (doc, "active", TRUE);
    }
  if (!active)
    return;

  for_field = dengon_script_find_target (dengon_script_runner_get_script (self->runner),
                                         DENGON_SCRIPT_TARGET_FOR);
  if (for_field == NULL || dengon_script_runner_get_answer (self->runner, for_field->id) != NULL)
    return;

  self->updating = TRUE;
  dengon_script_runner_set_answer (self->runner, for_field->id, info->account_owner);
  self->updating = FALSE;
  g_clear_pointer (&self->built_for, g_free);
  dengon_call_panel_update (self);
}

/* A call back shows first the memo it answers: the number dialled may be one the caller left,
 * with none of this memo's history. Returns it (or %NULL) so the lists below skip it. */
static GPtrArray *
update_regarding (DengonCallPanel *self)
{
  const char *id = dengon_call_get_regarding (self->call);
  g_autoptr (JsonObject) doc = NULL;
  GPtrArray *shown = NULL;

  if (id != NULL && get_store (self) != NULL)
    doc = dengon_store_get (get_store (self), id, NULL);
  if (doc != NULL)
    {
      shown = g_ptr_array_new_with_free_func ((GDestroyNotify) dengon_caller_memo_free);
      g_ptr_array_add (shown, dengon_caller_memo_new (doc));
    }
  gtk_widget_set_visible (GTK_WIDGET (self->regarding_heading),
                          fill_memo_list (self, self->regarding_list, shown, NULL) > 0);

  /* Who is being called back is known: the script starts with their name and company. */
  if (doc != NULL && self->runner != NULL && dengon_call_is_new (self->call))
    {
      JsonObject *caller = dengon_json_get_object (doc, "caller");
      DengonScript *script = dengon_script_runner_get_script (self->runner);
      const DengonScriptField *name_field =
          dengon_script_find_target (script, DENGON_SCRIPT_TARGET_CALLER_NAME);
      const DengonScriptField *company_field =
          dengon_script_find_target (script, DENGON_SCRIPT_TARGET_CALLER_COMPANY);
      const char *name = caller != NULL ? dengon_json_get_string (caller, "name") : NULL;
      const char *company = caller != NULL ? dengon_json_get_string (caller, "company") : NULL;
      gboolean changed = FALSE;

      self->updating = TRUE;
      if (name_field != NULL && name != NULL &&
          dengon_script_runner_get_answer (self->runner, name_field->id) == NULL)
        {
          dengon_script_runner_set_answer (self->runner, name_field->id, name);
          changed = TRUE;
        }
      if (company_field != NULL && company != NULL &&
          dengon_script_runner_get_answer (self->runner, company_field->id) == NULL)
        {
          dengon_script_runner_set_answer (self->runner, company_field->id, company);
          changed = TRUE;
        }
      self->updating = FALSE;
      if (changed)
        {
          g_clear_pointer (&self->built_for, g_free);
          dengon_call_panel_update (self);
        }
    }
  return shown;
}

static void
update_caller_info (DengonCallPanel *self)
{
  DengonCallerInfo *info = self->caller_info;
  const char *number = dengon_call_get_number (self->call);
  g_autoptr (GPtrArray) regarding = update_regarding (self);

  gtk_widget_set_visible (GTK_WIDGET (self->known_detail_label), FALSE);
  gtk_widget_set_visible (self->contact_tags_box, FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->owner_label), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->add_contact_check), info != NULL && number != NULL &&
                                                                    info->contact_id == NULL &&
                                                                    info->number_key != NULL);

  if (number == NULL)
    {
      gtk_label_set_text (self->known_label, _ ("No number to look up"));
      fill_memo_list (self, self->open_list, NULL, NULL);
      fill_memo_list (self, self->recent_list, NULL, NULL);
      gtk_widget_set_visible (GTK_WIDGET (self->open_heading), FALSE);
      gtk_widget_set_visible (GTK_WIDGET (self->recent_heading), FALSE);
      return;
    }

  if (info == NULL)
    {
      gtk_label_set_text (self->known_label, _ ("Looking up…"));
      return;
    }

  if (!dengon_caller_info_is_known (info))
    {
      gtk_label_set_text (self->known_label, _ ("First Call From This Number"));
      gtk_label_set_text (self->known_detail_label, _ ("No earlier memos of this number."));
      gtk_widget_set_visible (GTK_WIDGET (self->known_detail_label), TRUE);
    }
  else
    {
      g_autoptr (GString) detail = g_string_new (NULL);

      if (info->name != NULL && info->company != NULL)
        {
          g_autofree char *text = g_strdup_printf (_ ("%s (%s)"), info->name, info->company);

          gtk_label_set_text (self->known_label, text);
        }
      else if (info->name != NULL || info->company != NULL)
        gtk_label_set_text (self->known_label, info->name != NULL ? info->name : info->company);
      else
        gtk_label_set_text (self->known_label, _ ("Has Called Before"));

      if (info->contact_id != NULL)
        update_contact_card (self, info, detail);
      if (g_strcmp0 (info->source, "memo") == 0)
        g_string_append_printf (detail, "%s%s", detail->len > 0 ? "\n" : "",
                                _ ("Known from earlier memos"));
      gtk_label_set_text (self->known_detail_label, detail->str);
      gtk_widget_set_visible (GTK_WIDGET (self->known_detail_label), detail->len > 0);
    }

  {
    g_autofree char *heading = NULL;
    guint n_listed = fill_memo_list (self, self->open_list, info->open_memos, regarding);
    /* The memo being answered is shown above, not counted again. */
    guint n_open = info->n_open - (info->open_memos->len - MIN (n_listed, info->open_memos->len));

    if (n_open == 0)
      heading = g_strdup (_ ("No Open Memos"));
    else if (n_open >= 100)
      heading = g_strdup (_ ("99+ Open Memos"));
    else
      heading = g_strdup_printf (
          g_dngettext (GETTEXT_PACKAGE, "%u Open Memo", "%u Open Memos", n_open), n_open);
    gtk_label_set_text (self->open_heading, heading);
    /* "No open memos" under the memo being called back about would read as a contradiction. */
    gtk_widget_set_visible (GTK_WIDGET (self->open_heading), n_open > 0 || regarding == NULL);
  }
  {
    /* Each memo once: the one answered, the open ones, then the last calls. */
    g_autoptr (GPtrArray) above = g_ptr_array_new ();

    if (regarding != NULL)
      g_ptr_array_extend (above, regarding, NULL, NULL);
    g_ptr_array_extend (above, info->open_memos, NULL, NULL);
    gtk_widget_set_visible (GTK_WIDGET (self->recent_heading),
                            fill_memo_list (self, self->recent_list, info->recent_memos, above) >
                                0);
  }

  /* A known caller's name is offered in the script, never forced over what was typed. */
  if (self->runner != NULL && info->name != NULL)
    {
      const DengonScriptField *name_field = dengon_script_find_target (
          dengon_script_runner_get_script (self->runner), DENGON_SCRIPT_TARGET_CALLER_NAME);
      const DengonScriptField *company_field = dengon_script_find_target (
          dengon_script_runner_get_script (self->runner), DENGON_SCRIPT_TARGET_CALLER_COMPANY);

      if (name_field != NULL &&
          dengon_script_runner_get_answer (self->runner, name_field->id) == NULL &&
          dengon_call_is_new (self->call))
        {
          self->updating = TRUE;
          dengon_script_runner_set_answer (self->runner, name_field->id, info->name);
          if (company_field != NULL && info->company != NULL &&
              dengon_script_runner_get_answer (self->runner, company_field->id) == NULL)
            dengon_script_runner_set_answer (self->runner, company_field->id, info->company);
          self->updating = FALSE;
          g_clear_pointer (&self->built_for, g_free);
          dengon_call_panel_update (self);
        }
    }
  propose_account_owner (self);
}

static void
set_looked_up (DengonCallPanel *self, gboolean looked_up)
{
  if (self->looked_up == (guint) looked_up)
    return;

  self->looked_up = looked_up;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOOKED_UP]);
}

static gpointer
lookup_thread (DengonStore *store, gpointer data, GCancellable *cancellable, GError **error)
{
  return dengon_caller_lookup (store, data, error);
}

static void
on_lookup_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (DengonCallPanel) self = user_data;
  g_autoptr (GError) error = NULL;
  DengonCallerInfo *info = dengon_store_run_finish (DENGON_STORE (source), result, &error);

  if (info == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_warning ("Could not look up the caller: %s", error->message);
      return;
    }

  g_clear_pointer (&self->caller_info, dengon_caller_info_free);
  self->caller_info = info;
  update_caller_info (self);
  set_looked_up (self, TRUE);
}

static void
start_lookup (DengonCallPanel *self)
{
  g_clear_pointer (&self->caller_info, dengon_caller_info_free);
  set_looked_up (self, FALSE);
  update_caller_info (self);

  if (dengon_call_get_number (self->call) == NULL || get_store (self) == NULL)
    {
      set_looked_up (self, TRUE);
      return;
    }

  dengon_store_run_async (get_store (self), lookup_thread,
                          g_strdup (dengon_call_get_number (self->call)), g_free,
                          (GDestroyNotify) dengon_caller_info_free, self->cancellable,
                          on_lookup_done, g_object_ref (self));
}

static void
update_number (DengonCallPanel *self)
{
  const char *number = dengon_call_get_number (self->call);
  const char *name = dengon_call_get_display_name (self->call);
  g_autoptr (DengonPhoneNumber) parsed = NULL;

  if (number != NULL)
    parsed = dengon_phone_number_parse (number, NULL, NULL);

  if (parsed != NULL)
    {
      g_autoptr (GString) kind = g_string_new (dengon_phone_kind_to_string (parsed->kind));

      gtk_label_set_text (self->number_label, parsed->display);
      if (parsed->description != NULL)
        g_string_append_printf (kind, " · %s", parsed->description);
      if (parsed->extension != NULL)
        g_string_append_printf (kind, " · %s %s", _ ("Extension"), parsed->extension);
      gtk_label_set_text (self->kind_label, kind->str);
    }
  else
    {
      gtk_label_set_text (self->number_label, number != NULL ? number : _ ("No Caller ID"));
      gtk_label_set_text (self->kind_label, number != NULL
                                                ? _ ("Unknown number")
                                                : _ ("The phone did not send a number."));
    }

  if (dengon_call_get_line (self->call) != NULL)
    {
      g_autofree char *text =
          g_strdup_printf (_ ("%s · on line %s"), gtk_label_get_text (self->kind_label),
                           dengon_call_get_line (self->call));

      gtk_label_set_text (self->kind_label, text);
    }

  /* The name a phone sends is not checked by anybody: say where it comes from. An outgoing
   * call's name is the one it was dialled for (a memo, a contact). */
  if (name != NULL)
    {
      g_autofree char *text =
          g_strdup_printf (dengon_call_get_direction (self->call) == DENGON_CALL_DIRECTION_OUT
                               ? _ ("Calling: %s")
                               : _ ("Name sent by the phone: %s"),
                           name);

      gtk_label_set_text (self->phone_name_label, text);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->phone_name_label), name != NULL);

  /* Nobody to look up: the person at the desk can type the number the caller gives. */
  gtk_widget_set_visible (self->number_box,
                          number == NULL ||
                              g_strcmp0 (dengon_call_get_source (self->call), "button") == 0);

  if (self->runner != NULL)
    {
      gboolean was_updating = self->updating;

      /* Context, not input: the call stays new. */
      self->updating = TRUE;
      dengon_script_runner_set_placeholder (self->runner, "number",
                                            parsed != NULL ? parsed->display : number);
      self->updating = was_updating;
      dengon_call_panel_update (self);
    }
}

static gboolean
lookup_typed_number (gpointer user_data)
{
  DengonCallPanel *self = user_data;

  self->lookup_source = 0;
  dengon_call_set_number (self->call, gtk_editable_get_text (GTK_EDITABLE (self->number_entry)));

  return G_SOURCE_REMOVE;
}

static void
on_number_entry_changed (DengonCallPanel *self)
{
  if (self->updating)
    return;

  g_clear_handle_id (&self->lookup_source, g_source_remove);
  self->lookup_source = g_timeout_add (LOOKUP_DELAY_MS, lookup_typed_number, self);
}

static void
on_call_number_changed (DengonCallPanel *self)
{
  update_number (self);
  start_lookup (self);
  dengon_call_panel_schedule_draft (self);
}

/* ------------------------------------------------------------------ fields */

static void
set_error (DengonCallPanel *self, const char *message)
{
  gtk_label_set_text (self->error_label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
}

/* A list of choices takes the focus on its chosen row (or its first): arrows move, Enter chooses.
 */
static void
focus_input (GtkWidget *input)
{
  if (GTK_IS_LIST_BOX (input))
    {
      GtkWidget *target = NULL;

      for (GtkWidget *row = gtk_widget_get_first_child (input); row != NULL;
           row = gtk_widget_get_next_sibling (row))
        {
          if (target == NULL || gtk_widget_has_css_class (row, "selected-choice"))
            target = row;
          if (gtk_widget_has_css_class (row, "selected-choice"))
            break;
        }
      if (target != NULL)
        {
          gtk_widget_grab_focus (target);
          return;
        }
    }

  gtk_widget_grab_focus (input);
}

static void
focus_after (DengonCallPanel *self, const DengonScriptField *field)
{
  GtkWidget *widget = g_hash_table_lookup (self->field_widgets, field->id);
  GtkWidget *container = g_object_get_data (G_OBJECT (widget), "dengon-box");
  GtkWidget *next = container != NULL ? gtk_widget_get_next_sibling (container) : NULL;

  if (next == NULL)
    {
      dengon_call_panel_next (self);
      return;
    }

  focus_input (g_object_get_data (G_OBJECT (next), "dengon-input"));
}

static void
on_entry_changed (GtkEditable *editable, DengonCallPanel *self)
{
  const DengonScriptField *field = g_object_get_data (G_OBJECT (editable), "dengon-field");
  GtkLabel *preview = g_object_get_data (G_OBJECT (editable), "dengon-preview");

  if (self->updating)
    return;

  dengon_script_runner_set_answer (self->runner, field->id, gtk_editable_get_text (editable));

  /* Show how a date-time was understood while it is typed. */
  if (preview != NULL)
    {
      g_autofree char *text = dengon_script_runner_format_answer (self->runner, field->id);
      g_autoptr (GError) error = NULL;

      if (text == NULL || !dengon_script_runner_validate_field (self->runner, field, &error))
        gtk_label_set_text (preview, "");
      else
        {
          g_autofree char *arrow = g_strdup_printf ("→ %s", text);

          gtk_label_set_text (preview, arrow);
        }
    }
}

static void
on_entry_activate (GtkEntry *entry, DengonCallPanel *self)
{
  focus_after (self, g_object_get_data (G_OBJECT (entry), "dengon-field"));
}

static void
on_text_buffer_changed (GtkTextBuffer *buffer, DengonCallPanel *self)
{
  const DengonScriptField *field = g_object_get_data (G_OBJECT (buffer), "dengon-field");
  GtkTextIter start, end;
  g_autofree char *text = NULL;

  if (self->updating)
    return;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  text = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
  dengon_script_runner_set_answer (self->runner, field->id, text);
}

static void
update_choice_rows (GtkListBox *list, const char *value)
{
  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (list)); row != NULL;
       row = gtk_widget_get_next_sibling (row))
    {
      GtkWidget *check = g_object_get_data (G_OBJECT (row), "dengon-check");
      const char *row_value = g_object_get_data (G_OBJECT (row), "dengon-value");
      gboolean selected = g_strcmp0 (row_value, value) == 0;

      if (check == NULL)
        continue;
      gtk_widget_set_opacity (check, selected ? 1.0 : 0.0);
      gtk_accessible_update_state (
          GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_STATE_CHECKED,
          selected ? GTK_ACCESSIBLE_TRISTATE_TRUE : GTK_ACCESSIBLE_TRISTATE_FALSE, -1);
      if (selected)
        gtk_widget_add_css_class (row, "selected-choice");
      else
        gtk_widget_remove_css_class (row, "selected-choice");
    }
}

static void
on_choice_activated (GtkListBox *list, GtkListBoxRow *row, DengonCallPanel *self)
{
  const DengonScriptField *field = g_object_get_data (G_OBJECT (list), "dengon-field");
  const char *value = g_object_get_data (G_OBJECT (row), "dengon-value");

  dengon_script_runner_set_answer (self->runner, field->id, value);
  update_choice_rows (list, value);

  /* Enter on a choice answers it and goes on. */
  focus_after (self, field);
}

/* A list of choices is one Tab stop, like a group of radio buttons: Tab leaves it for the next
 * field (or the Next button), Shift+Tab for the previous one; the arrows move inside it. */
static gboolean
on_choice_key_pressed (GtkEventControllerKey *controller, guint keyval, guint keycode,
                       GdkModifierType state, DengonCallPanel *self)
{
  GtkWidget *list = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (controller));
  GtkWidget *box = g_object_get_data (G_OBJECT (list), "dengon-box");
  GtkWidget *target;

  if (keyval != GDK_KEY_Tab && keyval != GDK_KEY_ISO_Left_Tab && keyval != GDK_KEY_KP_Tab)
    return GDK_EVENT_PROPAGATE;
  if ((state & (GDK_CONTROL_MASK | GDK_ALT_MASK)) != 0)
    return GDK_EVENT_PROPAGATE;

  if (keyval == GDK_KEY_ISO_Left_Tab || (state & GDK_SHIFT_MASK) != 0)
    {
      target = box != NULL ? gtk_widget_get_prev_sibling (box) : NULL;
      if (target == NULL)
        return GDK_EVENT_PROPAGATE;
    }
  else
    {
      target = box != NULL ? gtk_widget_get_next_sibling (box) : NULL;
      if (target == NULL)
        {
          gtk_widget_grab_focus (GTK_WIDGET (self->next_button));
          return GDK_EVENT_STOP;
        }
    }

  focus_input (g_object_get_data (G_OBJECT (target), "dengon-input"));

  return GDK_EVENT_STOP;
}

static GtkWidget *
choice_row (const char *label, const char *value)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *check = gtk_image_new_from_icon_name ("object-select-symbolic");
  GtkWidget *text = gtk_label_new (label);

  gtk_widget_set_margin_top (box, 10);
  gtk_widget_set_margin_bottom (box, 10);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);
  gtk_label_set_xalign (GTK_LABEL (text), 0);
  gtk_label_set_wrap (GTK_LABEL (text), TRUE);
  gtk_widget_set_hexpand (text, TRUE);
  gtk_widget_add_css_class (text, "choice-label");
  gtk_widget_set_opacity (check, 0.0);
  gtk_box_append (GTK_BOX (box), check);
  gtk_box_append (GTK_BOX (box), text);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
  g_object_set_data_full (G_OBJECT (row), "dengon-value", g_strdup (value), g_free);
  g_object_set_data (G_OBJECT (row), "dengon-check", check);

  return row;
}

static GtkWidget *
build_field (DengonCallPanel *self, const DengonScriptField *field)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *header = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *label = gtk_label_new (field->label);
  const char *answer = dengon_script_runner_get_answer (self->runner, field->id);
  GtkWidget *input = NULL;

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_widget_add_css_class (label, "heading");
  gtk_box_append (GTK_BOX (header), label);
  if (field->required)
    {
      GtkWidget *required = gtk_label_new (_ ("Required"));

      gtk_widget_add_css_class (required, "dim-label");
      gtk_widget_add_css_class (required, "caption");
      gtk_box_append (GTK_BOX (header), required);
    }
  gtk_box_append (GTK_BOX (box), header);

  switch (field->type)
    {
      case DENGON_SCRIPT_FIELD_MULTILINE:
        {
          GtkWidget *scroller = gtk_scrolled_window_new ();
          GtkWidget *view = gtk_text_view_new ();
          GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (view));

          gtk_text_view_set_wrap_mode (GTK_TEXT_VIEW (view), GTK_WRAP_WORD_CHAR);
          gtk_text_view_set_accepts_tab (GTK_TEXT_VIEW (view), FALSE);
          gtk_text_view_set_top_margin (GTK_TEXT_VIEW (view), 8);
          gtk_text_view_set_bottom_margin (GTK_TEXT_VIEW (view), 8);
          gtk_text_view_set_left_margin (GTK_TEXT_VIEW (view), 8);
          gtk_text_view_set_right_margin (GTK_TEXT_VIEW (view), 8);
          gtk_widget_add_css_class (view, "field-text");
          gtk_scrolled_window_set_min_content_height (GTK_SCROLLED_WINDOW (scroller), 110);
          gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroller), GTK_POLICY_NEVER,
                                          GTK_POLICY_AUTOMATIC);
          gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), view);
          gtk_widget_add_css_class (scroller, "card");
          gtk_text_buffer_set_text (buffer, answer != NULL ? answer : "", -1);
          g_object_set_data (G_OBJECT (buffer), "dengon-field", (gpointer) field);
          g_signal_connect (buffer, "changed", G_CALLBACK (on_text_buffer_changed), self);
          gtk_box_append (GTK_BOX (box), scroller);
          input = view;
          break;
        }

      case DENGON_SCRIPT_FIELD_CHOICE:
      case DENGON_SCRIPT_FIELD_YES_NO:
      case DENGON_SCRIPT_FIELD_STAFF:
        {
          GtkWidget *list = gtk_list_box_new ();

          gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
          gtk_widget_add_css_class (list, "boxed-list");
          if (field->type == DENGON_SCRIPT_FIELD_STAFF)
            {
              GPtrArray *staff = dengon_application_get_staff (self->application);

              for (guint i = 0; i < staff->len; i++)
                {
                  JsonObject *doc = g_ptr_array_index (staff, i);
                  const char *name = dengon_json_get_string (doc, "name");
                  const char *extension = dengon_json_get_string (doc, "extension");
                  g_autofree char *text =
                      extension != NULL ? g_strdup_printf (_ ("%s (ext. %s)"), name, extension)
                                        : g_strdup (name);

                  gtk_list_box_append (GTK_LIST_BOX (list),
                                       choice_row (text, dengon_json_get_string (doc, "_id")));
                }
              if (!field->required || staff->len == 0)
                gtk_list_box_append (GTK_LIST_BOX (list),
                                     choice_row (staff->len == 0
                                                     ? _ ("Nobody on the staff list yet")
                                                     : _ ("Nobody in particular"),
                                                 NULL));
            }
          else
            {
              for (guint i = 0; i < field->options->len; i++)
                {
                  const DengonScriptOption *option = g_ptr_array_index (field->options, i);

                  gtk_list_box_append (GTK_LIST_BOX (list),
                                       choice_row (option->label, option->value));
                }
            }
          gtk_accessible_update_property (GTK_ACCESSIBLE (list), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                          field->label, -1);
          g_object_set_data (G_OBJECT (list), "dengon-field", (gpointer) field);
          update_choice_rows (GTK_LIST_BOX (list), answer);
          g_signal_connect (list, "row-activated", G_CALLBACK (on_choice_activated), self);
          {
            GtkEventController *keys = gtk_event_controller_key_new ();

            gtk_event_controller_set_propagation_phase (keys, GTK_PHASE_CAPTURE);
            g_signal_connect (keys, "key-pressed", G_CALLBACK (on_choice_key_pressed), self);
            gtk_widget_add_controller (list, keys);
          }
          gtk_box_append (GTK_BOX (box), list);
          input = list;
          break;
        }

      case DENGON_SCRIPT_FIELD_TEXT:
      case DENGON_SCRIPT_FIELD_PHONE:
      case DENGON_SCRIPT_FIELD_DATETIME:
      default:
        {
          GtkWidget *entry = gtk_entry_new ();

          gtk_editable_set_text (GTK_EDITABLE (entry), answer != NULL ? answer : "");
          if (field->hint != NULL)
            gtk_entry_set_placeholder_text (GTK_ENTRY (entry), field->hint);
          if (field->type == DENGON_SCRIPT_FIELD_PHONE)
            gtk_entry_set_input_purpose (GTK_ENTRY (entry), GTK_INPUT_PURPOSE_PHONE);
          gtk_entry_set_max_length (GTK_ENTRY (entry), field->max_chars);
          gtk_widget_add_css_class (entry, "field-entry");
          g_object_set_data (G_OBJECT (entry), "dengon-field", (gpointer) field);
          g_signal_connect (entry, "changed", G_CALLBACK (on_entry_changed), self);
          g_signal_connect (entry, "activate", G_CALLBACK (on_entry_activate), self);
          gtk_box_append (GTK_BOX (box), entry);
          input = entry;

          if (field->type == DENGON_SCRIPT_FIELD_DATETIME)
            {
              GtkWidget *preview = gtk_label_new (NULL);

              gtk_label_set_xalign (GTK_LABEL (preview), 0);
              gtk_widget_add_css_class (preview, "dim-label");
              gtk_box_append (GTK_BOX (box), preview);
              g_object_set_data (G_OBJECT (entry), "dengon-preview", preview);
              on_entry_changed (GTK_EDITABLE (entry), self);
            }
          break;
        }
    }

  /* A screen reader names each input by its visible label. */
  gtk_accessible_update_property (GTK_ACCESSIBLE (input), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  field->label, -1);
  g_object_set_data (G_OBJECT (input), "dengon-box", box);
  g_object_set_data (G_OBJECT (box), "dengon-input", input);
  g_hash_table_insert (self->field_widgets, g_strdup (field->id), input);

  return box;
}

static char *
form_key (DengonCallPanel *self)
{
  return g_strdup_printf ("%p:%s:%u", dengon_script_runner_get_script (self->runner),
                          dengon_script_runner_get_quick (self->runner) ? "quick" : "step",
                          dengon_script_runner_get_step_index (self->runner));
}

static void
rebuild_fields (DengonCallPanel *self)
{
  g_autoptr (GPtrArray) fields = NULL;
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->fields_box))) != NULL)
    gtk_box_remove (self->fields_box, child);
  g_hash_table_remove_all (self->field_widgets);

  self->updating = TRUE;
  if (dengon_script_runner_get_quick (self->runner))
    fields = dengon_script_runner_get_active_fields (self->runner);
  else
    fields = g_ptr_array_ref (dengon_script_runner_get_step (self->runner)->fields);

  for (guint i = 0; i < fields->len; i++)
    gtk_box_append (self->fields_box, build_field (self, g_ptr_array_index (fields, i)));
  self->updating = FALSE;

  gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (self->fields_scroller), 0);
}

/* ------------------------------------------------------------------ redraw */

static void
dengon_call_panel_update (DengonCallPanel *self)
{
  DengonCallState state = dengon_call_get_state (self->call);
  g_autofree char *key = NULL;
  g_autofree char *say = NULL;
  g_autofree char *hint = NULL;
  g_autofree char *step = NULL;
  gboolean finished, quick;

  switch (state)
    {
      case DENGON_CALL_STATE_RINGING:
        gtk_label_set_text (self->direction_label, _ ("Incoming Call"));
        break;
      case DENGON_CALL_STATE_DIALING:
        gtk_label_set_text (self->direction_label, _ ("Outgoing Call"));
        break;
      case DENGON_CALL_STATE_ACTIVE:
        gtk_label_set_text (self->direction_label,
                            dengon_call_get_direction (self->call) == DENGON_CALL_DIRECTION_OUT
                                ? _ ("Outgoing Call · Taking Notes")
                                : _ ("Incoming Call · Taking a Message"));
        break;
      case DENGON_CALL_STATE_ENDED:
        gtk_label_set_text (self->direction_label, _ ("Call Ended"));
        break;
      default:
        g_assert_not_reached ();
    }
  gtk_widget_set_sensitive (self->root_box, state != DENGON_CALL_STATE_ENDED && !self->saving);

  if (self->runner == NULL)
    return;

  key = form_key (self);
  if (g_strcmp0 (key, self->built_for) != 0)
    {
      g_free (self->built_for);
      self->built_for = g_steal_pointer (&key);
      rebuild_fields (self);
      set_error (self, NULL);
    }

  finished = dengon_script_runner_is_finished (self->runner);
  quick = dengon_script_runner_get_quick (self->runner);

  if (quick)
    {
      say = g_strdup (_ ("Quick capture: fill in what the caller said."));
      step = g_strdup (dengon_script_get_name (dengon_script_runner_get_script (self->runner)));
    }
  else
    {
      const DengonScriptStep *current = dengon_script_runner_get_step (self->runner);

      say = dengon_script_runner_get_say_text (self->runner);
      hint = dengon_script_runner_get_hint_text (self->runner);
      /* Translators: the step of the script: "3. Caller" */
      step = g_strdup_printf (_ ("%u. %s"), dengon_script_runner_get_depth (self->runner),
                              current->title);
    }
  if (finished)
    {
      g_free (hint);
      hint = g_strdup (_ ("Done. Save the memo with Ctrl+Enter."));
    }

  gtk_label_set_text (self->say_label, say);
  gtk_widget_set_visible (GTK_WIDGET (self->say_label), *say != '\0');
  gtk_label_set_text (self->hint_label, hint != NULL ? hint : "");
  gtk_widget_set_visible (GTK_WIDGET (self->hint_label), hint != NULL && *hint != '\0');
  gtk_label_set_text (self->step_label, step);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "call.back",
                                 !quick && dengon_script_runner_can_go_back (self->runner));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "call.next", !finished);
  gtk_widget_set_visible (GTK_WIDGET (self->back_button), !quick);
  gtk_widget_set_visible (GTK_WIDGET (self->next_button), !finished);
  if (finished)
    {
      gtk_widget_add_css_class (GTK_WIDGET (self->save_button), "suggested-action");
      gtk_widget_grab_focus (GTK_WIDGET (self->save_button));
    }
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->save_button), "suggested-action");
}

static void
on_runner_changed (DengonCallPanel *self)
{
  if (self->updating)
    return;

  if (dengon_call_is_new (self->call))
    dengon_call_set_state (self->call, DENGON_CALL_STATE_ACTIVE);

  dengon_call_panel_update (self);
  dengon_call_panel_schedule_draft (self);
}

static void
on_call_state_changed (DengonCallPanel *self)
{
  dengon_call_panel_update (self);
}

/* ------------------------------------------------------------------ scripts */

static void
set_runner (DengonCallPanel *self, DengonScript *script, JsonObject *carry)
{
  if (self->runner != NULL)
    g_signal_handlers_disconnect_by_data (self->runner, self);
  g_clear_object (&self->runner);
  g_clear_pointer (&self->built_for, g_free);

  self->runner = dengon_script_runner_new (script);
  g_signal_connect_swapped (self->runner, "changed", G_CALLBACK (on_runner_changed), self);
  self->updating = TRUE;
  {
    JsonObject *office = dengon_application_get_office (self->application);
    g_autofree char *greeting =
        dengon_script_greeting (office, dengon_script_get_language (script), NULL);

    dengon_script_runner_set_placeholder (self->runner, "greeting", greeting);
    dengon_script_runner_set_placeholder (
        self->runner, "office", office != NULL ? dengon_json_get_string (office, "name") : NULL);
  }
  dengon_script_runner_set_staff (self->runner, dengon_application_get_staff (self->application));
  dengon_script_runner_set_desk_staff (self->runner, get_desk_staff (self));

  /* Answers carry over to another script by field id: nothing typed is lost. */
  if (carry != NULL)
    {
      g_autoptr (JsonObject) answers_only = json_object_new ();

      json_object_set_object_member (
          answers_only, "answers",
          dengon_json_object_copy (dengon_json_get_object (carry, "answers")));
      dengon_script_runner_restore_state (self->runner, answers_only);
    }
  self->updating = FALSE;

  update_number (self);
  propose_account_owner (self);
}

static void
on_script_selected (DengonCallPanel *self)
{
  guint position = gtk_drop_down_get_selected (self->script_dropdown);
  g_autoptr (JsonObject) state = NULL;
  DengonScript *script;

  if (self->updating || position >= self->scripts->len)
    return;

  script = g_ptr_array_index (self->scripts, position);
  if (self->runner != NULL && dengon_script_runner_get_script (self->runner) == script)
    return;

  state = self->runner != NULL ? dengon_script_runner_save_state (self->runner) : NULL;
  set_runner (self, script, state);
  dengon_call_panel_update (self);
  dengon_call_panel_schedule_draft (self);
  dengon_call_panel_focus (self);
}

static void
on_quick_toggled (DengonCallPanel *self)
{
  if (self->updating || self->runner == NULL)
    return;

  dengon_script_runner_set_quick (self->runner, gtk_toggle_button_get_active (self->quick_button));
  dengon_call_panel_focus (self);
}

static void
load_scripts (DengonCallPanel *self, const char *wanted_id)
{
  GPtrArray *office_scripts = dengon_application_get_scripts (self->application);
  GPtrArray *problems = dengon_application_get_script_problems (self->application);
  const char *direction =
      dengon_call_get_direction (self->call) == DENGON_CALL_DIRECTION_OUT ? "out" : "in";
  g_autoptr (DengonScript) chosen = NULL;
  g_autoptr (GtkStringList) names = gtk_string_list_new (NULL);
  guint selected = 0;
  gboolean found = FALSE;
  g_autofree char *callback_id = NULL;

  /* Returning a call has its own script ("I'm returning your call"), not the follow-up's
   * "it's been a while"; an office that removed it gets its default outgoing script. */
  if (wanted_id == NULL && g_strcmp0 (dengon_call_get_source (self->call), "callback") == 0)
    wanted_id = callback_id = g_strdup_printf (
        "script:callback-%s",
        g_str_has_prefix (dengon_application_get_script_language (self->application), "ja") ? "ja"
                                                                                            : "en");
  chosen = dengon_script_library_pick (office_scripts, wanted_id,
                                       dengon_application_get_script_language (self->application),
                                       direction);

  g_clear_pointer (&self->scripts, g_ptr_array_unref);
  self->scripts = g_ptr_array_new_with_free_func ((GDestroyNotify) dengon_script_unref);
  for (guint i = 0; i < office_scripts->len; i++)
    {
      DengonScript *script = g_ptr_array_index (office_scripts, i);

      if (g_strcmp0 (dengon_script_get_id (script), dengon_script_get_id (chosen)) == 0)
        {
          /* The shipped copy stands in for a broken office copy of the same id. */
          g_ptr_array_add (self->scripts, dengon_script_ref (chosen));
          selected = self->scripts->len - 1;
          found = TRUE;
        }
      else
        g_ptr_array_add (self->scripts, dengon_script_ref (script));
      gtk_string_list_append (names, dengon_script_get_name (script));
    }
  if (!found)
    {
      g_ptr_array_add (self->scripts, dengon_script_ref (chosen));
      gtk_string_list_append (names, dengon_script_get_name (chosen));
      selected = self->scripts->len - 1;
    }

  self->updating = TRUE;
  gtk_drop_down_set_model (self->script_dropdown, G_LIST_MODEL (names));
  gtk_drop_down_set_selected (self->script_dropdown, selected);
  self->updating = FALSE;

  set_runner (self, chosen, NULL);

  /* A broken script never leaves the panel blank: say so and use the shipped one. */
  if (problems != NULL && problems->len > 0)
    {
      g_autofree char *text = g_strdup_printf (_ ("A script has a mistake and is not offered: %s"),
                                               (const char *) g_ptr_array_index (problems, 0));

      gtk_label_set_text (self->problem_label, text);
      gtk_widget_set_visible (GTK_WIDGET (self->problem_label), TRUE);
    }
}

/* ------------------------------------------------------------------ drafts */

static JsonObject *
build_draft (DengonCallPanel *self)
{
  JsonObject *draft = json_object_new ();
  JsonObject *call = json_object_new ();
  g_autofree char *started = dengon_json_timestamp (dengon_call_get_started_at (self->call));

  json_object_set_string_member (call, "id", dengon_call_get_id (self->call));
  json_object_set_string_member (
      call, "direction",
      dengon_call_get_direction (self->call) == DENGON_CALL_DIRECTION_OUT ? "out" : "in");
  dengon_json_set_string_or_null (call, "number", dengon_call_get_number (self->call));
  dengon_json_set_string_or_null (call, "display_name", dengon_call_get_display_name (self->call));
  dengon_json_set_string_or_null (call, "source", dengon_call_get_source (self->call));
  dengon_json_set_string_or_null (call, "phone_call_id",
                                  dengon_call_get_phone_call_id (self->call));
  dengon_json_set_string_or_null (call, "line", dengon_call_get_line (self->call));
  /* A call back: the memo it answers, marked "called back" when this one is saved. */
  dengon_json_set_string_or_null (call, "regarding", dengon_call_get_regarding (self->call));
  json_object_set_string_member (call, "started_at", started);

  json_object_set_string_member (draft, "type", "call-draft");
  json_object_set_object_member (draft, "call", call);
  json_object_set_object_member (draft, "state", dengon_script_runner_save_state (self->runner));

  return draft;
}

typedef struct
{
  char *id;
  JsonObject *draft; /* NULL: delete */
} DraftWrite;

static void
draft_write_free (DraftWrite *write)
{
  g_free (write->id);
  g_clear_pointer (&write->draft, json_object_unref);
  g_free (write);
}

static gpointer
draft_thread (DengonStore *store, gpointer data, GCancellable *cancellable, GError **error)
{
  DraftWrite *write = data;

  if (write->draft == NULL)
    return dengon_store_delete_local (store, write->id, error) ? GINT_TO_POINTER (1) : NULL;

  return dengon_store_put_local (store, write->id, write->draft, error);
}

static void write_draft (DengonCallPanel *self);

static void
on_draft_written (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (DengonCallPanel) self = user_data;
  g_autoptr (GError) error = NULL;
  gpointer ret = dengon_store_run_finish (DENGON_STORE (source), result, &error);

  if (ret == NULL && error != NULL)
    g_warning ("Could not keep the draft of the call: %s", error->message);

  self->draft_writing = FALSE;
  /* Writes are serial, so the last one wins. */
  if (self->draft_dirty && !self->ended)
    write_draft (self);
}

static void
write_draft (DengonCallPanel *self)
{
  DraftWrite *write;

  if (get_store (self) == NULL || self->runner == NULL)
    return;
  if (self->draft_writing)
    {
      self->draft_dirty = TRUE;
      return;
    }

  self->draft_dirty = FALSE;
  self->draft_writing = TRUE;
  write = g_new0 (DraftWrite, 1);
  write->id = dengon_call_panel_draft_id (self->call);
  write->draft = self->ended ? NULL : build_draft (self);
  /* Not cancellable: a draft write that started must finish. */
  dengon_store_run_async (get_store (self), draft_thread, write, (GDestroyNotify) draft_write_free,
                          NULL, NULL, on_draft_written, g_object_ref (self));
}

static gboolean
on_draft_timeout (gpointer user_data)
{
  DengonCallPanel *self = user_data;

  self->draft_source = 0;
  write_draft (self);

  return G_SOURCE_REMOVE;
}

static void
dengon_call_panel_schedule_draft (DengonCallPanel *self)
{
  if (self->ended || dengon_call_is_new (self->call))
    return;

  g_clear_handle_id (&self->draft_source, g_source_remove);
  self->draft_source = g_timeout_add (DRAFT_DELAY_MS, on_draft_timeout, self);
}

static void
end_call (DengonCallPanel *self, const char *memo_id)
{
  self->ended = TRUE;
  g_clear_handle_id (&self->draft_source, g_source_remove);
  /* The draft goes; a write in flight is followed by the delete. */
  if (self->draft_writing)
    self->draft_dirty = TRUE;
  else
    write_draft (self);

  dengon_call_set_memo_id (self->call, memo_id);
  dengon_call_set_state (self->call, DENGON_CALL_STATE_ENDED);
}

/* ------------------------------------------------------------------ actions */

static void
show_field_error (DengonCallPanel *self, const DengonScriptField *bad, const GError *error)
{
  set_error (self, error->message);
  if (bad != NULL)
    {
      GtkWidget *widget = g_hash_table_lookup (self->field_widgets, bad->id);

      if (widget != NULL)
        focus_input (widget);
    }
}

static void
dengon_call_panel_next (DengonCallPanel *self)
{
  g_autoptr (GError) error = NULL;
  const DengonScriptField *bad = NULL;

  if (self->runner == NULL || dengon_script_runner_is_finished (self->runner))
    return;

  if (!dengon_script_runner_next (self->runner, &bad, &error))
    {
      show_field_error (self, bad, error);
      return;
    }
  set_error (self, NULL);
  dengon_call_panel_focus (self);
}

static void
dengon_call_panel_next_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  dengon_call_panel_next (DENGON_CALL_PANEL (widget));
}

static void
dengon_call_panel_back_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  DengonCallPanel *self = DENGON_CALL_PANEL (widget);

  if (self->runner != NULL && dengon_script_runner_back (self->runner))
    {
      set_error (self, NULL);
      dengon_call_panel_focus (self);
    }
}

static void
on_memo_saved (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (DengonCallPanel) self = user_data;
  g_autoptr (GError) error = NULL;
  g_autofree char *rev = dengon_store_put_finish (DENGON_STORE (source), result, &error);
  JsonObject *memo = g_object_get_data (G_OBJECT (self), "dengon-saving-memo");
  g_autofree char *memo_id = g_strdup (dengon_json_get_string (memo, "_id"));
  g_autofree char *caller = NULL;
  DengonWindow *window;

  self->saving = FALSE;
  if (rev == NULL)
    {
      g_autofree char *text =
          g_strdup_printf (_ ("The memo could not be saved: %s"), error->message);

      g_object_set_data (G_OBJECT (self), "dengon-saving-memo", NULL);
      dengon_call_panel_update (self);
      set_error (self, text);
      return;
    }

  {
    JsonObject *who = dengon_json_get_object (memo, "caller");
    const char *name = who != NULL ? dengon_json_get_string (who, "name") : NULL;

    caller = g_strdup (name != NULL ? name : gtk_label_get_text (self->number_label));
  }
  g_object_set_data (G_OBJECT (self), "dengon-saving-memo", NULL);

  window = NULL;
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self->application)); l; l = l->next)
    {
      if (DENGON_IS_WINDOW (l->data))
        window = l->data;
    }
  if (window != NULL)
    {
      g_autofree char *title = g_strdup_printf (_ ("Memo saved: %s"), caller);

      dengon_window_add_toast (window, adw_toast_new (title));
    }

  end_call (self, memo_id);
}

/* An unknown caller becomes a contact with the memo that is saved: name and company as typed,
 * the number they called from, the segment they had as a caller. */
static JsonObject *
contact_from_memo (DengonCallPanel *self, JsonObject *memo)
{
  DengonCallerInfo *info = self->caller_info;
  JsonObject *caller = dengon_json_ensure_object (memo, "caller");
  JsonObject *contact = dengon_contact_new (NULL);
  g_autoptr (GDateTime) now = g_date_time_new_now_utc ();
  const char *number = dengon_call_get_number (self->call);
  gint64 last_ms = 0;
  DengonSegment segment;

  dengon_json_set_string_or_null (contact, "name", dengon_json_get_string (caller, "name"));
  dengon_json_set_string_or_null (contact, "company", dengon_json_get_string (caller, "company"));
  dengon_contact_add_number (contact, number,
                             g_str_has_prefix (info->number_key, "+8170") ||
                                     g_str_has_prefix (info->number_key, "+8180") ||
                                     g_str_has_prefix (info->number_key, "+8190")
                                 ? DENGON_NUMBER_KIND_MOBILE
                                 : DENGON_NUMBER_KIND_WORK);
  if (info->recent_memos->len > 0)
    last_ms = dengon_json_timestamp_to_ms (
        ((DengonCallerMemo *) g_ptr_array_index (info->recent_memos, 0))->created_at);
  segment = dengon_contact_derive_segment (
      contact, last_ms, now,
      dengon_office_get_dormant_months (dengon_application_get_office (self->application)));
  json_object_set_string_member (caller, "contact_id", dengon_json_get_string (contact, "_id"));
  json_object_set_string_member (caller, "segment", dengon_segment_to_string (segment));

  return contact;
}

static gpointer
put_with_contact_thread (DengonStore *store, gpointer data, GCancellable *cancellable,
                         GError **error)
{
  g_auto (GStrv) revs = dengon_store_put_many (store, data, error);

  return revs != NULL ? g_strdup (revs[1]) : NULL;
}

static void
dengon_call_panel_save_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  DengonCallPanel *self = DENGON_CALL_PANEL (widget);
  g_autoptr (JsonObject) memo = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr (JsonObject) contact = NULL;
  const char *desk = get_desk_staff (self);

  if (self->saving || self->ended || self->runner == NULL || get_store (self) == NULL)
    return;

  memo = dengon_memo_new (desk, dengon_call_get_started_at (self->call));
  dengon_memo_set_call (
      memo, dengon_call_get_direction (self->call) == DENGON_CALL_DIRECTION_OUT ? "out" : "in",
      dengon_call_get_number (self->call), dengon_call_get_started_at (self->call), now);
  /* A callback is linked to the memo it answers. */
  if (dengon_call_get_regarding (self->call) != NULL)
    json_object_set_string_member (memo, "regarding", dengon_call_get_regarding (self->call));
  if (!dengon_script_runner_fill_memo (self->runner, memo, desk, &error) ||
      !dengon_memo_validate (memo, &error))
    {
      const DengonScriptField *bad = NULL;
      g_autoptr (GError) step_error = NULL;

      /* Point at the field when it is one of this step's. */
      dengon_script_runner_validate_step (self->runner, &bad, &step_error);
      show_field_error (self, bad, error);
      return;
    }

  /* The account owner proposed and left as proposed: the memo is for them, even when the call
   * was saved before the step that asks. */
  if (dengon_memo_get_for (memo) == NULL && self->caller_info != NULL &&
      self->caller_info->account_owner != NULL)
    {
      const DengonScriptField *for_field = dengon_script_find_target (
          dengon_script_runner_get_script (self->runner), DENGON_SCRIPT_TARGET_FOR);

      if (for_field != NULL &&
          g_strcmp0 (dengon_script_runner_get_answer (self->runner, for_field->id),
                     self->caller_info->account_owner) == 0)
        dengon_memo_assign (memo, desk, self->caller_info->account_owner, NULL, NULL);
    }

  /* The caller as known when the call was taken: a later change of the contact does not
   * rewrite history. */
  if (self->caller_info != NULL && self->caller_info->contact_id != NULL)
    {
      JsonObject *caller = dengon_json_ensure_object (memo, "caller");

      json_object_set_string_member (caller, "contact_id", self->caller_info->contact_id);
      dengon_json_set_string_or_null (caller, "segment", self->caller_info->segment);
    }
  else if (self->caller_info != NULL && self->caller_info->number_key != NULL &&
           gtk_widget_get_visible (GTK_WIDGET (self->add_contact_check)) &&
           gtk_check_button_get_active (self->add_contact_check))
    contact = contact_from_memo (self, memo);

  self->saving = TRUE;
  dengon_call_panel_update (self);
  g_object_set_data_full (G_OBJECT (self), "dengon-saving-memo", json_object_ref (memo),
                          (GDestroyNotify) json_object_unref);
  /* Not cancelled by closing the window: a memo that the person saved is saved. */
  if (contact != NULL)
    {
      GPtrArray *docs = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);

      /* Both or neither. */
      g_ptr_array_add (docs, g_steal_pointer (&contact));
      g_ptr_array_add (docs, json_object_ref (memo));
      dengon_store_run_async (get_store (self), put_with_contact_thread, docs,
                              (GDestroyNotify) g_ptr_array_unref, g_free, NULL, on_memo_saved,
                              g_object_ref (self));
    }
  else
    dengon_store_put_async (get_store (self), memo, NULL, on_memo_saved, g_object_ref (self));
}

static void
on_discard_response (AdwMessageDialog *dialog, const char *response, DengonCallPanel *self)
{
  /* Ending the last call destroys the call window: the dialog lets go of it first. */
  gtk_window_set_transient_for (GTK_WINDOW (dialog), NULL);

  if (g_strcmp0 (response, "discard") == 0)
    end_call (self, NULL);
  else
    dengon_call_panel_focus (self);
}

void
dengon_call_panel_request_discard (DengonCallPanel *self, gboolean ask_always)
{
  AdwMessageDialog *dialog;
  GtkRoot *root;

  g_return_if_fail (DENGON_IS_CALL_PANEL (self));

  if (self->ended || self->saving)
    return;

  if (!ask_always && !dengon_call_panel_has_input (self))
    {
      end_call (self, NULL);
      return;
    }

  root = gtk_widget_get_root (GTK_WIDGET (self));
  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (
      GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, _ ("Discard This Call?"), NULL));
  adw_message_dialog_set_body (dialog,
                               dengon_call_panel_has_input (self)
                                   ? _ ("What was typed for this call is lost. No memo is saved.")
                                   : _ ("No memo is saved for this call."));
  adw_message_dialog_add_response (dialog, "keep", _ ("_Keep Taking the Call"));
  adw_message_dialog_add_response (dialog, "discard", _ ("_Discard"));
  adw_message_dialog_set_response_appearance (dialog, "discard", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (dialog, "keep");
  adw_message_dialog_set_close_response (dialog, "keep");
  dengon_message_dialog_fix_accessible_names (dialog);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_discard_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
dengon_call_panel_discard_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  dengon_call_panel_request_discard (DENGON_CALL_PANEL (widget), TRUE);
}

static void
dengon_call_panel_quick_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  DengonCallPanel *self = DENGON_CALL_PANEL (widget);

  gtk_toggle_button_set_active (self->quick_button,
                                !gtk_toggle_button_get_active (self->quick_button));
}

/* ------------------------------------------------------------------ GObject */

static void
dengon_call_panel_set_call (DengonCallPanel *self, DengonCall *call)
{
  if (self->call == call)
    return;

  if (self->call != NULL)
    g_signal_handlers_disconnect_by_data (self->call, self);
  g_set_object (&self->call, call);
  if (call != NULL)
    {
      g_signal_connect_object (call, "state-changed", G_CALLBACK (on_call_state_changed), self,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (call, "notify::number", G_CALLBACK (on_call_number_changed), self,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (call, "notify::display-name", G_CALLBACK (update_number), self,
                               G_CONNECT_SWAPPED);
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CALL]);
}

static void
dengon_call_panel_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  DengonCallPanel *self = DENGON_CALL_PANEL (object);

  switch (prop_id)
    {
      case PROP_CALL:
        g_value_set_object (value, self->call);
        break;
      case PROP_LOOKED_UP:
        g_value_set_boolean (value, self->looked_up);
        break;
      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dengon_call_panel_set_property (GObject *object, guint prop_id, const GValue *value,
                                GParamSpec *pspec)
{
  DengonCallPanel *self = DENGON_CALL_PANEL (object);

  switch (prop_id)
    {
      case PROP_CALL:
        dengon_call_panel_set_call (self, g_value_get_object (value));
        break;
      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dengon_call_panel_dispose (GObject *object)
{
  DengonCallPanel *self = (DengonCallPanel *) object;

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->lookup_source, g_source_remove);
  /* A pending draft is written now: closing never loses a keystroke. */
  if (self->draft_source != 0)
    {
      g_clear_handle_id (&self->draft_source, g_source_remove);
      if (!self->ended && self->runner != NULL && get_store (self) != NULL)
        {
          g_autofree char *id = dengon_call_panel_draft_id (self->call);
          g_autoptr (JsonObject) draft = build_draft (self);
          g_autofree char *rev = dengon_store_put_local (get_store (self), id, draft, NULL);
        }
    }
  if (self->runner != NULL)
    g_signal_handlers_disconnect_by_data (self->runner, self);
  g_clear_object (&self->runner);
  if (self->call != NULL)
    g_signal_handlers_disconnect_by_data (self->call, self);
  g_clear_object (&self->call);
  gtk_widget_dispose_template (GTK_WIDGET (self), DENGON_TYPE_CALL_PANEL);
  dengon_ui_unparent_children (GTK_WIDGET (self));

  G_OBJECT_CLASS (dengon_call_panel_parent_class)->dispose (object);
}

static void
dengon_call_panel_finalize (GObject *object)
{
  DengonCallPanel *self = (DengonCallPanel *) object;

  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->scripts, g_ptr_array_unref);
  g_clear_pointer (&self->field_widgets, g_hash_table_unref);
  g_clear_pointer (&self->caller_info, dengon_caller_info_free);
  g_clear_pointer (&self->built_for, g_free);

  G_OBJECT_CLASS (dengon_call_panel_parent_class)->finalize (object);
}

static void
dengon_call_panel_class_init (DengonCallPanelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = dengon_call_panel_get_property;
  object_class->set_property = dengon_call_panel_set_property;
  object_class->dispose = dengon_call_panel_dispose;
  object_class->finalize = dengon_call_panel_finalize;

  properties[PROP_CALL] =
      g_param_spec_object ("call", NULL, NULL, DENGON_TYPE_CALL,
                           G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * DengonCallPanel:looked-up:
   *
   * Whether what the office knows about the number (caller, open memos, last calls) is shown.
   */
  properties[PROP_LOOKED_UP] =
      g_param_spec_boolean ("looked-up", NULL, NULL, FALSE,
                            G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PATH "/ui/dengon-call-panel.ui");
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "callpanel");

  gtk_widget_class_bind_template_child (widget_class, DengonCallPanel, root_box);
  gtk_widget_class_bind_template_child (widget_class, DengonCallPanel, direction_label);
  gtk_widget_class_bind_template_child (widget_class, DengonCallPanel, number_label);
  gtk_widget_class_bind_template_child (widget_class, DengonCallPanel, kind_label);
  gtk_widget_class_bind_template_child (widget_class, DengonCallPanel, number_box);
  gtk_widget_class_bind_template_child (widget_class, DengonCallPanel, number_entry);
  gtk_widget_class_bind_template_child (widget_class, DengonCallPanel, phone_name_label);
  gtk_widget_class_bind_template_child (widget_class, DengonCallPanel, known_label);
  gtk_widget_class_bind_template_child (widget_class, DengonCallPanel, known_detail_label);
  gtk_widget_class_bind_template_child (widget_class, DengonCallPanel, contact_tags_box);
  gtk_widget_class_bind_template_child (widget_class, DengonCallPanel, segment_label);
  gtk_widget_class_bind_template_child (widget_class, DengonCallPanel, quadrant_label);
  gtk_widget_class_bind_template_child (widget_class, DengonCallPanel, owner_label);
  gtk_widget_class_bind_template_child (widget_class, DengonCallPanel, add_contact_check);
  gtk_widget_class_bind_template_child (widget_class, DengonCallPanel, open_heading);
  gtk_widget_class_bind_template_child (widget_class, DengonCallPanel, regarding_heading);
  gtk_widget_class_bind_template_child (widget_class, DengonCallPanel, regarding_list);
  gtk_widget_class_bind_template_child (widget_class, DengonCallPanel, open_list);
  gtk_widget_class_bind_template_child (widget_class, DengonCallPanel, recent_heading);
  gtk_widget_class_bind_template_child (widget_class, DengonCallPanel, recent_list);
  gtk_widget_class_bind_template_child (widget_class, DengonCallPanel, step_label);
  gtk_widget_class_bind_template_child (widget_class, DengonCallPanel, script_dropdown);
  gtk_widget_class_bind_template_child (widget_class, DengonCallPanel, quick_button);
  gtk_widget_class_bind_template_child (widget_class, DengonCallPanel, problem_label);
  gtk_widget_class_bind_template_child (widget_class, DengonCallPanel, say_label);
  gtk_widget_class_bind_template_child (widget_class, DengonCallPanel, hint_label);
  gtk_widget_class_bind_template_child (widget_class, DengonCallPanel, fields_scroller);
  gtk_widget_class_bind_template_child (widget_class, DengonCallPanel, fields_box);
  gtk_widget_class_bind_template_child (widget_class, DengonCallPanel, error_label);
  gtk_widget_class_bind_template_child (widget_class, DengonCallPanel, back_button);
  gtk_widget_class_bind_template_child (widget_class, DengonCallPanel, discard_button);
  gtk_widget_class_bind_template_child (widget_class, DengonCallPanel, next_button);
  gtk_widget_class_bind_template_child (widget_class, DengonCallPanel, save_button);

  gtk_widget_class_install_action (widget_class, "call.next", NULL, dengon_call_panel_next_action);
  gtk_widget_class_install_action (widget_class, "call.back", NULL, dengon_call_panel_back_action);
  gtk_widget_class_install_action (widget_class, "call.save", NULL, dengon_call_panel_save_action);
  gtk_widget_class_install_action (widget_class, "call.discard", NULL,
                                   dengon_call_panel_discard_action);
  gtk_widget_class_install_action (widget_class, "call.quick", NULL,
                                   dengon_call_panel_quick_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Right, GDK_ALT_MASK, "call.next",
                                       NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, GDK_ALT_MASK, "call.back", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, GDK_CONTROL_MASK, "call.save",
                                       NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Enter, GDK_CONTROL_MASK,
                                       "call.save", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK, "call.save",
                                       NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "call.discard", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_q, GDK_ALT_MASK, "call.quick", NULL);
}

static void
dengon_call_panel_init (DengonCallPanel *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  self->field_widgets = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  dengon_ui_fix_accessible_names (GTK_WIDGET (self));

  g_signal_connect_swapped (self->number_entry, "changed", G_CALLBACK (on_number_entry_changed),
                            self);
  g_signal_connect_swapped (self->script_dropdown, "notify::selected",
                            G_CALLBACK (on_script_selected), self);
  g_signal_connect_swapped (self->quick_button, "toggled", G_CALLBACK (on_quick_toggled), self);
}

DengonCallPanel *
dengon_call_panel_new (DengonApplication *application, DengonCall *call)
{
  DengonCallPanel *self;

  g_return_val_if_fail (DENGON_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (DENGON_IS_CALL (call), NULL);

  self = g_object_new (DENGON_TYPE_CALL_PANEL, NULL);
  self->application = application;
  dengon_call_panel_set_call (self, call);

  load_scripts (self, NULL);
  update_number (self);
  dengon_call_panel_update (self);
  start_lookup (self);

  return self;
}

DengonCall *
dengon_call_panel_get_call (DengonCallPanel *self)
{
  g_return_val_if_fail (DENGON_IS_CALL_PANEL (self), NULL);

  return self->call;
}

void
dengon_call_panel_restore (DengonCallPanel *self, JsonObject *state)
{
  g_return_if_fail (DENGON_IS_CALL_PANEL (self));
  g_return_if_fail (state != NULL);

  load_scripts (self, dengon_json_get_string (state, "script"));
  self->updating = TRUE;
  dengon_script_runner_restore_state (self->runner, state);
  gtk_toggle_button_set_active (self->quick_button, dengon_script_runner_get_quick (self->runner));
  self->updating = FALSE;
  g_clear_pointer (&self->built_for, g_free);
  if (dengon_call_is_new (self->call))
    dengon_call_set_state (self->call, DENGON_CALL_STATE_ACTIVE);
  dengon_call_panel_update (self);
}

gboolean
dengon_call_panel_has_input (DengonCallPanel *self)
{
  g_return_val_if_fail (DENGON_IS_CALL_PANEL (self), FALSE);

  return !dengon_call_is_new (self->call);
}

void
dengon_call_panel_focus (DengonCallPanel *self)
{
  GtkWidget *first;

  g_return_if_fail (DENGON_IS_CALL_PANEL (self));

  if (self->runner != NULL && dengon_script_runner_is_finished (self->runner))
    {
      gtk_widget_grab_focus (GTK_WIDGET (self->save_button));
      return;
    }

  first = gtk_widget_get_first_child (GTK_WIDGET (self->fields_box));
  if (first != NULL)
    focus_input (g_object_get_data (G_OBJECT (first), "dengon-input"));
  else
    gtk_widget_grab_focus (GTK_WIDGET (self->next_button));
}
