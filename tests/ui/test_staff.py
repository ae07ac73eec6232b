#!/usr/bin/python3
"""Preferences → Staff on the real window: adding a person, changing their
role and deactivating them, refusals in words, the duty roster (a slot
saved into office:duty with the manual turn kept, overlaps shown, remove and
undo), who is at this desk, and a person added on another desk showing up."""
import configparser
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import uitap  # noqa: E402
import uitest  # noqa: E402
from dengon_ui import DengonTestCase, open_preferences  # noqa: E402

STAFF = [
    {"_id": "staff:aya", "type": "staff", "name": "佐藤 綾", "reading": "さとう あや", "extension": "201",
     "role": "owner", "active": True},
    {"_id": "staff:ken", "type": "staff", "name": "山田 健", "reading": "やまだ けん", "extension": "202",
     "role": "staff", "active": True},
    {"_id": "staff:rin", "type": "staff", "name": "伊藤 凛", "reading": "いとう りん", "role": "field_sales",
     "active": True},
]
# Rin took the phone until far in the future: adding slots must keep that.
MANUAL = {"staff": "staff:rin", "since": "2026-01-05T00:00:00.000Z", "until": "2099-01-01T00:00:00.000Z"}
DUTY = {"_id": "office:duty", "type": "duty", "manual": MANUAL,
        "schedule": [{"days": [6], "from": "10:00", "to": "15:00", "staff": "staff:rin"}]}


def wait_doc(app, doc_id, check, what):
    return uitest.wait_for(lambda: (lambda d: d if d is not None and check(d) else None)(app.doc(doc_id)),
                           what=what)



class StaffPageTest(DengonTestCase):
    app_seed = STAFF + [DUTY]
    app_settings = {"desk-staff-id": "'staff:aya'"}

    def open_staff_page(self):
        prefs = open_preferences(self.app, "Staff")
        uitest.find(prefs, role="push button", name="Add Person…")
        return prefs

    def toplevel(self, name):
        """A window of the app by its title, once it is a frame (GTK 4.8 shows a new
        AdwWindow as a 'filler' for a moment, and uitest clicks only inside frames)."""
        return uitest.wait_for(lambda: [w for w in self.app.atspi if w is not None and w.name == name
                                        and w.getRoleName() == "frame"], what="window %r" % name)[0]

    def closed(self, name):
        uitest.wait_for(lambda: not [w for w in self.app.atspi if w is not None and w.name == name],
                        what="window %r closed" % name)

    def people(self, prefs):
        return uitest.find(prefs, role="list", name="People")

    def roster(self, prefs):
        return uitest.find(prefs, role="list", name="Duty Roster")

    @staticmethod
    def row_texts(row):
        return [n.name for n in uitest.find_all(row, role="label") if n.name]

    @staticmethod
    def reveal(node):
        """Scroll the page with the mouse wheel until node is inside its window."""
        frame = node
        while frame.getRoleName() != "frame":
            frame = frame.parent
        height = frame.queryComponent().getExtents(uitest.pyatspi.WINDOW_COORDS).height
        for _attempt in range(40):
            ext = node.queryComponent().getExtents(uitest.pyatspi.WINDOW_COORDS)
            if ext.y >= 60 and ext.y + ext.height <= height - 10:
                return node
            x, y = uitest.center_on_screen(frame)
            # No --sync: it waits for a move that does not happen when the pointer is there.
            uitest._xdotool("mousemove", x, y, "click", 5 if ext.y >= 60 else 4)
            time.sleep(0.1)
        raise uitest.UITestError("could not scroll %r into view" % node.name)

    def click(self, node):
        uitest.mouse_click(self.reveal(node))

    def choose(self, combo, item):
        """Pick an item of an AdwComboRow: open its list, go to the top, move down to
        the name with the arrow keys and press Enter.  (GTK 4.8 reports a popover's
        contents at the wrong place for a mouse click, and its focus state is not
        reliable.)"""
        shown = uitest.find(combo, role="list", name="GtkListView")
        self.click(combo)
        popover = uitest.find(combo, name="GtkPopover")
        uitest.find(popover, role="label", name=item)
        items = uitest.find_all(popover, role="list item")
        target = [n for n, i in enumerate(items) if item in self.row_texts(i)][0]
        # The list takes the keyboard a moment after it opens.
        time.sleep(0.3)
        uitest.key(*(["Home"] + ["Down"] * target + ["Return"]))
        uitest.wait_for(lambda: not uitest.find_all(combo, name="GtkPopover"), what="the list closed")
        uitest.wait_for(lambda: item in self.row_texts(shown), what="%r chosen" % item)

    def add_person(self, prefs, name, reading, login, extension):
        uitest.click(uitest.find(prefs, role="push button", name="Add Person…"))
        editor = self.toplevel("Add Person")
        uitest.set_text(uitest.find(editor, role="text", name="Name"), name)
        uitest.set_text(uitest.find(editor, role="text", name="Reading (kana)"), reading)
        # The short ID typed on the keyboard, as a person would.  GTK 4.8 does
        # not report an entry row's focus: click until the typing lands.
        login_entry = uitest.find(editor, role="text", name="Short ID (letters and digits)")
        for _attempt in range(3):
            uitest.mouse_click(login_entry)
            uitest.type_text(login)
            try:
                uitest.wait_for(lambda: uitest.text(login_entry) == login, timeout=2,
                                what="the short ID typed")
                break
            except uitest.UITestError:
                uitest.set_text(login_entry, "")
        self.assertEqual(uitest.text(login_entry), login)
        uitest.set_text(uitest.find(editor, role="text", name="Extension"), extension)
        return editor

    def test_add_edit_deactivate(self):
        prefs = self.open_staff_page()
        editor = self.add_person(prefs, "木村 翔", "きむら しょう", "Kimura", "２０４")
        uitest.click(uitest.find(editor, role="push button", name="Add"))

        doc = wait_doc(self.app, "staff:kimura", lambda d: True, "staff:kimura in the database")
        self.assertEqual((doc["type"], doc["name"], doc["reading"], doc["extension"], doc["role"], doc["active"]),
                         ("staff", "木村 翔", "きむら しょう", "204", "staff", True))
        self.closed("Add Person")
        row = uitest.find(self.people(prefs), role="list item", name="木村 翔")
        self.assertIn("Staff · ext. 204", self.row_texts(row))

        # Edit: the short ID is shown, not editable; role and active change.
        uitest.mouse_click(row)
        editor = self.toplevel("木村 翔")
        uitest.find(editor, role="label", name="kimura")
        self.assertEqual(uitest.find_all(editor, role="text", name="Short ID (letters and digits)"), [])
        self.choose(uitest.find(editor, role="combo box", name="Role"), "Field sales")
        active = uitest.find(editor, role="check box", name="Active")
        self.assertIn("checked", uitest.states(active))
        uitest.mouse_click(active)
        uitest.wait_for(lambda: "checked" not in uitest.states(active), what="switch off")
        uitest.click(uitest.find(editor, role="push button", name="Save"))

        doc = wait_doc(self.app, "staff:kimura", lambda d: d["active"] is False, "kimura inactive")
        self.assertEqual(doc["role"], "field_sales")
        self.assertEqual(doc["extension"], "204")
        row = uitest.find(self.people(prefs), role="list item", name="木村 翔 (inactive)")
        self.assertIn("Field sales · ext. 204", self.row_texts(row))

    def test_refusals_in_words(self):
        prefs = self.open_staff_page()
        editor = self.add_person(prefs, "", "", "ken", "")
        add = uitest.find(editor, role="push button", name="Add")
        uitest.click(add)
        uitest.find(editor, role="label", name="Enter the person’s name.")
        uitest.set_text(uitest.find(editor, role="text", name="Name"), "山田 健二")
        uitest.click(add)
        uitest.find(editor, role="label", name="“ken” is already the short ID of 山田 健. Choose another one.")
        uitest.set_text(uitest.find(editor, role="text", name="Short ID (letters and digits)"), "山田")
        uitest.click(add)
        uitest.find(editor, role="label", name="Use only letters a–z, digits, “.”, “_” or “-” in the short ID.")
        uitest.click(uitest.find(editor, role="push button", name="Cancel"))
        self.closed("Add Person")
        self.assertEqual(self.app.doc("staff:ken")["name"], "山田 健")

    def test_roster_slot(self):
        prefs = self.open_staff_page()
        roster = self.roster(prefs)
        uitest.find(roster, role="list item", name="Sat, 10:00–15:00")

        # Monday to Friday are chosen already: an office's week.
        for day in ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday"):
            self.assertIn("pressed", uitest.states(uitest.find(prefs, name=day)))
        for day in ("Saturday", "Sunday"):
            self.assertNotIn("pressed", uitest.states(uitest.find(prefs, name=day)))
        from_spin = uitest.find(prefs, role="spin button", name="From")
        to_spin = uitest.find(prefs, role="spin button", name="To")
        add = uitest.find(prefs, role="push button", name="Add Slot")

        # The end before the start is refused in words.
        uitest.set_text(from_spin, "9:00")
        uitest.set_text(to_spin, "08:00")
        uitest.click(add)
        uitest.find(prefs, role="label", name="The end must be later than the start.")

        uitest.set_text(to_spin, "12:00")
        self.choose(uitest.find(prefs, role="combo box", name="Person"), "山田 健")
        uitest.click(add)
        doc = wait_doc(self.app, "office:duty", lambda d: len(d["schedule"]) == 2, "the slot in office:duty")
        self.assertEqual(doc["schedule"][1],
                         {"days": [1, 2, 3, 4, 5], "from": "09:00", "to": "12:00", "staff": "staff:ken"})
        self.assertEqual(doc["manual"], MANUAL)
        row = uitest.find(roster, role="list item", name="Mon–Fri, 09:00–12:00")
        self.assertIn("山田 健", self.row_texts(row))

        # Wednesday 11:00–13:00 overlaps it: both rows say so.
        for day in ("Monday", "Tuesday", "Thursday", "Friday"):
            uitest.click(uitest.find(prefs, name=day))
        uitest.set_text(from_spin, "11:00")
        uitest.set_text(to_spin, "13:00")
        uitest.click(add)
        wait_doc(self.app, "office:duty", lambda d: len(d["schedule"]) == 3, "the second slot")
        wed = uitest.find(roster, role="list item", name="Wed, 11:00–13:00")
        uitest.wait_for(lambda: any("Overlaps" in t for t in self.row_texts(wed)), what="overlap shown")
        row = uitest.find(roster, role="list item", name="Mon–Fri, 09:00–12:00")
        self.assertTrue(any("Overlaps" in t for t in self.row_texts(row)))

        # Remove, then undo: the slot comes back where it was.
        uitest.click(uitest.find(row, role="push button", name="Remove"))
        doc = wait_doc(self.app, "office:duty", lambda d: len(d["schedule"]) == 2, "the slot removed")
        self.assertEqual([s["from"] for s in doc["schedule"]], ["10:00", "11:00"])
        uitest.click(uitest.find(prefs, role="push button", name="Undo"))
        doc = wait_doc(self.app, "office:duty", lambda d: len(d["schedule"]) == 3, "the slot back")
        self.assertEqual([s["from"] for s in doc["schedule"]], ["10:00", "09:00", "11:00"])
        self.assertEqual(doc["manual"], MANUAL)

    def test_person_from_another_desk(self):
        prefs = self.open_staff_page()
        people = self.people(prefs)
        uitest.find(people, role="list item", name="山田 健")
        # Another desk adds Yui: written by another process into the same database.
        self.app.seed([{"_id": "staff:yui", "type": "staff", "name": "中村 結衣", "reading": "なかむら ゆい",
                        "extension": "206", "role": "staff", "active": True}])
        row = uitest.find(people, role="list item", name="中村 結衣")
        self.assertIn("Staff · ext. 206", self.row_texts(row))
        # ... and can be put on the roster at once.
        self.choose(uitest.find(prefs, role="combo box", name="Person"), "中村 結衣")

    def test_who_is_at_this_desk(self):
        prefs = self.open_staff_page()
        keyfile = os.path.join(self.app.env["XDG_CONFIG_HOME"], "glib-2.0", "settings", "keyfile")

        def desk():
            cfg = configparser.ConfigParser()
            cfg.read(keyfile)
            return cfg["org/dengon/Dengon"].get("desk-staff-id", "''").strip("'")
        self.choose(uitest.find(prefs, role="combo box", name="Who is at this desk"), "伊藤 凛")
        uitest.wait_for(lambda: desk() == "staff:rin", what="desk-staff-id = staff:rin")


if __name__ == "__main__":
    uitap.main(StaffPageTest)
