#!/usr/bin/python3
"""The shared inbox on the real window: filters, assigning, done and undo,
search by a fragment of a Japanese name and by the last digits of a number,
and the first start's "who is at this desk"."""
import configparser
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import uitap  # noqa: E402
import uitest  # noqa: E402
from dengon_ui import DengonTestCase  # noqa: E402

STAFF = [
    {"_id": "staff:aya", "type": "staff", "name": "佐藤 綾", "reading": "さとう あや", "role": "owner", "active": True},
    {"_id": "staff:ken", "type": "staff", "name": "山田 健", "reading": "やまだ けん", "role": "staff", "active": True},
    {"_id": "staff:rin", "type": "staff", "name": "伊藤 凛", "reading": "いとう りん", "role": "staff", "active": True},
]


def memo(n, minutes_ago, name, company, number, display, message, for_):
    history = [{"at": "", "by": "staff:rin", "action": "create", "from": None, "to": for_, "note": None}]
    return {"_id": "memo:test-%d" % n, "type": "memo", "created_minutes_ago": minutes_ago, "taken_by": "staff:rin",
            "call": {"direction": "in", "number": number, "number_display": display},
            "caller": {"name": name, "company": company, "contact_id": None},
            "for": for_, "category": "message", "urgency": "normal",
            "callback": {"requested": False, "number": None, "by": None},
            "message": message, "script": {"id": None, "answers": {}}, "status": "new", "history": history}


MEMOS = [
    memo(1, 30, "田中 一郎", "株式会社田中工務店", "+81312345678", "03-1234-5678", "見積書を送ってほしい", "staff:aya"),
    memo(2, 20, "佐藤 花子", "佐藤商事", "+819087654321", "090-8765-4321", "納期の確認", "staff:aya"),
    memo(3, 10, "鈴木 健二", "山本運輸", "+81451115678", "045-111-5678", "返品について", None),
]


class InboxTest(DengonTestCase):
    app_seed = STAFF + MEMOS
    app_settings = {"desk-staff-id": "'staff:aya'", "inbox-filter": "'for-me'"}

    def rows_starting(self, *names):
        seen = []

        def rows():
            seen[:] = self.app.memo_rows()
            return list(seen) if [r.split(",")[0] for r in seen] == list(names) else None
        try:
            return uitest.wait_for(rows, what="rows %r" % (names,))
        except uitest.UITestError as e:
            raise uitest.UITestError("%s (have %r)" % (e, seen)) from None

    def select(self, caller):
        row = uitest.find(self.app.window(), role="panel", pred=lambda n: (n.name or "").startswith(caller + ","))
        uitest.mouse_click(row)
        uitest.find(self.app.window(), role="label", name=caller,
                    pred=lambda n: "title-1" in (n.parent.name or "") or True)
        return row

    def test_for_me_lists_my_memos(self):
        self.rows_starting("佐藤 花子", "田中 一郎")
        title = uitest.find(self.app.window(), role="label", name="For Me")
        self.assertIsNotNone(title)

    def test_assign_to_colleague(self):
        self.rows_starting("佐藤 花子", "田中 一郎")
        self.select("田中 一郎")
        uitest.find(self.app.window(), role="push button", name="Acknowledge")
        uitest.key("a")
        uitest.click(uitest.find(self.app.atspi, role="push button", name="山田 健"))
        # Out of "For Me", for Ken in the database, with the event in the history.
        self.rows_starting("佐藤 花子")
        doc = uitest.wait_for(lambda: (lambda d: d if d and d["for"] == "staff:ken" else None)(
            self.app.doc("memo:test-1")), what="memo assigned to Ken in the database")
        last = doc["history"][-1]
        self.assertEqual((last["action"], last["by"], last["to"]), ("assign", "staff:aya", "staff:ken"))
        self.assertEqual(doc["status"], "assigned")

    def test_done_and_undo(self):
        self.rows_starting("佐藤 花子", "田中 一郎")
        self.select("佐藤 花子")
        uitest.find(self.app.window(), role="push button", name="Done")
        uitest.key("d")
        uitest.wait_for(lambda: self.app.doc("memo:test-2")["status"] == "done", what="memo done in the database")
        self.rows_starting("田中 一郎")
        undo = uitest.find(self.app.window(), role="push button", name="Undo")
        uitest.click(undo)
        doc = uitest.wait_for(lambda: (lambda d: d if d["status"] == "assigned" else None)(self.app.doc("memo:test-2")),
                              what="memo open again after undo")
        self.assertEqual([e["action"] for e in doc["history"]][-2:], ["done", "undo"])
        self.rows_starting("佐藤 花子", "田中 一郎")

    def test_search_name_fragment_and_last_digits(self):
        win = self.app.window()
        uitest.mouse_click(uitest.find(win, role="list item", name="All"))
        self.rows_starting("鈴木 健二", "佐藤 花子", "田中 一郎")
        uitest.key("ctrl+f")
        entry = uitest.find(win, role="entry", name="Search memos")
        uitest.wait_for(lambda: "focused" in uitest.states(entry), what="search entry focus")
        # A fragment of a Japanese name, as an IME would commit it.
        uitest.set_text(entry, "花子")
        self.rows_starting("佐藤 花子")
        # The last four digits, typed on the keyboard.
        uitest.set_text(entry, "")
        uitest.type_text("5678")
        self.rows_starting("鈴木 健二", "田中 一郎")
        uitest.find(win, role="label", name="2 results")
        uitest.set_text(entry, "存在しない")
        uitest.find(win, role="label", name="No Results")


class FirstStartTest(DengonTestCase):
    app_seed = STAFF[1:] + MEMOS
    app_settings = {}

    def test_just_me(self):
        dialog = uitest.find(self.app.atspi, role="frame", name="Who Is at This Desk?")
        uitest.find(dialog, role="label", name="山田 健")
        uitest.click(uitest.find(dialog, role="push button", name="Just Me"))
        keyfile = os.path.join(self.app.env["XDG_CONFIG_HOME"], "glib-2.0", "settings", "keyfile")

        def desk():
            cfg = configparser.ConfigParser()
            cfg.read(keyfile)
            value = cfg["org/dengon/Dengon"].get("desk-staff-id", "''") if "org/dengon/Dengon" in cfg else "''"
            return value.strip("'") or None
        me = uitest.wait_for(desk, what="desk-staff-id set")
        person = self.app.doc(me)
        self.assertEqual(person["type"], "staff")
        self.assertEqual(person["role"], "owner")


if __name__ == "__main__":
    uitap.main(InboxTest, FirstStartTest)
