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

/* GTK 4.8 names a button with a mnemonic label twice ("_Back Back", or "Back Back" with an
 * explicit name): name it once, by its visible label.  Works for AdwButtonContent too. */
void
dengon_button_fix_accessible_name (GtkButton *button)
{
  GtkWidget *child;
  const char *label;
  g_autoptr (GString) text = NULL;

  g_return_if_fail (GTK_IS_BUTTON (button));

  child = gtk_button_get_child (button);
  label = gtk_button_get_label (button);
  if (ADW_IS_BUTTON_CONTENT (child))
    label = adw_button_content_get_label (ADW_BUTTON_CONTENT (child));
  if (label == NULL)
    return;

  /* Drop the mnemonic marks: "_Save" -> "Save", "__" -> "_". */
  text = g_string_new (NULL);
  for (const char *p = label; *p; p++)
    {
      if (*p == '_')
        {
          if (p[1] == '_')
            g_string_append_c (text, '_');
          if (p[1] == '_')
            p++;
          continue;
        }
      g_string_append_c (text, *p);
    }

  gtk_accessible_reset_relation (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_RELATION_LABELLED_BY);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, text->str,
                                  -1);
}
