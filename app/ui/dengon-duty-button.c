/* dengon-duty-button.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "dengon-duty-button.h"
#include "dengon-json.h"
#include "dengon-ui-utils.h"

/* "Who picks up?" in the header bar: the person on duty now (the roster,
 * or whoever said "I'll pick up"), and the switch to take over or stop. */
struct _DengonDutyButton
{
  GtkWidget parent_instance;

  GtkMenuButton *button;
  GtkLabel *label;
  GtkLabel *status_label;
  GtkButton *take_button;
  GtkButton *release_button;

  DengonStore *store;
  DengonStaffModel *staff;
  char *me;
};

G_DEFINE_FINAL_TYPE (DengonDutyButton, dengon_duty_button, GTK_TYPE_WIDGET)

static void
update (DengonDutyButton *self)
{
  const char *who = self->staff ? dengon_staff_model_get_on_duty (self->staff) : NULL;
  const char *name = who != NULL ? dengon_staff_model_get_name (self->staff, who) : NULL;
  g_autofree char *accessible = NULL;
  g_autofree char *status = NULL;
  gboolean mine = who != NULL && g_strcmp0 (who, self->me) == 0;

  gtk_label_set_label (self->label, name != NULL ? name : _ ("Nobody"));
  /* Translators: the header-bar button saying who answers the phone now */
  accessible = g_strdup_printf (_ ("On duty: %s"), name != NULL ? name : _ ("Nobody"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  accessible, -1);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->button), accessible);

  if (name == NULL)
    status = g_strdup (_ ("Nobody is picking up the phone."));
  else if (mine)
    status = g_strdup (_ ("You are picking up the phone."));
  else
    status = g_strdup_printf (_ ("%s is picking up the phone."), name);
  gtk_label_set_label (self->status_label, status);

  gtk_widget_set_visible (GTK_WIDGET (self->take_button), !mine);
  gtk_widget_set_visible (GTK_WIDGET (self->release_button), mine);
  gtk_widget_set_sensitive (GTK_WIDGET (self->take_button), self->me != NULL && *self->me);
}

/* Takes the turn (or gives it up) on the roster as it is in the store
 * now; a colleague's change in between is read again, not overwritten. */
static void
save_duty (DengonDutyButton *self, gboolean take)
{
  g_autoptr (GError) error = NULL;

  for (guint attempt = 0; attempt < 5; attempt++)
    {
      g_autoptr (GDateTime) now = g_date_time_new_now_utc ();
      g_autoptr (JsonObject) current = dengon_store_get (self->store, DENGON_DUTY_ID, NULL);
      g_autoptr (JsonObject) duty =
          take ? dengon_duty_take (current, self->me, now) : dengon_duty_release (current);
      g_autofree char *rev = NULL;

      if (current != NULL)
        json_object_set_string_member (duty, "_rev", dengon_json_get_string (current, "_rev"));
      else
        json_object_remove_member (duty, "_rev");

      g_clear_error (&error);
      rev = dengon_store_put (self->store, duty, &error);
      if (rev != NULL || !g_error_matches (error, DENGON_STORE_ERROR, DENGON_STORE_ERROR_CONFLICT))
        break;
    }

  if (error != NULL)
    g_message ("Could not save the duty roster: %s", error->message);
}

static void
on_take_clicked (DengonDutyButton *self)
{
  gtk_menu_button_popdown (self->button);
  save_duty (self, TRUE);
}

static void
on_release_clicked (DengonDutyButton *self)
{
  gtk_menu_button_popdown (self->button);
  save_duty (self, FALSE);
}

static void
dengon_duty_button_dispose (GObject *object)
{
  DengonDutyButton *self = DENGON_DUTY_BUTTON (object);

  if (self->staff != NULL)
    g_signal_handlers_disconnect_by_data (self->staff, self);
  g_clear_object (&self->staff);
  g_clear_object (&self->store);
  g_clear_pointer ((GtkWidget **) &self->button, gtk_widget_unparent);

  G_OBJECT_CLASS (dengon_duty_button_parent_class)->dispose (object);
}

static void
dengon_duty_button_finalize (GObject *object)
{
  DengonDutyButton *self = DENGON_DUTY_BUTTON (object);

  g_free (self->me);

  G_OBJECT_CLASS (dengon_duty_button_parent_class)->finalize (object);
}

static void
dengon_duty_button_class_init (DengonDutyButtonClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = dengon_duty_button_dispose;
  object_class->finalize = dengon_duty_button_finalize;

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
dengon_duty_button_init (DengonDutyButton *self)
{
  GtkWidget *content = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *popover = gtk_popover_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  GtkWidget *hint = gtk_label_new (_ ("The weekly roster is set in Preferences."));

  self->button = GTK_MENU_BUTTON (gtk_menu_button_new ());
  self->label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_ellipsize (self->label, PANGO_ELLIPSIZE_END);
  gtk_label_set_max_width_chars (self->label, 10);
  /* Never just "…": "Nobody" or a name of four kanji stays readable. */
  gtk_label_set_width_chars (self->label, 6);
  gtk_label_set_xalign (self->label, 0);
  gtk_box_append (GTK_BOX (content), gtk_image_new_from_icon_name ("call-start-symbolic"));
  gtk_box_append (GTK_BOX (content), GTK_WIDGET (self->label));
  gtk_menu_button_set_child (self->button, content);

  self->status_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_wrap (self->status_label, TRUE);
  gtk_label_set_max_width_chars (self->status_label, 28);
  gtk_label_set_xalign (self->status_label, 0);
  gtk_widget_add_css_class (GTK_WIDGET (self->status_label), "heading");
  self->take_button = GTK_BUTTON (gtk_button_new_with_mnemonic (_ ("_I’ll Pick Up")));
  gtk_widget_add_css_class (GTK_WIDGET (self->take_button), "suggested-action");
  self->release_button = GTK_BUTTON (gtk_button_new_with_mnemonic (_ ("_Stop Picking Up")));
  gtk_label_set_wrap (GTK_LABEL (hint), TRUE);
  gtk_label_set_max_width_chars (GTK_LABEL (hint), 28);
  gtk_label_set_xalign (GTK_LABEL (hint), 0);
  gtk_widget_add_css_class (hint, "dim-label");
  gtk_widget_add_css_class (hint, "caption");
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->status_label));
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->take_button));
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->release_button));
  gtk_box_append (GTK_BOX (box), hint);
  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 6);
  gtk_widget_set_margin_start (box, 6);
  gtk_widget_set_margin_end (box, 6);
  gtk_popover_set_child (GTK_POPOVER (popover), box);
  gtk_menu_button_set_popover (self->button, popover);

  g_signal_connect_swapped (self->take_button, "clicked", G_CALLBACK (on_take_clicked), self);
  g_signal_connect_swapped (self->release_button, "clicked", G_CALLBACK (on_release_clicked), self);
  gtk_widget_set_parent (GTK_WIDGET (self->button), GTK_WIDGET (self));
  dengon_ui_fix_accessible_names (box);
  update (self);
}

void
dengon_duty_button_setup (DengonDutyButton *self, DengonStore *store, DengonStaffModel *staff)
{
  g_return_if_fail (DENGON_IS_DUTY_BUTTON (self));

  g_set_object (&self->store, store);
  if (self->staff != NULL)
    g_signal_handlers_disconnect_by_data (self->staff, self);
  g_set_object (&self->staff, staff);
  if (staff != NULL)
    {
      g_signal_connect_swapped (staff, "notify::on-duty", G_CALLBACK (update), self);
      g_signal_connect_swapped (staff, "items-changed", G_CALLBACK (update), self);
    }
  update (self);
}

void
dengon_duty_button_set_me (DengonDutyButton *self, const char *me)
{
  g_return_if_fail (DENGON_IS_DUTY_BUTTON (self));

  g_free (self->me);
  self->me = g_strdup (me);
  update (self);
}
