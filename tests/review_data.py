"""The review's test office: staff and the memos of Friday 2026-11-20 in Tokyo (and either side
of it), with times right at local midnight and at UTC midnight (09:00 in Tokyo).

Shared by the CLI test (CSV and PDF) and the UI test.  Times are UTC, as stored."""

STAFF = [
    {"_id": "staff:aya", "type": "staff", "name": "佐藤 綾", "reading": "さとう あや", "role": "owner", "active": True},
    {"_id": "staff:ken", "type": "staff", "name": "山田 健", "reading": "やまだ けん", "role": "staff", "active": True},
    {"_id": "staff:rin", "type": "staff", "name": "伊藤 凛", "reading": "いとう りん", "role": "staff", "active": True},
]

DAY = "2026-11-20"


def event(at, action, by="staff:rin", to=None, note=None, **extra):
    e = {"at": at, "by": by, "action": action, "from": None, "to": to, "note": note}
    e.update(extra)
    return e


def memo(n, created, name, company, message, category="message", direction="in", for_=None, callback_by=None,
         events=(), number="+81312345678", display="03-1234-5678", urgent=False):
    history = [event(created, "create", to=for_)] + list(events)
    return {
        "_id": "memo:review-%02d" % n, "type": "memo", "created_at": created, "taken_by": "staff:rin",
        "call": {"direction": direction, "number": number, "number_display": display,
                 "started_at": created.replace(":00.000Z", ":00.000Z"), "ended_at": created},
        "caller": {"name": name, "company": company, "contact_id": None},
        "for": for_, "category": category, "urgency": "urgent" if urgent else "normal",
        "callback": {"requested": callback_by is not None, "number": number if callback_by else None,
                     "by": callback_by},
        "message": message, "script": {"id": None, "answers": {}}, "status": "new", "history": history,
    }


MEMOS = [
    # Thursday 23:59:59 in Tokyo: not Friday.
    memo(1, "2026-11-19T14:59:59.000Z", "前日 太郎", "前日商事", "木曜の最後の電話"),
    # Friday 00:00 in Tokyo (still the 19th in UTC): a caller with a comma and quotes.
    memo(2, "2026-11-19T15:00:00.000Z", 'Smith, John "JJ"', "ACME, Inc.", "Call me back,\nplease.",
         category="order", for_="staff:aya"),
    # Friday 08:59 in Tokyo, the 19th in UTC.
    memo(3, "2026-11-19T23:59:00.000Z", "早朝 一郎", "朝日運輸", "=SUM(A1:A9) と書いてください",
         category="inquiry"),
    # Friday 09:00 in Tokyo, the 20th in UTC: an urgent complaint for Ken, overdue.
    memo(4, "2026-11-20T00:00:00.000Z", "田中 一郎", "株式会社田中工務店", "納品された部品が違う〜至急連絡を",
         category="complaint", for_="staff:ken", callback_by="2026-11-20T01:00:00.000Z", urgent=True,
         events=[event("2026-11-20T00:00:01.000Z", "assign", by="staff:aya", to="staff:ken")]),
    # Friday 10:30: an order for Aya, called back after 30 minutes, done.
    memo(5, "2026-11-20T01:30:00.000Z", "𠮷田 花子", "𠮷野家商店", "見積書を送ってほしい😀 café",
         category="order", for_="staff:aya", callback_by="2026-11-20T03:00:00.000Z",
         events=[event("2026-11-20T02:00:00.000Z", "called_back", by="staff:aya", note="見積書を送付"),
                 event("2026-11-20T02:10:00.000Z", "done", by="staff:aya")]),
    # Friday 10:45: a sales pitch: counted apart.
    memo(6, "2026-11-20T01:45:00.000Z", "営業 次郎", "光回線センター", "回線の乗り換えのご案内", category="sales"),
    # Friday 23:59: an outgoing follow-up for Ken, called back after midnight (11 minutes).
    memo(7, "2026-11-20T14:59:00.000Z", "夜間 三郎", "夜間警備", "明日の件", category="followup", direction="out",
         for_="staff:ken", events=[event("2026-11-20T15:10:00.000Z", "called_back", by="staff:ken")]),
    # Saturday 00:00 in Tokyo: not Friday.
    memo(8, "2026-11-20T15:00:00.000Z", "土曜 四郎", "土曜商会", "土曜の最初の電話"),
]
