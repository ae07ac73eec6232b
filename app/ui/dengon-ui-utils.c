/* dengon-ui-utils.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "dengon-ui-utils.h"

static void
name_like_label (GtkWidget *widget, const char *text)
{
  /* The relation GTK sets wins over the label property: drop it. */
  gtk_accessible_reset_relation (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_RELATION_LABELLED_BY);
  gtk_accessible_update_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL, text, -1);
}

/* GTK 4.8 and libadwaita 1.2 name a button with a mnemonic twice
 * ("Ac_knowledge Acknowledge"), and a labelled GtkMenuButton by its type
 * name: a screen reader reads that aloud.  Name each button by its visible
 * label.  Call it after the widget's template is built. */
void
dengon_ui_fix_accessible_names (GtkWidget *widget)
{
  g_return_if_fail (GTK_IS_WIDGET (widget));

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *first = gtk_widget_get_first_child (child);

      if (GTK_IS_MENU_BUTTON (child) && gtk_menu_button_get_label (GTK_MENU_BUTTON (child)) != NULL)
        {
          g_autofree char *text = g_strdup (gtk_menu_button_get_label (GTK_MENU_BUTTON (child)));
          char *src, *dst;

          /* Without the mnemonic's underscore. */
          for (src = dst = text; *src; src++)
            if (*src != '_')
              *dst++ = *src;
          *dst = '\0';
          name_like_label (child, text);
          if (first != NULL)
            name_like_label (first, text);
          continue;
        }

      if (GTK_IS_BUTTON (child) && GTK_IS_LABEL (first))
        name_like_label (child, gtk_label_get_text (GTK_LABEL (first)));
      else
        dengon_ui_fix_accessible_names (child);
    }
}

void
dengon_message_dialog_fix_accessible_names (AdwMessageDialog *dialog)
{
  g_return_if_fail (ADW_IS_MESSAGE_DIALOG (dialog));

  dengon_ui_fix_accessible_names (GTK_WIDGET (dialog));
}

/* For widgets with a bin layout: gtk_widget_dispose_template() in GTK 4.8
 * leaves the template's root child, which must go before finalize. */
void
dengon_ui_unparent_children (GtkWidget *widget)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (widget)) != NULL)
    gtk_widget_unparent (child);
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
