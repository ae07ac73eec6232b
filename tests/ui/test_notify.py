#!/usr/bin/python3
"""Notifications on the real app and a real notification server (python3-dbusmock's
notification_daemon on run-headless' private bus): a memo a colleague assigns to the person at
this desk pops up; its actions (Open, Acknowledge, Call Back) work with the window open and
with the window closed while Dengon runs in the background.

The colleague's memo is written into the desk's database by another process (tests/tools/
dengon-seed, through the real store), as a second program on the same file or sync would.
DENGON_SCREENSHOT_DIR / DENGON_SCREENSHOT_LANG: Preferences → Notifications for the docs."""
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import uitap  # noqa: E402
import uitest  # noqa: E402
import pyatspi  # noqa: E402
from dengon_ui import DengonTestCase, _, open_preferences, shot  # noqa: E402

STAFF = [
    {"_id": "staff:aya", "type": "staff", "name": "佐藤 綾", "reading": "さとう あや", "role": "owner", "active": True},
    {"_id": "staff:ken", "type": "staff", "name": "山田 健", "reading": "やまだ けん", "role": "staff", "active": True},
]


def memo_for_ken(memo_id, caller, company, number, display, message, urgent=False):
    """A memo Aya took and assigned to Ken a moment ago, calling back within the hour."""
    return {"_id": memo_id, "type": "memo", "created_minutes_ago": 1, "taken_by": "staff:aya",
            "call": {"direction": "in", "number": number, "number_display": display},
            "caller": {"name": caller, "company": company, "contact_id": None},
            "for": "staff:ken", "category": "message", "urgency": "urgent" if urgent else "normal",
            "callback": {"requested": True, "number": number, "by": None}, "callback_minutes_ahead": 60,
            "message": message, "script": {"id": None, "answers": {}}, "status": "assigned",
            "history": [{"at": "", "by": "staff:aya", "action": "create", "from": None, "to": None, "note": None},
                        {"at": "", "by": "staff:aya", "action": "assign", "from": None, "to": "staff:ken",
                         "note": None}]}


TANAKA = memo_for_ken("memo:n-tanaka", "田中 一郎", "田中工務店", "+81312345678", "03-1234-5678",
                      "見積書を今週中に送ってほしいとのこと。\n金額の確認も。")
SUZUKI = memo_for_ken("memo:n-suzuki", "鈴木 花子", "鈴木歯科", "+81662345678", "06-6234-5678",
                      "予約システムの件。\n午後なら在席。", urgent=True)
KOBAYASHI = memo_for_ken("memo:n-kobayashi", "小林 翔", None, "+819012345678", "090-1234-5678",
                         "返品について。\n担当者から連絡してほしい。")


class NotifyTest(DengonTestCase):
    app_seed = STAFF
    app_settings = {"desk-staff-id": "'staff:ken'", "run-in-background": "true",
                    "inbox-filter": "'for-me'"}

    def setUp(self):
        self.server = uitest.Notifications()
        self.before = len(self.server.calls())
        super().setUp()
        self.app.window(_("Dengon"))

    def arrives(self, memo):
        """Another process writes @memo; the desk's one new notification."""
        self.app.seed([memo])
        calls = self.server.wait_for_notify(self.before + 1)
        self.assertEqual(len(calls), self.before + 1, "exactly one notification")
        self.before += 1
        return calls[-1]

    def windows(self, name):
        return [w for w in self.app.atspi if w is not None and w.name == _(name)]

    def close_window(self):
        uitest.key("ctrl+w")
        uitest.wait_for(lambda: not self.windows("Dengon"), what="the window closed")
        self.assertIsNone(self.app.proc.poll(), "Dengon keeps running in the background")

    def shows_memo(self, memo):
        """The window is up on @memo: its whole message and its number are shown."""
        win = self.app.window(_("Dengon"))
        uitest.find(win, role="label", name=memo["message"])
        uitest.find(win, role="label", pred=lambda n: (n.name or "").startswith(memo["call"]["number_display"] + " · "))
        return win

    def test_open_with_the_window_open(self):
        n = self.arrives(TANAKA)
        self.assertEqual(n["summary"], _("%s · %s") % ("田中 一郎", "田中工務店"))
        self.assertTrue(n["body"].startswith("03-1234-5678\n見積書を今週中に送ってほしいとのこと。\n"), n["body"])
        self.assertIn(_("Call back by %s").split("%s")[0], n["body"])
        self.assertLessEqual({"open", "acknowledge", "call-back"}, set(n["actions"]))
        self.assertEqual(n["hints"]["urgency"], 1)
        self.assertEqual(n["hints"]["category"], "im.received")
        self.server.invoke_action(n["id"], "open")
        self.shows_memo(TANAKA)

    def test_urgent_is_critical(self):
        n = self.arrives(SUZUKI)
        self.assertEqual(n["hints"]["urgency"], 2)

    def test_actions_in_the_background(self):
        # The autostart entry that brings the desk back at login, without a window.
        autostart = os.path.join(self.app.data_dir + ".config", "autostart")
        entries = os.listdir(autostart)
        self.assertEqual(len(entries), 1)
        with open(os.path.join(autostart, entries[0])) as f:
            self.assertIn("--background", f.read())

        self.close_window()

        # Acknowledge: recorded in the memo's history, and no window comes up for it.
        n = self.arrives(TANAKA)
        self.server.invoke_action(n["id"], "acknowledge")
        memo = uitest.wait_for(lambda: (lambda d: d if d["status"] == "acknowledged" else None)(
            self.app.doc(TANAKA["_id"])), what="the memo acknowledged")
        self.assertEqual(memo["history"][-1]["action"], "acknowledge")
        self.assertEqual(memo["history"][-1]["by"], "staff:ken")
        self.assertEqual(self.windows("Dengon"), [])

        # Open: the window comes back on that memo.
        n = self.arrives(SUZUKI)
        self.server.invoke_action(n["id"], "open")
        self.shows_memo(SUZUKI)

        # Call Back, with the window closed again: the outgoing-call panel for its number.
        self.close_window()
        n = self.arrives(KOBAYASHI)
        self.assertEqual(n["summary"], "小林 翔")
        self.server.invoke_action(n["id"], "call-back")
        # The outgoing-call panel for its number comes up. GTK 4.8 does not tell AT-SPI about a
        # window that opens while the application has none, so it is found by its X title and
        # used from the keyboard: the caller's name is filled in, Ctrl+Enter saves the memo.
        panel = uitest.wait_for(lambda: subprocess.run(
            ["xdotool", "search", "--onlyvisible", "--name", "^%s$" % _("Call")],
            capture_output=True, text=True).stdout.split(), what="the call panel")

        def save_with_the_keyboard():
            # The window maps a moment before its panel is in: press again until the memo is saved.
            subprocess.run(["xdotool", "windowfocus", "--sync", panel[-1]], capture_output=True)
            uitest.key("ctrl+Return")
            try:
                return uitest.wait_for(lambda: [m for m in self.app.memos() if m["call"]["direction"] == "out"],
                                       timeout=2, what="the callback's memo")
            except uitest.UITestError:
                return None
        saved = uitest.wait_for(save_with_the_keyboard, timeout=20, what="the callback's memo")
        self.assertEqual(saved[0]["regarding"], KOBAYASHI["_id"])
        self.assertEqual(saved[0]["call"]["number"], "+819012345678")
        self.assertEqual(saved[0]["caller"]["name"], "小林 翔")

    def test_preferences_page(self):
        prefs = open_preferences(self.app, "Notifications")
        uitest.find(prefs, role="label", name=_("Do Not Disturb"))
        # Each switch is named once, by its row (not "Run in the Background Run in the Background").
        background = uitest.find(prefs, role="check box", name=_("Run in the _Background").replace("_", ""))
        self.assertTrue(background.getState().contains(pyatspi.STATE_CHECKED))
        shot("notifications.png", "Preferences", 720)


if __name__ == "__main__":
    uitap.main(NotifyTest)
