"""A small office's customers for the contacts UI test and screenshots: staff, contacts in every
segment and quadrant (numbers stored in other written forms than the phones send), their memos,
escalated leads and a follow-up call."""
import datetime

DAY = 24 * 60


def staff():
    return [
        {"_id": "staff:aya", "type": "staff", "name": "佐藤 綾", "reading": "さとう あや", "role": "owner",
         "active": True},
        {"_id": "staff:ken", "type": "staff", "name": "山田 健", "reading": "やまだ けん", "role": "staff",
         "active": True},
        {"_id": "staff:sho", "type": "staff", "name": "高橋 翔", "reading": "たかはし しょう",
         "role": "field_sales", "active": True},
    ]


def contact(uid, name, reading, company, numbers, owner=None, potential=None, relationship=None,
            department=None, notes=None):
    return {"_id": "contact:" + uid, "type": "contact", "name": name, "reading": reading,
            "company": company, "department": department,
            "numbers": [{"number": n, "display": d, "kind": k} for n, d, k in numbers],
            "email": None, "notes": notes, "account_owner": owner, "segment_override": None,
            "potential": potential, "relationship": relationship,
            "created_at": "2024-04-01T00:00:00.000Z"}


def memo(uid, minutes_ago, number, display, name, company, message, direction="in", for_=None,
         contact_id=None, history=(), category="message", callback=False, answers=None):
    return {
        "_id": "memo:" + uid, "type": "memo", "created_minutes_ago": minutes_ago,
        "taken_by": "staff:aya",
        "call": {"direction": direction, "number": number, "number_display": display,
                 "started_at": None, "ended_at": None},
        "caller": {"name": name, "company": company, "contact_id": contact_id},
        "for": for_, "category": category, "urgency": "normal",
        "callback": {"requested": callback, "number": None, "by": None},
        "message": message, "script": {"id": None, "answers": answers or {}},
        "status": "new",
        "history": [{"at": "2020-01-01T00:00:00.000Z", "by": "staff:aya", "action": "create",
                     "from": None, "to": None, "note": None}] + list(history),
    }


def iso_ago(minutes):
    at = datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(minutes=minutes)
    return at.strftime("%Y-%m-%dT%H:%M:%S.000Z")


def documents(ja=True):
    office = {"_id": "office:settings", "type": "office",
              "name": "伝言商事株式会社" if ja else "Dengon Trading",
              "greetings": {"morning": "おはようございます", "morning_until": "00:00",
                            "default": "お電話ありがとうございます"},
              "contacts": {"dormant_after_months": 12, "escalation_outcome_days": 7}}
    contacts = [
        # Dormant, high potential, weak relationship: win back. Stored in full-width digits.
        contact("furukawa", "古川 一郎", "ふるかわ いちろう", "古川製作所",
                [("０４５（１２３）４５６７", "045-123-4567", "work"), ("+819011112222", "090-1111-2222", "mobile")],
                owner="staff:ken", potential="high", relationship="low", department="購買部",
                notes="以前は毎月ご注文。担当の方が替わられた。"),
        contact("tanaka", "田中 一郎", "たなか いちろう", "株式会社田中工務店",
                [("+81312345678", "03-1234-5678", "work")], owner="staff:aya", potential="high",
                relationship="high"),
        contact("sato", "佐藤 花子", "さとう はなこ", "佐藤商事",
                [("+819087654321", "090-8765-4321", "mobile")], owner="staff:ken", potential="low",
                relationship="high"),
        contact("suzuki", "鈴木 健二", "すずき けんじ", "山本運輸",
                [("+81451115678", "045-111-5678", "work")], potential="high", relationship="low"),
        contact("watanabe", "渡辺 誠", "わたなべ まこと", "渡辺設計事務所",
                [("+81335557777", "03-3555-7777", "work")], owner="staff:sho", potential="low",
                relationship="low"),
        contact("kobayashi", "小林 由美", "こばやし ゆみ", "こばやし薬局",
                [("+81422334455", "0422-33-4455", "work")]),
        contact("nakamura", None, None, "中村不動産", [("+81663334444", "06-6333-4444", "work")],
                potential="high", relationship="low"),
    ]
    memos = [
        # 古川: last heard of 14 months ago.
        memo("furukawa-old", 425 * DAY, "+81451234567", "045-123-4567", "古川 一郎", "古川製作所",
             "来期の発注予定について", contact_id="contact:furukawa", for_="staff:ken"),
        memo("tanaka-recent", 3 * DAY, "+81312345678", "03-1234-5678", "田中 一郎", "株式会社田中工務店",
             "見積書を今週中に送ってほしい", contact_id="contact:tanaka", for_="staff:aya",
             category="order"),
        memo("sato-recent", 40 * DAY, "+819087654321", "090-8765-4321", "佐藤 花子", "佐藤商事",
             "納期の確認", contact_id="contact:sato", category="inquiry"),
        memo("suzuki-old", 500 * DAY, "+81451115678", "045-111-5678", "鈴木 健二", "山本運輸",
             "配送の相談", contact_id="contact:suzuki"),
        memo("nakamura-old", 700 * DAY, "+81663334444", "06-6333-4444", None, "中村不動産",
             "物件案内の件"),
        # Escalated leads: one waiting for ten days, one with its outcome.
        memo("lead-waiting", 10 * DAY, "+81312345678", "03-1234-5678", "田中 一郎", "株式会社田中工務店",
             "新事務所の内装について相談したい", contact_id="contact:tanaka", category="order",
             history=[{"at": iso_ago(10 * DAY - 5), "by": "staff:aya", "action": "escalate", "from": None,
                       "to": "staff:sho", "note": "新事務所の内装、予算500万円"}]),
        memo("lead-won", 20 * DAY, "+81335557777", "03-3555-7777", "渡辺 誠", "渡辺設計事務所",
             "複合機の入れ替え", contact_id="contact:watanabe", category="order",
             history=[{"at": iso_ago(20 * DAY - 5), "by": "staff:aya", "action": "escalate", "from": None,
                       "to": "staff:sho", "note": "複合機3台"},
                      {"at": iso_ago(12 * DAY), "by": "staff:sho", "action": "outcome", "from": None,
                       "to": None, "note": "won", "detail": "3台受注"}]),
        # A follow-up call list of this morning: one appointment, one to try again.
        memo("followup-suzuki", 60, "+81451115678", "045-111-5678", "鈴木 健二", "山本運輸",
             "ご不在。夕方にかけ直す", direction="out", contact_id="contact:suzuki", category="followup",
             callback=True),
        # A follow-up call today: reached, appointment made.
        memo("followup-nakamura", 90, "+81663334444", "06-6333-4444", "中村 陽子", "中村不動産",
             "新しい複合機のご案内。来週火曜に訪問", direction="out", contact_id="contact:nakamura",
             category="followup", answers={"interest": "appointment"}),
    ]
    call_list = {"_id": "followup:dormant", "type": "followup",
                 "name": "休眠・掘り起こし" if ja else "Dormant · Win Back",
                 "created_at": iso_ago(180), "created_by": "staff:aya", "segment": "dormant",
                 "quadrant": "win_back",
                 "contacts": ["contact:furukawa", "contact:suzuki", "contact:nakamura"]}
    return staff() + [office] + contacts + memos + [call_list]
