/* bench-store.c: the document store at office scale (insert, cold start, search, lists, saves)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * bench-store [--memos N] [--dir DIR] [--keep] [--reuse]
 *
 * Generates N synthetic Japanese phone memos (deterministic), loads them the way replication
 * does, then times what the UI asks of the store. Not a test: it prints numbers, it does not
 * judge them (the targets are printed beside them).
 */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dengon-json.h"
#include "dengon-store.h"

#define SEED        20261123
#define BATCH       1000
#define MIN_RUNS    200
#define SAVES       200
#define POOL        4000 /* regular callers: customers who call again and again */
#define N_STAFF     10
#define GEN_VERSION 1

#define MINUTE_MS     (G_GINT64_CONSTANT (60) * 1000)
#define HOUR_MS       (60 * MINUTE_MS)
#define DAY_MS        (24 * HOUR_MS)
#define OFFICE_DAY_MS (9 * HOUR_MS) /* 09:00–18:00 JST = 00:00–09:00 UTC */
#define WEEKS         156           /* three years of working weeks */

/* ------------------------------------------------------------------ vocabulary */

/* The hundred most common surnames, most common first (picked with a skew). */
static const char *surnames[] = {
  "佐藤", "鈴木", "高橋",   "田中", "伊藤", "渡辺", "山本", "中村", "小林", "加藤",
  "吉田", "山田", "佐々木", "山口", "松本", "井上", "木村", "林",   "斎藤", "清水",
  "山崎", "森",   "池田",   "橋本", "阿部", "石川", "山下", "中島", "石井", "小川",
  "前田", "岡田", "長谷川", "藤田", "後藤", "近藤", "村上", "遠藤", "青木", "坂本",
  "斉藤", "福田", "太田",   "西村", "藤井", "金子", "岡本", "藤原", "中野", "三浦",
  "原田", "中川", "松田",   "竹内", "小野", "田村", "中山", "和田", "石田", "森田",
  "上田", "原",   "内田",   "柴田", "酒井", "宮崎", "横山", "高木", "安藤", "宮本",
  "大野", "小島", "谷口",   "今井", "工藤", "高田", "増田", "丸山", "杉山", "村田",
  "大塚", "新井", "小山",   "平野", "藤本", "河野", "上野", "野口", "武田", "松井",
  "千葉", "岩崎", "菅原",   "木下", "久保", "佐野", "野村", "松尾", "菊地", "市川",
};

static const char *given_names[] = {
  "太郎", "一郎", "健",   "翔",   "大輔", "誠",     "浩",     "隆",   "修",   "健一",
  "直樹", "拓也", "大樹", "和也", "達也", "蓮",     "悠斗",   "剛",   "学",   "茂",
  "花子", "美咲", "由美", "陽子", "恵子", "久美子", "真由美", "愛",   "彩",   "さくら",
  "優子", "明美", "智子", "京子", "裕子", "結衣",   "葵",     "美穂", "千尋", "舞",
};

static const char *english_names[] = {
  "John Smith", "Emily Brown", "David Lee", "Sarah Wilson", "Michael Chen", "Tom Baker",
};

/* Company names are built: [株式会社|有限会社|(株)] + surname or place + trade. */
static const char *company_places[] = {
  "東京",   "大阪", "横浜", "湘南", "藤沢", "北海道", "九州",   "関東", "中央", "東洋",
  "日本",   "第一", "三和", "大和", "富士", "さくら", "あおば", "平和", "丸一", "昭和",
  "新日本", "城南", "相模", "協和", "光",   "ひかり", "みどり", "東海", "北陸", "湘南台",
};

static const char *company_trades[] = {
  "工務店",   "商事",   "製作所",     "運輸",       "不動産",       "歯科医院",   "建設",   "電機",
  "印刷",     "食品",   "物産",       "設計事務所", "会計事務所",   "薬局",       "自動車", "工業",
  "興業",     "産業",   "商会",       "精機",       "住宅",         "塗装",       "電設",   "物流",
  "システム", "ホーム", "クリニック", "法律事務所", "保険サービス", "リフォーム",
};

static const char *english_companies[] = {
  "ABC Trading",      "Global Tech Japan", "Sakura Systems",        "Blue Ocean Logistics",
  "Pacific Foods",    "Nippon Software",   "Green Field Co., Ltd.", "Star Print",
  "Tokyo Design Lab", "Fuji Trading Co.",
};

/* Sentences of phone memos, most common first. Slots: {P} part number, {Q} quantity,
 * {D} date, {T} time, {M} month, {O} order number, {N} a surname, {E} an English date. */
static const char *phrases[] = {
  "折り返しお願いします。",
  "お見積書を送ってほしいとのことです。",
  "納期の確認をしたいとのことです。",
  "担当者不在のため伝言をお預かりしました。",
  "請求書の再発行をお願いしたいとのことです。",
  "至急連絡がほしいとのことです。",
  "来週の打ち合わせの日程を調整したいそうです。",
  "返品について相談したいそうです。",
  "また後ほどかけ直すそうです。",
  "{P}の見積書を至急送ってほしいそうです。",
  "{P}の納期はいつになるか確認したいそうです。",
  "{M}分の請求書の金額が違うようです。",
  "{P}を{Q}個返品したいとのことです。",
  "折り返しお電話ください。",
  "{D}の打ち合わせを{T}に変更してほしいとのことです。",
  "携帯の方に電話してほしいそうです。",
  "注文番号{O}の件でお電話がありました。",
  "{P}を{Q}個追加で注文したいそうです。",
  "注文のキャンセルをしたいとのことです。",
  "商品がまだ届いていないそうです。",
  "届いた商品が破損していたとのことです。",
  "配送先の住所を変更したいそうです。",
  "{D}の午前中に配達してほしいとのことです。",
  "{P}の在庫があるか確認してほしいそうです。",
  "カタログを送ってほしいとのことです。",
  "新製品の資料がほしいそうです。",
  "価格改定について説明してほしいとのことです。",
  "支払いの期日を{D}まで延ばしてほしいそうです。",
  "入金が確認できたとのご連絡です。",
  "振込先の口座を教えてほしいそうです。",
  "契約更新の件でお話ししたいそうです。",
  "担当の方から連絡がないとのことでお怒りでした。",
  "前回の対応についてクレームがありました。",
  "修理の依頼です。",
  "{P}の調子が悪いので見に来てほしいそうです。",
  "工事の日程について確認したいとのことです。",
  "{D}の現場の立ち会いをお願いしたいそうです。",
  "図面を確認してほしいとのことです。",
  "設計変更の件でご相談があるそうです。",
  "営業の方に一度来てほしいとのことです。",
  "社長宛てのお電話でした。",
  "{N}様からのご紹介だそうです。",
  "求人の件でお問い合わせがありました。",
  "面接の日程を変更したいそうです。",
  "保険の更新手続きについてです。",
  "予約の変更をしたいとのことです。",
  "{D}{T}に予約を入れてほしいそうです。",
  "予約をキャンセルしたいそうです。",
  "検査結果について聞きたいそうです。",
  "駐車場の件でお問い合わせです。",
  "サンプルを{Q}個送ってほしいそうです。",
  "発注書をFAXで送ったので確認してほしいとのことです。",
  "メールを送ったので見てほしいそうです。",
  "領収書の宛名を変更してほしいとのことです。",
  "納品書が入っていなかったそうです。",
  "見積金額についてご相談があるそうです。",
  "{T}以降なら会社にいるとのことです。",
  "本日中にお返事がほしいそうです。",
  "急ぎではないとのことです。",
  "特に用件はおっしゃいませんでした。",
  "先日はありがとうございましたとのことです。",
  "年末年始の営業日を知りたいそうです。",
  "担当者が変わったのでご挨拶したいとのことです。",
  "{D}に{Q}名で伺いたいそうです。",
};

static const char *english_phrases[] = {
  "Please send the estimate for {P}.",           "Call back regarding the invoice.",
  "Asked about the delivery date of order {O}.", "Wants to reschedule the meeting to {E}.",
  "Meeting request from the Tokyo office.",      "Price list for {P}, please.",
};

static const char *part_prefixes[] = { "A", "B", "KP", "BX", "TS", "M", "SR", "C" };
static const char *months_en[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                   "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };

static const char *notes[] = {
  "不在でした。また後でかけます。", "対応済み",           "留守電に入れました。",
  "見積書を送付しました。",         "先方と日程調整済み", NULL,
};

/* ------------------------------------------------------------------ generator */

typedef struct
{
  char *name;    /* NULL: the caller did not say */
  char *company; /* NULL: a private person */
  char *key;     /* E.164; NULL: number withheld */
  char *display;
  char *contact_id;
} Caller;

typedef struct
{
  GRand *rand;
  Caller pool[POOL];
  guint n_memos;
  gint64 start_ms; /* Monday 09:00 JST of the first week */
  double step;     /* office milliseconds per memo */
  gint64 last_ms;
} Generator;

static void
caller_clear (Caller *caller)
{
  g_clear_pointer (&caller->name, g_free);
  g_clear_pointer (&caller->company, g_free);
  g_clear_pointer (&caller->key, g_free);
  g_clear_pointer (&caller->display, g_free);
  g_clear_pointer (&caller->contact_id, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Caller, caller_clear)

/* Zipf-like: low indexes (the common entries) much more often. */
static guint
pick_skewed (GRand *rand, guint n, int power)
{
  double u = g_rand_double (rand);
  double v = u;

  for (int i = 1; i < power; i++)
    v *= u;

  return MIN ((guint) (v * n), n - 1);
}

static guint
pick (GRand *rand, guint n)
{
  return (guint) g_rand_int_range (rand, 0, (gint32) n);
}

static gboolean
chance (GRand *rand, guint percent)
{
  return (guint) g_rand_int_range (rand, 0, 100) < percent;
}

static char *
make_name (GRand *rand)
{
  const char *surname = surnames[pick_skewed (rand, G_N_ELEMENTS (surnames), 2)];
  guint r = pick (rand, 100);

  if (r < 3)
    return NULL;
  if (r < 5)
    return g_strdup (english_names[pick (rand, G_N_ELEMENTS (english_names))]);
  if (r < 50)
    return g_strdup (surname);
  return g_strdup_printf ("%s%s%s", surname, r < 80 ? " " : "",
                          given_names[pick (rand, G_N_ELEMENTS (given_names))]);
}

static char *
make_company (GRand *rand)
{
  const char *core, *trade;
  guint r = pick (rand, 100);

  if (r < 25)
    return NULL;
  if (r < 31)
    return g_strdup (english_companies[pick (rand, G_N_ELEMENTS (english_companies))]);

  core = chance (rand, 50) ? surnames[pick_skewed (rand, G_N_ELEMENTS (surnames), 2)]
                           : company_places[pick (rand, G_N_ELEMENTS (company_places))];
  trade = company_trades[pick_skewed (rand, G_N_ELEMENTS (company_trades), 2)];

  if (r < 60)
    return g_strdup_printf ("株式会社%s%s", core, trade);
  if (r < 80)
    return g_strdup_printf ("%s%s", core, trade);
  if (r < 88)
    return g_strdup_printf ("有限会社%s%s", core, trade);
  if (r < 95)
    return g_strdup_printf ("%s%s株式会社", core, trade);
  return g_strdup_printf ("(株)%s%s", core, trade);
}

/* Subscriber digits never start with 0 or 1. */
static guint
subscriber (GRand *rand, guint digits)
{
  guint low = 2, high = 10;

  for (guint i = 1; i < digits; i++)
    {
      low *= 10;
      high *= 10;
    }

  return (guint) g_rand_int_range (rand, (gint32) low, (gint32) high);
}

static void
make_number (GRand *rand, char **key, char **display)
{
  static const char *mobile[] = { "90", "80", "70" };
  static const char *area3[] = { "45", "52", "92", "11", "75", "78" }; /* 0AB-CDE-FGHI */
  guint r = pick (rand, 100);
  guint a, b;

  if (r < 3)
    {
      *key = NULL;
      *display = g_strdup ("非通知");
      return;
    }

  if (r < 28 || r >= 98)
    {
      /* 03 / 06: two-digit area codes, 03-1234-5678 */
      const char *area = r < 21 || r >= 98 ? "3" : "6";

      a = subscriber (rand, 4);
      b = (guint) g_rand_int_range (rand, 0, 10000);
      *key = g_strdup_printf ("+81%s%04u%04u", area, a, b);
      *display = g_strdup_printf ("0%s-%04u-%04u", area, a, b);
    }
  else if (r < 46)
    {
      const char *area = area3[pick_skewed (rand, G_N_ELEMENTS (area3), 2)];

      a = subscriber (rand, 3);
      b = (guint) g_rand_int_range (rand, 0, 10000);
      *key = g_strdup_printf ("+81%s%03u%04u", area, a, b);
      *display = g_strdup_printf ("0%s-%03u-%04u", area, a, b);
    }
  else if (r < 54)
    {
      /* Fujisawa: 0466-12-3456 */
      a = subscriber (rand, 2);
      b = (guint) g_rand_int_range (rand, 0, 10000);
      *key = g_strdup_printf ("+81466%02u%04u", a, b);
      *display = g_strdup_printf ("0466-%02u-%04u", a, b);
    }
  else if (r < 88)
    {
      const char *prefix = mobile[pick_skewed (rand, G_N_ELEMENTS (mobile), 2)];

      a = (guint) g_rand_int_range (rand, 1000, 10000);
      b = (guint) g_rand_int_range (rand, 0, 10000);
      *key = g_strdup_printf ("+81%s%04u%04u", prefix, a, b);
      *display = g_strdup_printf ("0%s-%04u-%04u", prefix, a, b);
    }
  else if (r < 94)
    {
      a = (guint) g_rand_int_range (rand, 1000, 10000);
      b = (guint) g_rand_int_range (rand, 0, 10000);
      *key = g_strdup_printf ("+8150%04u%04u", a, b);
      *display = g_strdup_printf ("050-%04u-%04u", a, b);
    }
  else
    {
      a = (guint) g_rand_int_range (rand, 100, 1000);
      b = (guint) g_rand_int_range (rand, 0, 1000);
      *key = g_strdup_printf ("+81120%03u%03u", a, b);
      *display = g_strdup_printf ("0120-%03u-%03u", a, b);
    }
}

static void
make_caller (GRand *rand, Caller *caller)
{
  caller->name = make_name (rand);
  caller->company = make_company (rand);
  make_number (rand, &caller->key, &caller->display);
}

static void
append_sentence (GString *out, GRand *rand, const char *template)
{
  for (const char *p = template; *p; p++)
    {
      if (p[0] != '{' || p[1] == '\0' || p[2] != '}')
        {
          g_string_append_c (out, *p);
          continue;
        }

      switch (p[1])
        {
          case 'P':
            g_string_append_printf (out, "%s-%u",
                                    part_prefixes[pick (rand, G_N_ELEMENTS (part_prefixes))],
                                    (guint) g_rand_int_range (rand, 100, 10000));
            break;
          case 'Q':
            g_string_append_printf (out, "%u", (guint) g_rand_int_range (rand, 1, 201));
            break;
          case 'D':
            g_string_append_printf (out, "%u月%u日", (guint) g_rand_int_range (rand, 1, 13),
                                    (guint) g_rand_int_range (rand, 1, 29));
            break;
          case 'T':
            g_string_append_printf (out, "%u時%s", (guint) g_rand_int_range (rand, 9, 19),
                                    chance (rand, 25) ? "半" : "");
            break;
          case 'M':
            g_string_append_printf (out, "%u月", (guint) g_rand_int_range (rand, 1, 13));
            break;
          case 'O':
            g_string_append_printf (out, "%06u", (guint) g_rand_int_range (rand, 0, 1000000));
            break;
          case 'N':
            g_string_append (out, surnames[pick_skewed (rand, G_N_ELEMENTS (surnames), 2)]);
            break;
          case 'E':
            g_string_append_printf (out, "%s %u", months_en[pick (rand, 12)],
                                    (guint) g_rand_int_range (rand, 1, 29));
            break;
          default:
            g_string_append_len (out, p, 3);
            break;
        }
      p += 2;
    }
}

static char *
make_message (GRand *rand)
{
  static const guint sentence_weights[] = { 35, 70, 90, 100 }; /* 1–4 sentences */
  GString *out = g_string_new (NULL);
  guint r = pick (rand, 100), n = 1;

  while (n < 4 && r >= sentence_weights[n - 1])
    n++;

  for (guint i = 0; i < n; i++)
    {
      if (chance (rand, 4))
        {
          if (out->len > 0)
            g_string_append_c (out, ' ');
          append_sentence (out, rand, english_phrases[pick (rand, G_N_ELEMENTS (english_phrases))]);
          continue;
        }
      append_sentence (out, rand, phrases[pick_skewed (rand, G_N_ELEMENTS (phrases), 2)]);
    }

  return g_string_free (out, FALSE);
}

static char *
format_ts (gint64 ms)
{
  g_autoptr (GDateTime) t = g_date_time_new_from_unix_utc (ms / 1000);
  g_autofree char *base = g_date_time_format (t, "%Y-%m-%dT%H:%M:%S");

  return g_strdup_printf ("%s.%03dZ", base, (int) (ms % 1000));
}

static char *
staff_id (guint i)
{
  return g_strdup_printf ("staff:s%02u", i);
}

static void
generator_init (Generator *gen, guint n_memos)
{
  g_autoptr (GDateTime) start = g_date_time_new_utc (2023, 11, 27, 0, 0, 0); /* a Monday */

  memset (gen, 0, sizeof *gen);
  gen->rand = g_rand_new_with_seed (SEED);
  gen->n_memos = n_memos;
  gen->start_ms = g_date_time_to_unix (start) * 1000;
  gen->step = (double) (WEEKS * 5 * OFFICE_DAY_MS) / MAX (n_memos, 1);
  gen->last_ms = 0;

  for (guint i = 0; i < POOL; i++)
    {
      make_caller (gen->rand, &gen->pool[i]);
      gen->pool[i].contact_id = g_strdup_printf ("contact:c%05u", i);
    }
}

static void
generator_clear (Generator *gen)
{
  for (guint i = 0; i < POOL; i++)
    caller_clear (&gen->pool[i]);
  g_clear_pointer (&gen->rand, g_rand_free);
}

/* Memo @i is created at office time i × step (+ jitter): weekdays 09:00–18:00 JST over three
 * years, strictly increasing. */
static gint64
created_ms_of (Generator *gen, guint i)
{
  gint64 office = (gint64) ((i + g_rand_double (gen->rand)) * gen->step);
  gint64 day = office / OFFICE_DAY_MS, in_day = office % OFFICE_DAY_MS;
  gint64 ms = gen->start_ms + ((day / 5) * 7 + day % 5) * DAY_MS + in_day;

  if (ms <= gen->last_ms)
    ms = gen->last_ms + 1;
  gen->last_ms = ms;

  return ms;
}

static JsonObject *
new_event (gint64 at_ms, const char *by, const char *action, const char *from, const char *to,
           const char *note)
{
  JsonObject *event = json_object_new ();
  g_autofree char *at = format_ts (at_ms);

  json_object_set_string_member (event, "at", at);
  dengon_json_set_string_or_null (event, "by", by);
  json_object_set_string_member (event, "action", action);
  dengon_json_set_string_or_null (event, "from", from);
  dengon_json_set_string_or_null (event, "to", to);
  dengon_json_set_string_or_null (event, "note", note);

  return event;
}

static void
set_string (JsonObject *object, const char *member, const char *value)
{
  dengon_json_set_string_or_null (object, member, value);
}

static void
set_time (JsonObject *object, const char *member, gint64 ms)
{
  g_autofree char *text = format_ts (ms);

  json_object_set_string_member (object, member, text);
}

/* A memo as it arrives from another desk. @id NULL: derived from @index (deterministic). With
 * @replicated, _rev and _revisions as put_replicated() wants them. */
static JsonObject *
make_memo (Generator *gen, guint index, gint64 created_ms, const char *id, gboolean replicated)
{
  static const char *statuses[] = { "new", "assigned", "acknowledged", "called_back", "done" };
  static const struct
  {
    const char *name;
    guint weight;
  } categories[] = {
    { "general", 40 }, { "order", 25 }, { "sales", 15 }, { "delivery", 12 }, { "complaint", 8 },
  };
  GRand *rand = gen->rand;
  JsonObject *doc = json_object_new ();
  JsonObject *call = json_object_new ();
  JsonObject *caller_obj = json_object_new ();
  JsonObject *callback = json_object_new ();
  JsonObject *script = json_object_new ();
  JsonArray *history = json_array_new ();
  g_auto (Caller) one_off = { 0 };
  const Caller *caller;
  g_autofree char *memo_id = NULL;
  g_autofree char *taken_by = NULL;
  g_autofree char *assignee = NULL;
  g_autofree char *message = NULL;
  g_autofree char *created = format_ts (created_ms);
  guint r, status, category = 0;
  gboolean callback_requested, assign_at_create, ack, called_back;
  gint64 at = created_ms, call_ms;

  if (id == NULL)
    {
      g_autofree char *seed = g_strdup_printf ("%d:%u", SEED, index);
      g_autofree char *h = g_compute_checksum_for_string (G_CHECKSUM_MD5, seed, -1);

      memo_id =
          g_strdup_printf ("memo:%.8s-%.4s-%.4s-%.4s-%.12s", h, h + 8, h + 12, h + 16, h + 20);
    }
  else
    memo_id = g_strdup (id);

  /* Six in ten calls are from regular customers, the common ones much more often. */
  if (chance (rand, 60))
    caller = &gen->pool[pick_skewed (rand, POOL, 3)];
  else
    {
      make_caller (rand, &one_off);
      caller = &one_off;
    }

  r = pick (rand, 100);
  status = r < 70 ? 4 : r < 78 ? 0 : r < 88 ? 1 : r < 95 ? 2 : 3;
  taken_by = staff_id (chance (rand, 45) ? 0 : chance (rand, 55) ? 1 : pick (rand, N_STAFF));
  if (status != 0 && (status != 4 || chance (rand, 92)))
    assignee = staff_id (pick (rand, N_STAFF));
  r = pick (rand, 100);
  for (guint acc = categories[0].weight; r >= acc && category + 1 < G_N_ELEMENTS (categories);)
    acc += categories[++category].weight;
  callback_requested = chance (rand, 20);
  message = make_message (rand);

  json_object_set_string_member (doc, "_id", memo_id);
  if (replicated)
    {
      g_autofree char *hash = g_compute_checksum_for_string (G_CHECKSUM_MD5, memo_id, -1);
      g_autofree char *rev = g_strdup_printf ("1-%s", hash);
      JsonObject *revisions = json_object_new ();
      JsonArray *ids = json_array_new ();

      json_object_set_string_member (doc, "_rev", rev);
      json_array_add_string_element (ids, hash);
      json_object_set_int_member (revisions, "start", 1);
      json_object_set_array_member (revisions, "ids", ids);
      json_object_set_object_member (doc, "_revisions", revisions);
    }
  json_object_set_string_member (doc, "type", "memo");
  json_object_set_string_member (doc, "created_at", created);
  json_object_set_string_member (doc, "taken_by", taken_by);

  call_ms = created_ms - 5000 - g_rand_int_range (rand, 20, 600) * 1000;
  json_object_set_string_member (call, "direction", chance (rand, 95) ? "in" : "out");
  set_string (call, "number", caller->key);
  set_string (call, "number_display", caller->display);
  set_time (call, "started_at", call_ms);
  set_time (call, "ended_at", created_ms - 5000);
  json_object_set_object_member (doc, "call", call);

  set_string (caller_obj, "name", caller->name);
  set_string (caller_obj, "company", caller->company);
  set_string (caller_obj, "contact_id", caller->contact_id);
  json_object_set_object_member (doc, "caller", caller_obj);

  set_string (doc, "for", assignee);
  json_object_set_string_member (doc, "category", categories[category].name);
  json_object_set_string_member (doc, "urgency", chance (rand, 5) ? "urgent" : "normal");

  json_object_set_boolean_member (callback, "requested", callback_requested);
  set_string (callback, "number", callback_requested && chance (rand, 50) ? caller->key : NULL);
  if (callback_requested)
    set_time (callback, "by", created_ms + HOUR_MS + g_rand_int_range (rand, 0, 47) * HOUR_MS);
  else
    json_object_set_null_member (callback, "by");
  json_object_set_object_member (doc, "callback", callback);

  json_object_set_string_member (doc, "message", message);
  json_object_set_null_member (script, "id");
  json_object_set_object_member (script, "answers", json_object_new ());
  json_object_set_object_member (doc, "script", script);

  /* The history that gives this status, 1–4 events. */
  assign_at_create = assignee == NULL || chance (rand, 85);
  ack = status == 2 || (status == 3 && chance (rand, 60)) || (status == 4 && chance (rand, 50));
  called_back = status == 3 || (status == 4 && (callback_requested || chance (rand, 30)));
  if (status == 4 && !assign_at_create && ack && called_back)
    ack = FALSE;

  json_array_add_object_element (
      history, new_event (at, taken_by, "create", NULL, assign_at_create ? assignee : NULL, NULL));
  if (!assign_at_create)
    {
      at += g_rand_int_range (rand, 1, 60) * MINUTE_MS;
      json_array_add_object_element (history,
                                     new_event (at, "staff:s00", "assign", NULL, assignee, NULL));
    }
  if (status == 0 && chance (rand, 30))
    {
      at += g_rand_int_range (rand, 1, 120) * MINUTE_MS;
      json_array_add_object_element (
          history, new_event (at, taken_by, "note", NULL, NULL, "留守電にも入っていました。"));
    }
  if (ack)
    {
      at += g_rand_int_range (rand, 1, 180) * MINUTE_MS;
      json_array_add_object_element (history,
                                     new_event (at, assignee, "acknowledge", NULL, NULL, NULL));
    }
  if (called_back)
    {
      at += g_rand_int_range (rand, 5, 24 * 60) * MINUTE_MS;
      json_array_add_object_element (history, new_event (at, assignee ? assignee : taken_by,
                                                         "called_back", NULL, NULL,
                                                         notes[pick (rand, G_N_ELEMENTS (notes))]));
    }
  if (status == 4)
    {
      at += g_rand_int_range (rand, 1, 3 * 24 * 60) * MINUTE_MS;
      json_array_add_object_element (
          history, new_event (at, assignee ? assignee : taken_by, "done", NULL, NULL, NULL));
    }
  json_object_set_array_member (doc, "history", history);
  json_object_set_string_member (doc, "status", statuses[status]);

  return doc;
}

/* ------------------------------------------------------------------ measuring */

typedef struct
{
  gint64 p50, p95, max;
} Stats;

static int
compare_gint64 (gconstpointer a, gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

/* Nearest rank. */
static Stats
stats_of (GArray *samples)
{
  g_autoptr (GArray) sorted = g_array_copy (samples);
  Stats s = { 0 };
  guint n = sorted->len;

  if (n == 0)
    return s;
  g_array_sort (sorted, compare_gint64);
  s.p50 = g_array_index (sorted, gint64, (n + 1) / 2 - 1);
  s.p95 = g_array_index (sorted, gint64, (guint) ((n * 95 + 99) / 100) - 1);
  s.max = g_array_index (sorted, gint64, n - 1);

  return s;
}

/* @text and spaces up to @columns on a terminal (CJK characters take two). */
static char *
pad (const char *text, guint columns)
{
  GString *out = g_string_new (text);
  guint width = 0;

  for (const char *p = text; *p; p = g_utf8_next_char (p))
    width += g_unichar_iswide (g_utf8_get_char (p)) ? 2 : 1;
  while (width++ < columns)
    g_string_append_c (out, ' ');

  return g_string_free (out, FALSE);
}

static double
ms (gint64 us)
{
  return us / 1000.0;
}

static void
drain_main_context (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static void
close_store (DengonStore **store)
{
  drain_main_context ();
  g_clear_object (store);
}

static gint64
file_size (const char *path)
{
  GStatBuf st;

  return g_stat (path, &st) == 0 ? (gint64) st.st_size : 0;
}

/* How much of @path the page cache holds, 0–1 (-1 when unknown). */
static double
resident_fraction (const char *path)
{
  long page = sysconf (_SC_PAGESIZE);
  struct stat st;
  void *map;
  unsigned char *vec;
  gsize pages, resident = 0;
  int fd = open (path, O_RDONLY | O_CLOEXEC);

  if (fd < 0)
    return -1;
  if (fstat (fd, &st) != 0 || st.st_size == 0)
    {
      close (fd);
      return -1;
    }
  map = mmap (NULL, st.st_size, PROT_READ, MAP_SHARED, fd, 0);
  close (fd);
  if (map == MAP_FAILED)
    return -1;
  pages = (st.st_size + page - 1) / page;
  vec = g_malloc (pages);
  if (mincore (map, st.st_size, vec) == 0)
    {
      for (gsize i = 0; i < pages; i++)
        resident += vec[i] & 1;
    }
  else
    resident = pages;
  g_free (vec);
  munmap (map, st.st_size);

  return (double) resident / pages;
}

/* The salt of a WAL file changes each time the log restarts after a checkpoint. */
static guint64
wal_salt (const char *path)
{
  guint8 header[32];
  guint64 salt = 0;
  int fd = open (path, O_RDONLY | O_CLOEXEC);

  if (fd < 0)
    return 0;
  if (pread (fd, header, sizeof header, 0) == (ssize_t) sizeof header)
    memcpy (&salt, header + 16, sizeof salt);
  close (fd);

  return salt;
}

static void
fadvise_dontneed (const char *path)
{
  int fd = open (path, O_RDONLY | O_CLOEXEC);

  if (fd < 0)
    return;
  fdatasync (fd);
  posix_fadvise (fd, 0, 0, POSIX_FADV_DONTNEED);
  close (fd);
}

/* Drops the page cache (all of it as root, else the database files' own pages); returns how
 * cold the start really is, for the output. */
static char *
drop_caches (const char *db_path)
{
  g_autofree char *wal = g_strconcat (db_path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (db_path, "-shm", NULL);
  gboolean global = FALSE;
  double resident;
  int fd;

  sync ();
  fd = open ("/proc/sys/vm/drop_caches", O_WRONLY | O_CLOEXEC);
  if (fd >= 0)
    {
      global = write (fd, "1", 1) == 1;
      close (fd);
    }
  if (!global)
    {
      fadvise_dontneed (db_path);
      fadvise_dontneed (wal);
      fadvise_dontneed (shm);
    }

  resident = resident_fraction (db_path);
  if (resident >= 0 && resident < 0.02)
    return g_strdup_printf ("cold (%s; %.1f %% of the db file in the page cache)",
                            global ? "drop_caches" : "fadvise DONTNEED on the db files",
                            resident * 100);
  if (resident < 0)
    return g_strdup (global ? "cold (drop_caches)" : "warm (could not drop the page cache)");

  return g_strdup_printf ("warm (%.0f %% of the db file still in the page cache)", resident * 100);
}

/* ------------------------------------------------------------------ the report */

typedef struct
{
  GPtrArray *rows; /* "| measure | value |" */
  GPtrArray *targets;
} Report;

static void
add_row (Report *report, const char *measure, const char *value)
{
  g_ptr_array_add (report->rows, g_strdup_printf ("| %s | %s |", measure, value));
}

static void
add_target (Report *report, const char *what, gint64 measured_us, double target_ms)
{
  gboolean met = ms (measured_us) <= target_ms;

  g_ptr_array_add (report->targets,
                   g_strdup_printf ("%-4s %s: %.2f ms (target ≤ %.0f ms)", met ? "ok" : "MISS",
                                    what, ms (measured_us), target_ms));
}

static char *
stats_text (Stats s)
{
  return g_strdup_printf ("%.2f / %.2f / %.2f ms", ms (s.p50), ms (s.p95), ms (s.max));
}

/* ------------------------------------------------------------------ phases */

static gboolean
generate (DengonStore *store, guint n_memos, Report *report, GError **error)
{
  Generator gen;
  gint64 store_us = 0, start = g_get_monotonic_time ();
  g_autofree char *rate = NULL;
  g_autoptr (JsonObject) marker = json_object_new ();
  g_autofree char *rev = NULL;

  generator_init (&gen, n_memos);

  for (guint done = 0; done < n_memos;)
    {
      g_autoptr (GPtrArray) docs =
          g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
      g_autoptr (GPtrArray) failures = NULL;
      guint batch = MIN (BATCH, n_memos - done);
      gint64 t0;
      gboolean ok;

      for (guint i = 0; i < batch; i++)
        {
          gint64 created = created_ms_of (&gen, done + i);

          g_ptr_array_add (docs, make_memo (&gen, done + i, created, NULL, TRUE));
        }

      t0 = g_get_monotonic_time ();
      ok = dengon_store_put_replicated (store, docs, &failures, error);
      store_us += g_get_monotonic_time () - t0;
      if (!ok)
        {
          generator_clear (&gen);
          return FALSE;
        }
      if (failures->len > 0)
        {
          JsonObject *failure = g_ptr_array_index (failures, 0);

          g_set_error (error, DENGON_STORE_ERROR, DENGON_STORE_ERROR_INVALID,
                       "%u documents refused, the first %s: %s", failures->len,
                       dengon_json_get_string (failure, "id"),
                       dengon_json_get_string (failure, "reason"));
          generator_clear (&gen);
          return FALSE;
        }
      drain_main_context ();
      done += batch;

      if (done % 50000 == 0 || done == n_memos)
        fprintf (stderr, "  %u / %u memos, %.0f docs/s in the store, %.0f s elapsed\n", done,
                 n_memos, done / (store_us / 1e6), (g_get_monotonic_time () - start) / 1e6);
    }
  generator_clear (&gen);

  printf ("insert: %u memos in batches of %u: %.1f s in put_replicated (%.0f docs/s), %.1f s "
          "with generation\n",
          n_memos, BATCH, store_us / 1e6, n_memos / (store_us / 1e6),
          (g_get_monotonic_time () - start) / 1e6);
  rate = g_strdup_printf ("%.0f docs/s", n_memos / (store_us / 1e6));
  add_row (report, "insert rate (put_replicated, batches of 1000)", rate);

  /* Marks a complete generation, for --reuse. */
  json_object_set_int_member (marker, "memos", n_memos);
  json_object_set_int_member (marker, "seed", SEED);
  json_object_set_int_member (marker, "generator", GEN_VERSION);
  rev = dengon_store_put_local (store, "bench", marker, error);

  return rev != NULL;
}

static gboolean
can_reuse (const char *path, guint n_memos)
{
  g_autoptr (DengonStore) store = NULL;
  g_autoptr (JsonObject) marker = NULL;
  gboolean ok;

  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    return FALSE;
  store = dengon_store_open (path, NULL);
  if (store == NULL)
    return FALSE;
  marker = dengon_store_get_local (store, "bench", NULL);
  ok = marker != NULL && dengon_json_get_int (marker, "memos", 0) == n_memos &&
       dengon_json_get_int (marker, "seed", 0) == SEED &&
       dengon_json_get_int (marker, "generator", 0) == GEN_VERSION &&
       dengon_store_count_memos (store, NULL, 0, NULL) == n_memos;
  drain_main_context ();

  return ok;
}

static void
report_size (const char *path, guint n_memos, Report *report)
{
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  gint64 db = file_size (path), wal_size = file_size (wal);
  g_autofree char *value = NULL;

  printf ("database: %.1f MB (dengon.db %" G_GINT64_FORMAT " bytes + -wal %" G_GINT64_FORMAT
          " bytes), %.0f bytes per memo\n",
          (db + wal_size) / 1e6, db, wal_size, (double) (db + wal_size) / MAX (n_memos, 1));
  value = g_strdup_printf ("%.1f MB (%.0f bytes/memo)", (db + wal_size) / 1e6,
                           (double) (db + wal_size) / MAX (n_memos, 1));
  add_row (report, "database file size (db + wal, after checkpoint)", value);
}

static DengonStore *
cold_start (const char *path, Report *report, GError **error)
{
  g_autofree char *how = drop_caches (path);
  g_autofree char *value = NULL;
  g_autoptr (GPtrArray) hits = NULL;
  g_autoptr (DengonStore) store = NULL;
  gint64 t0, open_us, list_us, search_us;
  gboolean warm = g_str_has_prefix (how, "warm");

  t0 = g_get_monotonic_time ();
  store = dengon_store_open (path, error);
  open_us = g_get_monotonic_time () - t0;
  if (store == NULL)
    return NULL;

  t0 = g_get_monotonic_time ();
  hits = dengon_store_list_memos (store, NULL, 0, 50, error);
  list_us = g_get_monotonic_time () - t0;
  if (hits == NULL)
    return NULL;

  printf ("cold start: %s\n", how);
  printf ("  dengon_store_open: %.2f ms; first list_memos (newest 50, %u hits): %.2f ms\n",
          ms (open_us), hits->len, ms (list_us));

  value = g_strdup_printf ("%.2f ms%s", ms (open_us), warm ? " (warm)" : "");
  add_row (report, "cold start: dengon_store_open", value);
  g_clear_pointer (&value, g_free);
  value = g_strdup_printf ("%.2f ms%s", ms (list_us), warm ? " (warm)" : "");
  add_row (report, "cold start: first newest-50 list_memos", value);
  add_target (report, "cold start newest-50 query", list_us, 10);

  /* Once more for a search as the first thing after start. */
  close_store (&store);
  g_clear_pointer (&how, g_free);
  how = drop_caches (path);
  warm = g_str_has_prefix (how, "warm");
  store = dengon_store_open (path, error);
  if (store == NULL)
    return NULL;
  g_clear_pointer (&hits, g_ptr_array_unref);
  t0 = g_get_monotonic_time ();
  hits = dengon_store_search_memos (store, "見積書", NULL, 0, 50, error);
  search_us = g_get_monotonic_time () - t0;
  if (hits == NULL)
    return NULL;
  printf ("  first search 見積書 after a cold open (%s): %.2f ms, %u hits\n", how, ms (search_us),
          hits->len);
  g_clear_pointer (&value, g_free);
  value = g_strdup_printf ("%.2f ms%s", ms (search_us), warm ? " (warm)" : "");
  add_row (report, "cold start: first search 見積書, first 50", value);

  return g_steal_pointer (&store);
}

typedef struct
{
  const char *name;
  const char *terms[16]; /* NULL-terminated */
} SearchClass;

static const SearchClass search_classes[] = {
  { "search 3+ char Japanese",
    { "見積書", "株式会社", "請求書", "打ち合わせ", "納期の確認", "工務店", "折り返し", "不動産",
      "有限会社", "キャンセル", "佐々木", "返品したい", NULL } },
  { "search 1–2 char Japanese",
    { "田中", "佐藤", "見積", "返品", "納期", "至急", "林", "山", "鈴木", "修理", "予約", "森",
      NULL } },
  { "search number fragments",
    { "5678", "03-1234", "090", "１２３４", "0466-25", "045", "080-12", "06-65", "0120", "(03)",
      "1234", "3456", NULL } },
  { "search English words",
    { "estimate", "Trading", "invoice", "delivery", "meeting", "Tokyo", "Systems", "Logistics",
      "please", "order", NULL } },
  { "search two terms",
    { "田中 見積", "佐藤 請求書", "鈴木 納期", "株式会社 返品", "山本 打ち合わせ", "工務店 至急",
      "高橋 5678", "見積書 A-1", "林 予約", "中村 修理", NULL } },
};

static gboolean
bench_search_class (DengonStore *store, const SearchClass *klass, Report *report, Stats *out,
                    GError **error)
{
  g_autoptr (GArray) all = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr (GPtrArray) per_term = g_ptr_array_new_with_free_func ((GDestroyNotify) g_array_unref);
  g_autoptr (GArray) hit_counts = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autofree char *value = NULL;
  g_autofree char *label = NULL;
  guint n_terms = 0, rounds;
  Stats s;

  while (klass->terms[n_terms] != NULL)
    n_terms++;
  rounds = (MIN_RUNS + n_terms - 1) / n_terms;

  /* Warm-up, and the hit counts (first page, and up to 1000). */
  for (guint t = 0; t < n_terms; t++)
    {
      g_autoptr (GPtrArray) hits =
          dengon_store_search_memos (store, klass->terms[t], NULL, 0, 50, error);
      gint64 n;

      if (hits == NULL)
        return FALSE;
      n = hits->len;
      g_array_append_val (hit_counts, n);
      g_ptr_array_add (per_term, g_array_new (FALSE, FALSE, sizeof (gint64)));
    }

  for (guint r = 0; r < rounds; r++)
    {
      for (guint t = 0; t < n_terms; t++)
        {
          g_autoptr (GPtrArray) hits = NULL;
          gint64 t0 = g_get_monotonic_time (), us;

          hits = dengon_store_search_memos (store, klass->terms[t], NULL, 0, 50, error);
          us = g_get_monotonic_time () - t0;
          if (hits == NULL)
            return FALSE;
          g_array_append_val (all, us);
          g_array_append_val (per_term->pdata[t], us);
        }
    }

  s = stats_of (all);
  printf ("%s: %u runs over %u terms: p50 %.2f  p95 %.2f  max %.2f ms, median first-page hits "
          "%" G_GINT64_FORMAT "\n",
          klass->name, all->len, n_terms, ms (s.p50), ms (s.p95), ms (s.max),
          stats_of (hit_counts).p50);
  for (guint t = 0; t < n_terms; t++)
    {
      Stats ts = stats_of (per_term->pdata[t]);
      g_autoptr (GPtrArray) many =
          dengon_store_search_memos (store, klass->terms[t], NULL, 0, 1000, error);

      if (many == NULL)
        return FALSE;
      g_autofree char *padded = pad (klass->terms[t], 18);

      printf ("    %s first page %2" G_GINT64_FORMAT " hits, %s%u with limit 1000;  p50 %.2f "
              " p95 %.2f  max %.2f ms\n",
              padded, g_array_index (hit_counts, gint64, t), many->len == 1000 ? "≥" : "",
              many->len, ms (ts.p50), ms (ts.p95), ms (ts.max));
    }

  label = g_strdup_printf ("%s, first 50: p50 / p95 / max", klass->name);
  value = g_strdup_printf ("%.2f / %.2f / %.2f ms (median %" G_GINT64_FORMAT " hits)", ms (s.p50),
                           ms (s.p95), ms (s.max), stats_of (hit_counts).p50);
  add_row (report, label, value);
  *out = s;

  return TRUE;
}

static gboolean
time_list (DengonStore *store, const char *name, const DengonMemoQuery *query, gint64 before,
           Report *report, Stats *out, GError **error)
{
  g_autoptr (GArray) times = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr (GPtrArray) first = dengon_store_list_memos (store, query, before, 50, error);
  g_autofree char *label = NULL;
  g_autofree char *value = NULL;
  Stats s;

  if (first == NULL)
    return FALSE;

  for (guint i = 0; i < MIN_RUNS; i++)
    {
      g_autoptr (GPtrArray) hits = NULL;
      gint64 t0 = g_get_monotonic_time (), us;

      hits = dengon_store_list_memos (store, query, before, 50, error);
      us = g_get_monotonic_time () - t0;
      if (hits == NULL)
        return FALSE;
      g_array_append_val (times, us);
    }

  s = stats_of (times);
  printf ("list %s: %u hits, %u runs: p50 %.2f  p95 %.2f  max %.2f ms\n", name, first->len,
          times->len, ms (s.p50), ms (s.p95), ms (s.max));
  label = g_strdup_printf ("list %s, first 50: p50 / p95 / max", name);
  value = stats_text (s);
  add_row (report, label, value);
  *out = s;

  return TRUE;
}

static gboolean
bench_lists (DengonStore *store, guint n_memos, Report *report, GError **error)
{
  DengonMemoQuery mine = { .status_mask = 0xf, .assignee = "staff:s03" };
  DengonMemoQuery overdue = { .overdue_at_ms = g_get_real_time () / 1000 };
  g_autoptr (GArray) times = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autofree char *value = NULL;
  gint64 middle_key = 0, before = 0;
  guint seen = 0, count = 0;
  Stats s;

  printf ("open for staff:s03: %u memos; overdue now: %u memos\n",
          dengon_store_count_memos (store, &mine, 0, NULL),
          dengon_store_count_memos (store, &overdue, 0, NULL));

  if (!time_list (store, "open for me (staff:s03)", &mine, 0, report, &s, error))
    return FALSE;
  if (!time_list (store, "all", NULL, 0, report, &s, error))
    return FALSE;
  if (!time_list (store, "overdue (now)", &overdue, 0, report, &s, error))
    return FALSE;

  /* The key of the memo in the middle, found by paging once. */
  while (seen < n_memos / 2)
    {
      g_autoptr (GPtrArray) page = dengon_store_list_memos (store, NULL, before, 10000, error);

      if (page == NULL)
        return FALSE;
      if (page->len == 0)
        break;
      for (guint i = 0; i < page->len && seen < n_memos / 2; i++, seen++)
        middle_key = ((DengonMemoHit *) page->pdata[i])->key;
      before = ((DengonMemoHit *) page->pdata[page->len - 1])->key;
    }
  if (!time_list (store, "keyset page at the middle (all)", NULL, middle_key, report, &s, error))
    return FALSE;
  add_target (report, "keyset page mid-list p95", s.p95, 1);

  count = dengon_store_count_memos (store, &mine, 1000, error);
  for (guint i = 0; i < MIN_RUNS; i++)
    {
      gint64 t0 = g_get_monotonic_time (), us;

      count = dengon_store_count_memos (store, &mine, 1000, NULL);
      us = g_get_monotonic_time () - t0;
      g_array_append_val (times, us);
    }
  s = stats_of (times);
  printf ("count open for me, cap 1000: %u, %u runs: p50 %.2f  p95 %.2f  max %.2f ms\n", count,
          times->len, ms (s.p50), ms (s.p95), ms (s.max));
  value = g_strdup_printf ("%.2f / %.2f / %.2f ms (%u%s)", ms (s.p50), ms (s.p95), ms (s.max),
                           count, count >= 1000 ? "+" : "");
  add_row (report, "count open for me (cap 1000): p50 / p95 / max", value);

  return TRUE;
}

static gboolean
bench_saves (DengonStore *store, guint n_memos, Report *report, GError **error)
{
  g_autoptr (GArray) times = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr (GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GPtrArray) revs = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *value = NULL;
  gint64 run = g_get_real_time ();
  Generator gen;
  Stats s;

  g_autofree char *wal = g_strconcat (dengon_store_get_path (store), "-wal", NULL);
  g_autoptr (GArray) salts = g_array_new (FALSE, FALSE, sizeof (guint64));
  g_autoptr (GString) checkpoints = g_string_new (NULL);
  g_autoptr (GArray) others = g_array_new (FALSE, FALSE, sizeof (gint64));
  gint64 wal_before = file_size (wal), wal_growth = 0;
  guint n_checkpoints = 0, first_restart = 0;

  generator_init (&gen, n_memos);
  for (guint i = 0; i < SAVES; i++)
    {
      g_autofree char *id = g_strdup_printf ("memo:save-%" G_GINT64_FORMAT "-%03u", run, i);
      g_autoptr (JsonObject) doc = make_memo (&gen, i, g_get_real_time () / 1000, id, FALSE);
      gint64 t0 = g_get_monotonic_time (), us;
      char *rev = dengon_store_put (store, doc, error);

      us = g_get_monotonic_time () - t0;
      if (rev == NULL)
        {
          generator_clear (&gen);
          return FALSE;
        }
      g_array_append_val (times, us);
      g_ptr_array_add (ids, g_steal_pointer (&id));
      g_ptr_array_add (revs, rev);
      drain_main_context ();
      {
        guint64 salt = wal_salt (wal);

        g_array_append_val (salts, salt);
      }
      if (first_restart == 0 && i > 0 &&
          g_array_index (salts, guint64, i) != g_array_index (salts, guint64, i - 1))
        first_restart = i;
      if (first_restart == 0)
        wal_growth = (file_size (wal) - wal_before) / (i + 1);
    }
  generator_clear (&gen);

  /* The WAL restarts (new salt) in the write after a checkpoint: save i - 1 paid for it. */
  for (guint i = 1; i < SAVES; i++)
    {
      if (g_array_index (salts, guint64, i) != g_array_index (salts, guint64, i - 1))
        {
          n_checkpoints++;
          g_string_append_printf (checkpoints, "%s#%u %.2f ms", checkpoints->len ? ", " : "", i - 1,
                                  ms (g_array_index (times, gint64, i - 1)));
        }
      else if (i + 1 < SAVES &&
               g_array_index (salts, guint64, i + 1) == g_array_index (salts, guint64, i))
        g_array_append_val (others, g_array_index (times, gint64, i));
    }

  s = stats_of (times);
  printf ("durable save (dengon_store_put, synchronous=FULL), %u saves: p50 %.2f  p95 %.2f  max "
          "%.2f ms\n",
          times->len, ms (s.p50), ms (s.p95), ms (s.max));
  if (wal_before == 0 && wal_growth > 0)
    printf ("  the WAL grows by about %.0f KB per save until the first checkpoint\n",
            wal_growth / 1024.0);
  printf ("  WAL restarts seen (the save before paid a checkpoint): %u: %s\n", n_checkpoints,
          checkpoints->len ? checkpoints->str : "none");
  {
    Stats o = stats_of (others);
    guint slowest = 0;

    for (guint i = 1; i < times->len; i++)
      {
        if (g_array_index (times, gint64, i) > g_array_index (times, gint64, slowest))
          slowest = i;
      }
    printf ("  slowest save: #%u (%.2f ms)\n", slowest,
            ms (g_array_index (times, gint64, slowest)));

    printf ("  saves not next to a checkpoint: p50 %.2f  p95 %.2f  max %.2f ms\n", ms (o.p50),
            ms (o.p95), ms (o.max));
  }
  value = stats_text (s);
  add_row (report, "durable save (put, own transaction): p50 / p95 / max", value);
  add_target (report, "durable save p95", s.p95, 10);

  /* Leave the database as it was (N memos), so that it can be measured again. */
  for (guint i = 0; i < ids->len; i++)
    g_free (dengon_store_delete (store, ids->pdata[i], revs->pdata[i], NULL));
  drain_main_context ();

  return TRUE;
}

static void
remove_database (const char *path)
{
  static const char *suffixes[] = { "", "-wal", "-shm", "-journal" };

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *file = g_strconcat (path, suffixes[i], NULL);

      g_unlink (file);
    }
}

static char *
load_average (void)
{
  g_autofree char *text = NULL;
  g_auto (GStrv) fields = NULL;

  if (!g_file_get_contents ("/proc/loadavg", &text, NULL, NULL))
    return g_strdup ("?");
  fields = g_strsplit (text, " ", 4);
  if (g_strv_length (fields) < 3)
    return g_strdup ("?");

  return g_strdup_printf ("%s %s %s", fields[0], fields[1], fields[2]);
}

int
main (int argc, char *argv[])
{
  gint64 n_memos = 100000;
  g_autofree char *dir = NULL;
  gboolean keep = FALSE, reuse = FALSE, made_dir = FALSE;
  GOptionEntry entries[] = {
    { "memos", 0, 0, G_OPTION_ARG_INT64, &n_memos, "Number of memos (default 100000)", "N" },
    { "dir", 0, 0, G_OPTION_ARG_FILENAME, &dir, "Directory of dengon.db (default: a new tmp dir)",
      "DIR" },
    { "keep", 0, 0, G_OPTION_ARG_NONE, &keep, "Keep the database at the end", NULL },
    { "reuse", 0, 0, G_OPTION_ARG_NONE, &reuse,
      "Use DIR/dengon.db when it holds the N generated memos (implies --keep)", NULL },
    { NULL },
  };
  g_autoptr (GOptionContext) context = g_option_context_new ("- benchmark the Dengon store");
  g_autoptr (GError) error = NULL;
  g_autoptr (DengonStore) store = NULL;
  g_autofree char *path = NULL;
  g_autofree char *load = NULL;
  Report report = { g_ptr_array_new_with_free_func (g_free),
                    g_ptr_array_new_with_free_func (g_free) };
  gboolean reused = FALSE;
  guint n;

  /* Results go to a file while it runs in the background: line by line. */
  setvbuf (stdout, NULL, _IOLBF, 0);
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      fprintf (stderr, "%s\n", error->message);
      return 2;
    }
  if (n_memos < 1 || n_memos > 10000000)
    {
      fprintf (stderr, "--memos: between 1 and 10000000\n");
      return 2;
    }
  n = (guint) n_memos;

  if (dir == NULL)
    {
      dir = g_dir_make_tmp ("dengon-bench-XXXXXX", &error);
      if (dir == NULL)
        {
          fprintf (stderr, "%s\n", error->message);
          return 1;
        }
      made_dir = TRUE;
    }
  else if (g_mkdir_with_parents (dir, 0755) != 0)
    {
      fprintf (stderr, "%s: %s\n", dir, g_strerror (errno));
      return 1;
    }
  path = g_build_filename (dir, "dengon.db", NULL);
  load = load_average ();

  printf ("bench-store: %u memos in %s (SQLite %s, %u CPUs, load %s)\n", n, path,
          sqlite3_libversion (), g_get_num_processors (), load);

  if (reuse && can_reuse (path, n))
    {
      reused = TRUE;
      printf ("reusing the %u generated memos of %s\n", n, path);
    }
  else if (g_file_test (path, G_FILE_TEST_EXISTS))
    {
      if (!reuse)
        {
          fprintf (stderr, "%s exists: pass --reuse to measure it, or remove it\n", path);
          return 1;
        }
      printf ("%s does not hold the %u generated memos: generating them again\n", path, n);
      remove_database (path);
    }

  if (!reused)
    {
      store = dengon_store_open (path, &error);
      if (store == NULL || !generate (store, n, &report, &error))
        goto failed;
      /* Finalize checkpoints the WAL (TRUNCATE). */
      close_store (&store);
    }
  else
    add_row (&report, "insert rate (put_replicated, batches of 1000)", "(reused database)");
  report_size (path, n, &report);

  store = cold_start (path, &report, &error);
  if (store == NULL)
    goto failed;

  for (guint c = 0; c < G_N_ELEMENTS (search_classes); c++)
    {
      Stats s;

      if (!bench_search_class (store, &search_classes[c], &report, &s, &error))
        goto failed;
      if (c == 0)
        add_target (&report, "search 3+ char p95", s.p95, 5);
      else if (c == 1)
        add_target (&report, "search 1–2 char p95", s.p95, 20);
    }

  if (!bench_lists (store, n, &report, &error) || !bench_saves (store, n, &report, &error))
    goto failed;

  close_store (&store);

  {
    printf ("\n| measure (%u memos) | value |\n|---|---|\n", n);
    for (guint i = 0; i < report.rows->len; i++)
      printf ("%s\n", (const char *) report.rows->pdata[i]);
    printf ("\ntargets (at 1M memos):\n");
    for (guint i = 0; i < report.targets->len; i++)
      printf ("  %s\n", (const char *) report.targets->pdata[i]);
  }

  if (!keep && !reuse)
    {
      remove_database (path);
      if (made_dir)
        g_rmdir (dir);
    }
  else
    printf ("\ndatabase kept: %s\n", path);

  g_ptr_array_unref (report.rows);
  g_ptr_array_unref (report.targets);
  return 0;

failed:
  fprintf (stderr, "bench-store: %s\n", error ? error->message : "failed");
  close_store (&store);
  g_ptr_array_unref (report.rows);
  g_ptr_array_unref (report.targets);
  return 1;
}
