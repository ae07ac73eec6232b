/* dengon-ui-utils.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "dengon-ui-utils.h"

static void
fix_buttons (GtkWidget *widget)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *label = gtk_widget_get_first_child (child);

      if (GTK_IS_BUTTON (child) && GTK_IS_LABEL (label))
        {
          gtk_accessible_reset_relation (GTK_ACCESSIBLE (child),
                                         GTK_ACCESSIBLE_RELATION_LABELLED_BY);
          gtk_accessible_update_property (GTK_ACCESSIBLE (child), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                          gtk_label_get_text (GTK_LABEL (label)), -1);
        }
      else
        fix_buttons (child);
    }
}

/* libadwaita 1.2 names each response button twice ("Quit Quit"), which a
 * screen reader reads aloud: name them by their visible label.  Call it
 * after the responses are added. */
void
dengon_message_dialog_fix_accessible_names (AdwMessageDialog *dialog)
{
  g_return_if_fail (ADW_IS_MESSAGE_DIALOG (dialog));

  fix_buttons (GTK_WIDGET (dialog));
}
