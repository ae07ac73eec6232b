/* dengon-sidebar.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "dengon-format.h"
#include "dengon-memo.h"
#include "dengon-sidebar.h"
#include "dengon-ui-utils.h"

/* The inbox's filters: fixed ones, one per person, one per category, and a
 * period; each with a live count (capped, "999+"). */
struct _DengonSidebar
{
  GtkWidget parent_instance;

  /* Template widgets */
  GtkListBox *list_box;
  GtkDropDown *period_dropdown;

  /* Owned */
  DengonStaffModel *staff;
  DengonMemoCounts *counts;
  GHashTable *count_labels; /* filter -> GtkLabel */
  char *filter;
  char *me;

  guint rebuilding : 1;
};

enum
{
  PROP_0,
  PROP_FILTER,
  PROP_PERIOD,
  PROP_ME,
  N_PROPS
};

G_DEFINE_FINAL_TYPE (DengonSidebar, dengon_sidebar, GTK_TYPE_WIDGET)

static GParamSpec *properties[N_PROPS];

static const char *const periods[] = { "any", "today", "yesterday", "week", "month" };

typedef struct
{
  const char *id;
  const char *icon;
  const char *title;
} FixedFilter;

static const FixedFilter fixed_filters[] = {
  { "for-me", "avatar-default-symbolic", N_ ("For Me") },
  { "unassigned", "mail-unread-symbolic", N_ ("Unassigned") },
  { "open", "document-open-recent-symbolic", N_ ("Open") },
  { "overdue", "task-past-due-symbolic", N_ ("Overdue Callbacks") },
  { "done", "object-select-symbolic", N_ ("Done") },
  { "all", "view-list-symbolic", N_ ("All") },
};

/* The memos a filter and a period select, for the person @me at @now. */
gboolean
dengon_sidebar_build_query (const char *filter, const char *period, const char *me, GDateTime *now,
                            DengonMemoQuery *query)
{
  g_autoptr (GDateTime) local = g_date_time_to_local (now);
  g_autoptr (GDateTime) midnight =
      g_date_time_new_local (g_date_time_get_year (local), g_date_time_get_month (local),
                             g_date_time_get_day_of_month (local), 0, 0, 0);
  gint64 today_ms = g_date_time_to_unix (midnight) * 1000;
  const gint64 day_ms = 24 * 3600 * 1000;

  *query = (DengonMemoQuery){ 0 };

  if (g_strcmp0 (filter, "for-me") == 0)
    {
      query->status_mask = 0xf;
      /* Nobody at this desk yet: nothing is for "me". */
      query->assignee = me != NULL && *me ? me : "staff:";
    }
  else if (g_strcmp0 (filter, "unassigned") == 0)
    {
      query->status_mask = 0xf;
      query->unassigned = TRUE;
    }
  else if (g_strcmp0 (filter, "open") == 0)
    query->status_mask = 0xf;
  else if (g_strcmp0 (filter, "overdue") == 0)
    query->overdue_at_ms = g_date_time_to_unix (now) * 1000;
  else if (g_strcmp0 (filter, "done") == 0)
    query->status_mask = 1 << DENGON_MEMO_STATUS_DONE;
  else if (filter != NULL && g_str_has_prefix (filter, "person:"))
    {
      query->status_mask = 0xf;
      query->assignee = filter + strlen ("person:");
    }
  else if (filter != NULL && g_str_has_prefix (filter, "category:"))
    query->category = filter + strlen ("category:");
  else if (g_strcmp0 (filter, "all") != 0)
    return FALSE;

  if (g_strcmp0 (period, "today") == 0)
    query->from_ms = today_ms;
  else if (g_strcmp0 (period, "yesterday") == 0)
    {
      query->from_ms = today_ms - day_ms;
      query->to_ms = today_ms;
    }
  else if (g_strcmp0 (period, "week") == 0)
    query->from_ms = today_ms - 6 * day_ms;
  else if (g_strcmp0 (period, "month") == 0)
    query->from_ms = today_ms - 29 * day_ms;

  return TRUE;
}

static void
register_count (DengonSidebar *self, const char *filter)
{
  g_autoptr (GDateTime) now = g_date_time_new_now_utc ();
  DengonMemoQuery query;

  if (self->counts == NULL)
    return;

  if (dengon_sidebar_build_query (filter, dengon_sidebar_get_period (self), self->me, now, &query))
    dengon_memo_counts_set_query (self->counts, filter, &query);
}

static void
update_count_label (DengonSidebar *self, const char *filter)
{
  GtkLabel *label = g_hash_table_lookup (self->count_labels, filter);
  guint count;
  g_autofree char *text = NULL;

  if (label == NULL || self->counts == NULL)
    return;

  count = dengon_memo_counts_get (self->counts, filter);
  text = dengon_memo_count_format (count);
  gtk_label_set_label (label, count > 0 ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (label), count > 0);
}

static void
on_count_changed (DengonSidebar *self, const char *filter, DengonMemoCounts *counts)
{
  update_count_label (self, filter);
}

static GtkWidget *
make_row (DengonSidebar *self, const char *filter, const char *icon, const char *title,
          const char *section)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *label = gtk_label_new (title);
  GtkWidget *count = gtk_label_new (NULL);

  if (icon != NULL)
    gtk_box_append (GTK_BOX (box), gtk_image_new_from_icon_name (icon));
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_widget_set_hexpand (label, TRUE);
  gtk_box_append (GTK_BOX (box), label);
  gtk_widget_add_css_class (count, "dim-label");
  gtk_widget_add_css_class (count, "numeric");
  if (g_str_equal (filter, "overdue"))
    {
      /* A round badge, not a pill as tall as the row. */
      gtk_widget_add_css_class (count, "overdue-badge");
      gtk_widget_set_valign (count, GTK_ALIGN_CENTER);
    }
  gtk_widget_set_visible (count, FALSE);
  gtk_box_append (GTK_BOX (box), count);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);

  /* A screen reader says the filter's name; the count is its description. */
  gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL, title, -1);
  g_object_set_data_full (G_OBJECT (row), "filter", g_strdup (filter), g_free);
  g_object_set_data_full (G_OBJECT (row), "title", g_strdup (title), g_free);
  g_object_set_data (G_OBJECT (row), "section", (gpointer) section);
  g_hash_table_replace (self->count_labels, g_strdup (filter), count);

  return row;
}

static void
header_func (GtkListBoxRow *row, GtkListBoxRow *before, gpointer user_data)
{
  const char *section = g_object_get_data (G_OBJECT (row), "section");
  const char *previous = before ? g_object_get_data (G_OBJECT (before), "section") : NULL;
  GtkWidget *header;

  if (section == NULL || g_strcmp0 (section, previous) == 0)
    {
      gtk_list_box_row_set_header (row, NULL);
      return;
    }

  header = gtk_label_new (section);
  gtk_label_set_xalign (GTK_LABEL (header), 0);
  gtk_widget_set_margin_start (header, 12);
  gtk_widget_set_margin_top (header, 12);
  gtk_widget_set_margin_bottom (header, 6);
  gtk_widget_add_css_class (header, "heading");
  gtk_widget_add_css_class (header, "dim-label");
  gtk_list_box_row_set_header (row, header);
}

static void
select_filter_row (DengonSidebar *self)
{
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->list_box)); child;
       child = gtk_widget_get_next_sibling (child))
    {
      if (GTK_IS_LIST_BOX_ROW (child) &&
          g_strcmp0 (g_object_get_data (G_OBJECT (child), "filter"), self->filter) == 0)
        {
          gtk_list_box_select_row (self->list_box, GTK_LIST_BOX_ROW (child));
          return;
        }
    }
}

static void
rebuild (DengonSidebar *self)
{
  GtkWidget *child;
  guint n;

  self->rebuilding = TRUE;
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->list_box))) != NULL)
    gtk_list_box_remove (self->list_box, child);
  g_hash_table_remove_all (self->count_labels);

  for (guint i = 0; i < G_N_ELEMENTS (fixed_filters); i++)
    gtk_list_box_append (self->list_box, make_row (self, fixed_filters[i].id, fixed_filters[i].icon,
                                                   _ (fixed_filters[i].title), NULL));

  n = self->staff ? g_list_model_get_n_items (G_LIST_MODEL (self->staff)) : 0;
  for (guint i = 0; i < n; i++)
    {
      g_autoptr (DengonStaffItem) person = g_list_model_get_item (G_LIST_MODEL (self->staff), i);
      g_autofree char *filter = NULL;

      if (!dengon_staff_item_get_active (person))
        continue;
      filter = g_strconcat ("person:", dengon_staff_item_get_id (person), NULL);
      gtk_list_box_append (
          self->list_box,
          make_row (self, filter, NULL, dengon_staff_item_get_name (person), _ ("People")));
    }

  for (const char *const *c = dengon_category_list (); *c; c++)
    {
      g_autofree char *filter = g_strconcat ("category:", *c, NULL);

      gtk_list_box_append (
          self->list_box,
          make_row (self, filter, NULL, dengon_category_get_label (*c), _ ("Categories")));
    }

  if (self->counts != NULL)
    {
      GHashTableIter iter;
      const char *filter;

      g_hash_table_iter_init (&iter, self->count_labels);
      while (g_hash_table_iter_next (&iter, (gpointer *) &filter, NULL))
        {
          register_count (self, filter);
          update_count_label (self, filter);
        }
    }

  select_filter_row (self);
  self->rebuilding = FALSE;
}

static void
on_row_selected (DengonSidebar *self, GtkListBoxRow *row, GtkListBox *list_box)
{
  const char *filter;

  if (row == NULL || self->rebuilding)
    return;

  filter = g_object_get_data (G_OBJECT (row), "filter");
  if (g_strcmp0 (filter, self->filter) == 0)
    return;

  g_free (self->filter);
  self->filter = g_strdup (filter);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FILTER]);
}

static void
on_period_changed (DengonSidebar *self)
{
  dengon_sidebar_refresh (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PERIOD]);
}

static void
on_staff_changed (DengonSidebar *self)
{
  rebuild (self);
}

static void
dengon_sidebar_dispose (GObject *object)
{
  DengonSidebar *self = DENGON_SIDEBAR (object);

  if (self->staff != NULL)
    g_signal_handlers_disconnect_by_data (self->staff, self);
  if (self->counts != NULL)
    g_signal_handlers_disconnect_by_data (self->counts, self);
  g_clear_object (&self->staff);
  g_clear_object (&self->counts);
  gtk_widget_dispose_template (GTK_WIDGET (self), DENGON_TYPE_SIDEBAR);
  dengon_ui_unparent_children (GTK_WIDGET (self));

  G_OBJECT_CLASS (dengon_sidebar_parent_class)->dispose (object);
}

static void
dengon_sidebar_finalize (GObject *object)
{
  DengonSidebar *self = DENGON_SIDEBAR (object);

  g_clear_pointer (&self->count_labels, g_hash_table_unref);
  g_clear_pointer (&self->filter, g_free);
  g_clear_pointer (&self->me, g_free);

  G_OBJECT_CLASS (dengon_sidebar_parent_class)->finalize (object);
}

static void
dengon_sidebar_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  DengonSidebar *self = DENGON_SIDEBAR (object);

  switch (prop_id)
    {
      case PROP_FILTER:
        g_value_set_string (value, self->filter);
        break;

      case PROP_PERIOD:
        g_value_set_string (value, dengon_sidebar_get_period (self));
        break;

      case PROP_ME:
        g_value_set_string (value, self->me);
        break;

      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dengon_sidebar_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  DengonSidebar *self = DENGON_SIDEBAR (object);

  switch (prop_id)
    {
      case PROP_FILTER:
        dengon_sidebar_set_filter (self, g_value_get_string (value));
        break;

      case PROP_ME:
        if (g_strcmp0 (self->me, g_value_get_string (value)) != 0)
          {
            g_free (self->me);
            self->me = g_value_dup_string (value);
            register_count (self, "for-me");
            g_object_notify_by_pspec (object, pspec);
          }
        break;

      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dengon_sidebar_class_init (DengonSidebarClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = dengon_sidebar_dispose;
  object_class->finalize = dengon_sidebar_finalize;
  object_class->get_property = dengon_sidebar_get_property;
  object_class->set_property = dengon_sidebar_set_property;

  properties[PROP_FILTER] =
      g_param_spec_string ("filter", NULL, NULL, "for-me",
                           G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PERIOD] =
      g_param_spec_string ("period", NULL, NULL, "any",
                           G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ME] = g_param_spec_string (
      "me", NULL, NULL, NULL, G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "/ui/dengon-sidebar.ui");
  gtk_widget_class_bind_template_child (widget_class, DengonSidebar, list_box);
  gtk_widget_class_bind_template_child (widget_class, DengonSidebar, period_dropdown);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
dengon_sidebar_init (DengonSidebar *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  dengon_ui_fix_accessible_names (GTK_WIDGET (self));

  self->filter = g_strdup ("for-me");
  self->count_labels = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  gtk_list_box_set_header_func (self->list_box, header_func, NULL, NULL);
  g_signal_connect_object (self->list_box, "row-selected", G_CALLBACK (on_row_selected), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->period_dropdown, "notify::selected",
                           G_CALLBACK (on_period_changed), self, G_CONNECT_SWAPPED);
  rebuild (self);
}

GtkWidget *
dengon_sidebar_new (void)
{
  return g_object_new (DENGON_TYPE_SIDEBAR, NULL);
}

void
dengon_sidebar_set_models (DengonSidebar *self, DengonStaffModel *staff, DengonMemoCounts *counts)
{
  g_return_if_fail (DENGON_IS_SIDEBAR (self));

  if (self->staff != NULL)
    g_signal_handlers_disconnect_by_data (self->staff, self);
  if (self->counts != NULL)
    g_signal_handlers_disconnect_by_data (self->counts, self);
  g_set_object (&self->staff, staff);
  g_set_object (&self->counts, counts);

  if (staff != NULL)
    g_signal_connect_swapped (staff, "items-changed", G_CALLBACK (on_staff_changed), self);
  if (counts != NULL)
    g_signal_connect_swapped (counts, "changed", G_CALLBACK (on_count_changed), self);

  rebuild (self);
}

/* Counts again with the time of now (an overdue deadline passed). */
void
dengon_sidebar_refresh (DengonSidebar *self)
{
  GHashTableIter iter;
  const char *filter;

  g_return_if_fail (DENGON_IS_SIDEBAR (self));

  g_hash_table_iter_init (&iter, self->count_labels);
  while (g_hash_table_iter_next (&iter, (gpointer *) &filter, NULL))
    register_count (self, filter);
  if (self->counts != NULL)
    dengon_memo_counts_refresh (self->counts);
}

const char *
dengon_sidebar_get_filter (DengonSidebar *self)
{
  g_return_val_if_fail (DENGON_IS_SIDEBAR (self), NULL);

  return self->filter;
}

void
dengon_sidebar_set_filter (DengonSidebar *self, const char *filter)
{
  g_return_if_fail (DENGON_IS_SIDEBAR (self));

  if (filter == NULL || g_strcmp0 (filter, self->filter) == 0)
    return;

  g_free (self->filter);
  self->filter = g_strdup (filter);
  select_filter_row (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FILTER]);
}

/* The selected filter's title ("For Me", a person's name, ...). */
const char *
dengon_sidebar_get_filter_title (DengonSidebar *self)
{
  GtkListBoxRow *row;

  g_return_val_if_fail (DENGON_IS_SIDEBAR (self), NULL);

  row = gtk_list_box_get_selected_row (self->list_box);

  return row != NULL ? g_object_get_data (G_OBJECT (row), "title") : _ ("For Me");
}

const char *
dengon_sidebar_get_period (DengonSidebar *self)
{
  guint selected;

  g_return_val_if_fail (DENGON_IS_SIDEBAR (self), NULL);

  selected = gtk_drop_down_get_selected (self->period_dropdown);

  return selected < G_N_ELEMENTS (periods) ? periods[selected] : "any";
}
