#!/usr/bin/python3
"""Contacts on the real window: a ring from a known dormant customer's number written another
way shows the contact, its segment and proposes its account owner; an unknown caller becomes a
contact in one step from the memo; a lead is escalated to field sales and its outcome recorded
with single keys; an address book in Shift_JIS is imported through the file chooser, with a
preview that names the bad line and offers the duplicate for merging."""
import json
import os
import sqlite3
import sys
import time

import pyatspi

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import contacts_data  # noqa: E402
import uitap  # noqa: E402
import uitest  # noqa: E402
from dengon_ui import DengonTestCase, open_preferences  # noqa: E402


def docs(data_dir, kind):
    db = sqlite3.connect("file:%s?mode=ro" % os.path.join(data_dir, "dengon.db"), uri=True, timeout=10)
    try:
        return [dict(json.loads(body), _id=id_) for (id_, body) in
                db.execute("SELECT id, body FROM docs WHERE type = ? AND NOT deleted", (kind,))]
    finally:
        db.close()


def unknown_caller_memo():
    return contacts_data.memo("unknown", 30, "+81663219876", "06-6321-9876", "石井 直樹", "石井商会",
                              "新しいカタログがほしい", for_="staff:aya", category="inquiry")


class ContactsTest(DengonTestCase):
    app_seed = contacts_data.documents(ja=False) + [unknown_caller_memo()]
    # Wide enough for the memo beside the list.
    app_settings = {"desk-staff-id": "'staff:aya'", "inbox-filter": "'all'", "window-width": "1400",
                    "window-height": "760"}
    app_env = dict(os.environ, TZ="Asia/Tokyo")

    def test_ring_from_dormant_contact(self):
        self.app.window()
        # Stored as "０４５（１２３）４５６７"; the desk phone sends it in international form.
        r = self.app.run_cli("--incoming", "+81-45-123-4567")
        self.assertEqual(r.returncode, 0, r.stderr)
        win = uitest.find(self.app.atspi, role="frame", name="Call", timeout=15)
        uitest.find(win, role="label", name="古川 一郎 (古川製作所)")
        uitest.find(win, role="label", name="Dormant customer")
        uitest.find(win, role="label", name="Win Back")
        uitest.find(win, role="label", name="Account owner: 山田 健")
        uitest.find(win, role="label", pred=lambda n: (n.name or "").startswith("ふるかわ いちろう\n購買部\nLast "
                                                                             "contact: "))

        # The script has the contact's name, and the account owner is proposed for the memo.
        uitest.key("Return")
        name = uitest.find(win, role="text", name="Caller's name")
        uitest.wait_for(lambda: uitest.text(name) == "古川 一郎", what="the contact's name")
        uitest.key("alt+Right")
        for_list = uitest.find(win, role="list", name="For")
        owner = uitest.find(for_list, pred=lambda n: "山田 健" in (n.name or "") and
                            "checked" in uitest.states(n))
        self.assertIsNotNone(owner)

        uitest.key("ctrl+Return")
        saved = uitest.wait_for(lambda: [m for m in docs(self.app.data_dir, "memo")
                                         if m["call"]["number"] == "+81451234567" and
                                         m["_id"] != "memo:furukawa-old"], what="the memo")[0]
        self.assertEqual(saved["for"], "staff:ken")
        self.assertEqual(saved["caller"]["contact_id"], "contact:furukawa")
        self.assertEqual(saved["caller"]["segment"], "dormant")

    def open_memo(self, caller):
        win = self.app.window()
        row = uitest.find(win, role="panel", pred=lambda n: (n.name or "").startswith(caller + ","))
        uitest.mouse_click(row)
        uitest.find(win, role="push button", name="Acknowledge")
        return win

    def enabled_button(self, win, name):
        # The memo loads on a worker thread: its actions are enabled once it is there.
        button = uitest.find(win, role="push button", name=name)
        uitest.wait_for(lambda: "sensitive" in uitest.states(button), what="%s enabled" % name)
        return button

    def test_unknown_caller_becomes_contact(self):
        win = self.open_memo("石井 直樹")
        button = self.enabled_button(win, "Add to Contacts")
        uitest.do_action(button)
        uitest.find(win, role="label", name="Added to contacts")
        contact = uitest.wait_for(lambda: [c for c in docs(self.app.data_dir, "contact")
                                           if c.get("name") == "石井 直樹"], what="the contact")[0]
        self.assertEqual(contact["company"], "石井商会")
        self.assertEqual(contact["numbers"][0]["number"], "+81663219876")
        memo = [m for m in docs(self.app.data_dir, "memo") if m["_id"] == "memo:unknown"][0]
        self.assertEqual(memo["caller"]["contact_id"], contact["_id"])
        # Known now: the button is gone.
        uitest.wait_for(lambda: "showing" not in uitest.states(button), what="the button to go")

    def test_escalate_and_record_outcome(self):
        win = self.open_memo("石井 直樹")
        uitest.do_action(self.enabled_button(win, "Escalate…"))
        dialog = uitest.find(self.app.atspi, name="Escalate to Field Sales", timeout=10)
        uitest.find(dialog, role="combo box", name="Field-sales person")
        uitest.find(dialog, role="label", name="高橋 翔")
        uitest.type_text("カタログと見積")
        uitest.key("Return")
        memo = uitest.wait_for(lambda: [m for m in docs(self.app.data_dir, "memo") if m["_id"] == "memo:unknown"
                                        and m["history"][-1]["action"] == "escalate"], what="the escalation")[0]
        self.assertEqual(memo["history"][-1]["to"], "staff:sho")
        self.assertEqual(memo["history"][-1]["note"], "カタログと見積")

        uitest.do_action(self.enabled_button(win, "Record Outcome…"))
        dialog = uitest.find(self.app.atspi, name="Record the Outcome", timeout=10)
        uitest.find(dialog, role="combo box", name="Outcome")
        uitest.type_text("来週訪問")
        uitest.key("Return")
        memo = uitest.wait_for(lambda: [m for m in docs(self.app.data_dir, "memo") if m["_id"] == "memo:unknown"
                                        and m["history"][-1]["action"] == "outcome"], what="the outcome")[0]
        self.assertEqual(memo["history"][-1]["note"], "appointment")
        self.assertEqual(memo["history"][-1]["detail"], "来週訪問")
        uitest.find(win, role="label", pred=lambda n: (n.name or "").endswith(
            "recorded the outcome: Appointment Set"))

    def test_follow_up_call_from_the_list(self):
        main = self.app.window()
        uitest.do_action(uitest.find(main, role="push button", name="Contacts"))
        win = uitest.find(self.app.atspi, role="frame", name="Contacts")
        uitest.do_action(uitest.find(win, role="page tab", name="Follow-up Calls"))
        uitest.find(win, role="label", name="1 to call · 1 reached · 1 to try again · 1 with an appointment")
        uitest.do_action(uitest.find(win, role="push button", name="Call", description="Call 古川 一郎"))

        # The outbound follow-up script, with the contact's card.
        call = uitest.find(self.app.atspi, role="frame", name="Call", timeout=15)
        uitest.find(call, role="label", name="古川 一郎 (古川製作所)")
        uitest.find(call, role="label", name="Dormant customer")
        uitest.find(call, role="label", pred=lambda n: (n.name or "").startswith("Good morning") or
                    "Dengon Trading" in (n.name or ""))
        uitest.key("ctrl+Return")

        memo = uitest.wait_for(lambda: [m for m in docs(self.app.data_dir, "memo")
                                        if m["call"]["direction"] == "out" and
                                        m["caller"].get("contact_id") == "contact:furukawa"],
                               what="the follow-up memo")[0]
        self.assertEqual(memo["category"], "followup")
        self.assertEqual(memo["script"]["id"], "script:followup-en")
        # The list follows: reached.
        uitest.find(win, role="label", name="0 to call · 2 reached · 1 to try again · 1 with an appointment",
                    timeout=15)

    def test_office_words_for_customers(self):
        main = self.app.window()
        uitest.do_action(uitest.find(main, role="push button", name="Contacts"))
        win = uitest.find(self.app.atspi, role="frame", name="Contacts")
        # Last heard of 14 months ago: dormant after the default 12 months.
        uitest.find(win, name="古川 一郎, 古川製作所 · 045-123-4567, Dormant, Win Back")

        prefs = open_preferences(self.app, "Phone")
        months = uitest.find(prefs, role="spin button", name="Dormant After (Months)")
        self.assertEqual(uitest.text(months), "12")
        # A click on the row puts the cursor in its number, as for a person.
        uitest.mouse_click(uitest.find(prefs, role="list item", name="Dormant After (Months)"))
        uitest.wait_for(lambda: "focused" in uitest.states(months), what="the months focused")
        uitest.key("ctrl+a")
        uitest.type_text("24")

        # The quadrants' rows are further down: Tab goes on to them and the page follows.
        label = uitest.find(prefs, role="text", name="High Potential, Weak Relationship")
        self.assertEqual(uitest.text(label), "Win Back")
        page_height = prefs.queryComponent().getExtents(pyatspi.WINDOW_COORDS).height

        def label_shown():
            extents = label.queryComponent().getExtents(pyatspi.WINDOW_COORDS)
            if extents.y + extents.height < page_height - 10:
                return True
            uitest.key("Tab")
            return False
        uitest.wait_for(label_shown, interval=0.2, what="the quadrant's row on screen")
        uitest.mouse_click(label)
        # Typed through AT-SPI: xdotool cannot type kanji without an input method.
        uitest.set_text(label, "掘り起こし候補")
        uitest.key("Return")

        def office():
            return [d for d in docs(self.app.data_dir, "office")][0]["contacts"]
        saved = uitest.wait_for(lambda: office() if office().get("dormant_after_months") == 24 else None,
                                what="24 months saved")
        self.assertEqual(saved["quadrant_labels"], {"win_back": "掘り起こし候補"})
        self.assertEqual(saved["escalation_outcome_days"], 7)
        # Every window follows the office's words; 14 months is no longer dormant.
        uitest.find(win, name="古川 一郎, 古川製作所 · 045-123-4567, Existing, 掘り起こし候補", timeout=15)

    def test_import_shift_jis_with_preview(self):
        folder = self.app.data_dir + ".in"
        os.makedirs(folder)
        path = os.path.join(folder, "名簿.csv")
        text = ("氏名,ふりがな,会社名,電話番号,携帯電話\r\n"
                "古川 一郎,ふるかわ いちろう,古川製作所,045-123-4567,\r\n"   # the contact, as written here
                "森 健太,もり けんた,森建設,03-5555-1212,090-2222-3333\r\n"
                "\"閉じない引用,もり,,,\r\n")
        with open(path, "wb") as f:
            f.write(text.encode("cp932"))

        main = self.app.window()
        uitest.do_action(uitest.find(main, role="push button", name="Contacts"))
        win = uitest.find(self.app.atspi, role="frame", name="Contacts")
        uitest.find(win, pred=lambda n: (n.name or "").startswith("古川 一郎,"))
        uitest.key("ctrl+o")
        chooser = uitest.find(self.app.atspi, name="Import Contacts", timeout=15)
        uitest.key("ctrl+l")
        location = uitest.find(chooser, role="text", pred=lambda n: "focused" in uitest.states(n))
        uitest.set_text(location, path)
        uitest.key("Return")

        preview = uitest.find(self.app.atspi, role="frame", name="Contacts to Import", timeout=15)
        uitest.find(preview, role="label", pred=lambda n: (n.name or "").startswith("名簿.csv · CSV · Shift_JIS"))
        uitest.find(preview, role="label", name="Contacts: 1 new, 1 to merge")
        uitest.find(preview, role="label", name="Line 4")
        uitest.find(preview, role="label", name="Merge into 古川 一郎")
        # Nothing is written before Import.
        self.assertEqual(len(docs(self.app.data_dir, "contact")), 7)
        uitest.do_action(uitest.find(preview, role="push button", name="Import"))
        uitest.find(win, role="label", name="Imported: 1 new, 1 merged", timeout=15)
        contacts = docs(self.app.data_dir, "contact")
        self.assertEqual(len(contacts), 8)
        mori = [c for c in contacts if c.get("name") == "森 健太"][0]
        self.assertEqual([n["number"] for n in mori["numbers"]], ["+81355551212", "+819022223333"])
        furukawa = [c for c in contacts if c["_id"] == "contact:furukawa"][0]
        self.assertEqual(len(furukawa["numbers"]), 2)
        uitest.find(win, pred=lambda n: (n.name or "").startswith("森 健太,"))


if __name__ == "__main__":
    uitap.main(ContactsTest)
