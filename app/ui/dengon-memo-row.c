/* dengon-memo-row.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "dengon-format.h"
#include "dengon-memo-row.h"
#include "dengon-ui-utils.h"

/* One memo in the inbox: who called and when, the message's first line, who
 * it is for, the callback deadline, category and status.  The first memo of
 * a day carries the day's heading ("Today", "Yesterday", ...): GTK 4.8 has
 * no list sections, so the row draws it. */
struct _DengonMemoRow
{
  GtkWidget parent_instance;

  /* Template widgets */
  GtkLabel *day_label;
  GtkImage *urgent_icon;
  GtkLabel *caller_label;
  GtkLabel *company_label;
  GtkLabel *time_label;
  GtkLabel *summary_label;
  GtkLabel *for_label;
  GtkLabel *callback_label;
  GtkLabel *category_label;
  GtkLabel *status_label;

  /* Owned */
  DengonMemoItem *item;
  DengonStaffModel *staff;
  gulong doc_handler;
};

G_DEFINE_FINAL_TYPE (DengonMemoRow, dengon_memo_row, GTK_TYPE_WIDGET)

static const char *status_classes[] = { "status-new", "status-assigned", "status-acknowledged",
                                        "status-called-back", "status-done" };

static void
dengon_memo_row_update (DengonMemoRow *self)
{
  g_autoptr (GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *time = NULL;
  g_autofree char *summary = NULL;
  g_autofree char *for_text = NULL;
  g_autofree char *accessible = NULL;
  const char *caller, *company, *assignee, *category;
  DengonMemoStatus status;
  gint64 callback_ms;
  gboolean loaded;

  if (self->item == NULL)
    return;

  loaded = dengon_memo_item_get_loaded (self->item);
  time = dengon_format_time (dengon_memo_item_get_created_ms (self->item));
  gtk_label_set_label (self->time_label, time);

  if (!loaded)
    {
      /* The document is on its way: keep the row's height, show no text. */
      gtk_label_set_label (self->caller_label, " ");
      gtk_label_set_label (self->company_label, "");
      gtk_label_set_label (self->summary_label, " ");
      gtk_label_set_label (self->for_label, " ");
      gtk_widget_set_visible (GTK_WIDGET (self->urgent_icon), FALSE);
      gtk_widget_set_visible (GTK_WIDGET (self->callback_label), FALSE);
      gtk_widget_set_visible (GTK_WIDGET (self->category_label), FALSE);
      gtk_label_set_label (self->status_label, "");
      return;
    }

  caller = dengon_memo_item_get_caller_name (self->item);
  company = dengon_memo_item_get_company (self->item);
  if (caller == NULL || *caller == '\0')
    caller = dengon_memo_item_get_number_display (self->item);
  if (caller == NULL || *caller == '\0')
    caller = _ ("Unknown caller");
  gtk_label_set_label (self->caller_label, caller);
  gtk_label_set_label (self->company_label, company != NULL ? company : "");

  summary = dengon_memo_item_dup_summary (self->item);
  gtk_label_set_label (self->summary_label, *summary ? summary : _ ("No message"));
  gtk_widget_set_opacity (GTK_WIDGET (self->summary_label), *summary ? 1.0 : 0.55);

  assignee = dengon_memo_item_get_assignee (self->item);
  if (assignee != NULL)
    /* Translators: who the memo is for, e.g. "For 山田 健" */
    for_text = g_strdup_printf (
        _ ("For %s"), self->staff ? dengon_staff_model_get_name (self->staff, assignee) : assignee);
  else
    for_text = g_strdup (_ ("Unassigned"));
  gtk_label_set_label (self->for_label, for_text);
  if (assignee == NULL)
    gtk_widget_add_css_class (GTK_WIDGET (self->for_label), "dim-label");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->for_label), "dim-label");

  gtk_widget_set_visible (GTK_WIDGET (self->urgent_icon), dengon_memo_item_get_urgent (self->item));

  status = dengon_memo_item_get_status (self->item);
  callback_ms = dengon_memo_item_get_callback_ms (self->item);
  if (callback_ms > 0 && status != DENGON_MEMO_STATUS_DONE &&
      status != DENGON_MEMO_STATUS_CALLED_BACK)
    {
      gboolean overdue = FALSE;
      g_autofree char *text = dengon_format_callback (callback_ms, now, &overdue);

      gtk_label_set_label (self->callback_label, text);
      if (overdue)
        gtk_widget_add_css_class (GTK_WIDGET (self->callback_label), "error");
      else
        gtk_widget_remove_css_class (GTK_WIDGET (self->callback_label), "error");
      gtk_widget_set_visible (GTK_WIDGET (self->callback_label), TRUE);
    }
  else
    gtk_widget_set_visible (GTK_WIDGET (self->callback_label), FALSE);

  category = dengon_memo_item_get_category (self->item);
  gtk_widget_set_visible (GTK_WIDGET (self->category_label), category != NULL);
  if (category != NULL)
    gtk_label_set_label (self->category_label, dengon_category_get_label (category));

  gtk_label_set_label (self->status_label, dengon_memo_status_get_label (status));
  for (guint i = 0; i < G_N_ELEMENTS (status_classes); i++)
    gtk_widget_remove_css_class (GTK_WIDGET (self->status_label), status_classes[i]);
  gtk_widget_add_css_class (GTK_WIDGET (self->status_label), status_classes[status]);

  /* What a screen reader says for the row. */
  accessible = g_strdup_printf ("%s%s%s, %s, %s, %s, %s", caller, company ? ", " : "",
                                company ? company : "", time, *summary ? summary : _ ("No message"),
                                for_text, dengon_memo_status_get_label (status));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, accessible,
                                  -1);
}

static void
on_item_doc_changed (DengonMemoRow *self)
{
  dengon_memo_row_update (self);
}

static void
dengon_memo_row_dispose (GObject *object)
{
  DengonMemoRow *self = DENGON_MEMO_ROW (object);

  dengon_memo_row_unbind (self);
  gtk_widget_dispose_template (GTK_WIDGET (self), DENGON_TYPE_MEMO_ROW);
  dengon_ui_unparent_children (GTK_WIDGET (self));

  G_OBJECT_CLASS (dengon_memo_row_parent_class)->dispose (object);
}

static void
dengon_memo_row_class_init (DengonMemoRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = dengon_memo_row_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PATH "/ui/dengon-memo-row.ui");
  gtk_widget_class_bind_template_child (widget_class, DengonMemoRow, day_label);
  gtk_widget_class_bind_template_child (widget_class, DengonMemoRow, urgent_icon);
  gtk_widget_class_bind_template_child (widget_class, DengonMemoRow, caller_label);
  gtk_widget_class_bind_template_child (widget_class, DengonMemoRow, company_label);
  gtk_widget_class_bind_template_child (widget_class, DengonMemoRow, time_label);
  gtk_widget_class_bind_template_child (widget_class, DengonMemoRow, summary_label);
  gtk_widget_class_bind_template_child (widget_class, DengonMemoRow, for_label);
  gtk_widget_class_bind_template_child (widget_class, DengonMemoRow, callback_label);
  gtk_widget_class_bind_template_child (widget_class, DengonMemoRow, category_label);
  gtk_widget_class_bind_template_child (widget_class, DengonMemoRow, status_label);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "memorow");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
dengon_memo_row_init (DengonMemoRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
dengon_memo_row_new (void)
{
  return g_object_new (DENGON_TYPE_MEMO_ROW, NULL);
}

void
dengon_memo_row_bind (DengonMemoRow *self, DengonMemoItem *item, DengonStaffModel *staff)
{
  g_return_if_fail (DENGON_IS_MEMO_ROW (self));
  g_return_if_fail (DENGON_IS_MEMO_ITEM (item));

  dengon_memo_row_unbind (self);

  self->item = g_object_ref (item);
  g_set_object (&self->staff, staff);
  self->doc_handler =
      g_signal_connect_swapped (item, "notify::doc", G_CALLBACK (on_item_doc_changed), self);
  dengon_memo_row_update (self);
}

/* Undoes dengon_memo_row_bind(). */
void
dengon_memo_row_unbind (DengonMemoRow *self)
{
  g_return_if_fail (DENGON_IS_MEMO_ROW (self));

  if (self->item != NULL)
    g_clear_signal_handler (&self->doc_handler, self->item);
  g_clear_object (&self->item);
  g_clear_object (&self->staff);
}

void
dengon_memo_row_set_first_of_day (DengonMemoRow *self, gboolean first)
{
  g_return_if_fail (DENGON_IS_MEMO_ROW (self));

  if (first && self->item != NULL)
    {
      g_autoptr (GDateTime) now = g_date_time_new_now_local ();
      g_autofree char *day = dengon_format_day (dengon_memo_item_get_created_ms (self->item), now);

      gtk_label_set_label (self->day_label, day);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->day_label), first);
}
