#!/usr/bin/python3
"""Taking a call on the real window, as the person at the desk does: ring from the command line
(forwarded to the running instance), from the header button and its shortcut, from a tel: link and
from a desk phone's action URL; walk the script with the keyboard, save, and find the memo in the
database; a second line while the first is open; a kill in the middle of a call."""
import json
import os
import signal
import sqlite3
import subprocess
import sys
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import uitap  # noqa: E402
import uitest  # noqa: E402
from dengon_ui import DengonTestCase  # noqa: E402


def db_rows(data_dir, sql, args=()):
    path = os.path.join(data_dir, "dengon.db")
    if not os.path.exists(path):
        return []
    db = sqlite3.connect("file:%s?mode=ro" % path, uri=True, timeout=10)
    try:
        return db.execute(sql, args).fetchall()
    finally:
        db.close()


def memos(data_dir):
    return [json.loads(body) for (body,) in
            db_rows(data_dir, "SELECT body FROM docs WHERE type = 'memo' AND NOT deleted")]


def drafts(data_dir):
    return {id_: json.loads(body) for id_, body in
            db_rows(data_dir, "SELECT id, body FROM local_docs WHERE id LIKE 'draft:%'")}


class CallTestCase(DengonTestCase):
    # Somebody is at the desk (the inbox asks at the first start otherwise); the inbox shows
    # every memo, so a saved call is seen there.
    app_settings = {"desk-staff-id": "'staff:me'", "inbox-filter": "'all'"}

    def wait_inbox_row(self, caller):
        return uitest.wait_for(lambda: [r for r in self.app.memo_rows() if r.startswith(caller + ",")],
                               what="%s in the inbox" % caller)
    def call_window(self):
        return uitest.find(self.app.atspi, role="frame", name="Call", timeout=15)

    def wait_step(self, win, title):
        return uitest.find(win, role="label", pred=lambda n: (n.name or "").endswith(". " + title))

    def wait_gone(self, name="Call"):
        uitest.wait_for(lambda: not [w for w in self.app.atspi if w is not None and w.name == name],
                        what="the %s window to close" % name)


class TakeCallTest(CallTestCase):
    def test_ring_from_command_line_and_save(self):
        self.app.window()
        # A second `dengon` forwards the ring to the running instance and exits.
        r = self.app.run_cli("--incoming", "0312345678", "--name", "%E7%94%B0%E4%B8%AD")
        self.assertEqual(r.returncode, 0, r.stderr)
        win = self.call_window()
        uitest.find(win, role="label", name="03-1234-5678")
        uitest.find(win, role="label", name="Fixed line · Tokyo")
        uitest.find(win, role="label", name="Name sent by the phone: 田中")
        uitest.find(win, role="label", name="First Call From This Number")
        uitest.find(win, role="label", name="Thank you for calling, (company name). How may I help you?")

        # Enter advances; the first field of each step has the focus.
        uitest.key("Return")
        self.wait_step(win, "Caller")
        company = uitest.find(win, role="text", name="Company")
        uitest.wait_for(lambda: "focused" in uitest.states(company), what="focus on Company")
        uitest.type_text("Acme")
        uitest.key("Return")
        name = uitest.find(win, role="text", name="Caller's name")
        uitest.wait_for(lambda: "focused" in uitest.states(name), what="focus on the name")
        uitest.type_text("Ann Smith")
        uitest.key("Return")
        self.wait_step(win, "Purpose")
        uitest.find(win, role="list", name="Call about")
        uitest.key("alt+Right")
        self.wait_step(win, "Message")
        message = uitest.find(win, role="text", name="Message")
        uitest.wait_for(lambda: "focused" in uitest.states(message), what="focus on the message")
        uitest.type_text("Please call back about the invoice.")
        uitest.key("alt+Right")
        self.wait_step(win, "Read back")
        readback = uitest.find(win, role="label", pred=lambda n: (n.name or "").startswith("Let me read"))
        self.assertIn("• Caller's name: Ann Smith", readback.name)
        self.assertIn("• Message: Please call back about the invoice.", readback.name)
        self.assertNotIn("Call about", readback.name)

        # Back and forth keeps the answers.
        uitest.key("alt+Left", "alt+Left", "alt+Left")
        self.wait_step(win, "Caller")
        self.assertEqual(uitest.text(uitest.find(win, role="text", name="Caller's name")), "Ann Smith")
        uitest.key("alt+Right", "alt+Right", "alt+Right")
        self.wait_step(win, "Read back")

        uitest.key("ctrl+Return")
        self.wait_gone()
        uitest.find(self.app.window(), role="label", name="Memo saved: Ann Smith")
        # In the inbox at once.
        row = self.wait_inbox_row("Ann Smith")[0]
        self.assertIn("Please call back about the invoice.", row)

        saved = memos(self.app.data_dir)
        self.assertEqual(len(saved), 1)
        memo = saved[0]
        self.assertEqual(memo["caller"]["name"], "Ann Smith")
        self.assertEqual(memo["caller"]["company"], "Acme")
        self.assertEqual(memo["message"], "Please call back about the invoice.")
        self.assertEqual(memo["call"]["direction"], "in")
        self.assertEqual(memo["call"]["number"], "+81312345678")
        self.assertEqual(memo["call"]["number_display"], "03-1234-5678")
        self.assertEqual(memo["category"], "message")
        self.assertEqual(memo["status"], "new")
        self.assertEqual(memo["script"]["id"], "script:general-en")
        self.assertEqual(drafts(self.app.data_dir), {})

        # The same number again: known now, and its open memo is shown first.
        self.app.run_cli("--incoming", "03-1234-5678")
        win = self.call_window()
        uitest.find(win, role="label", name="Ann Smith (Acme)")
        uitest.find(win, role="label", name="1 Open Memo")
        uitest.find(win, role="label", name="Please call back about the invoice.")
        uitest.key("Return")
        self.wait_step(win, "Caller")
        # Known from the memo, offered in the script.
        self.assertEqual(uitest.text(uitest.find(win, role="text", name="Caller's name")), "Ann Smith")

    def test_header_button_shortcut_and_escape(self):
        win = self.app.window()
        uitest.find(win, role="push button", name="Incoming Call")
        uitest.key("ctrl+i")
        call = self.call_window()
        uitest.find(call, role="label", name="No Caller ID")
        number = uitest.find(call, role="text", name="Caller's Number")
        uitest.set_text(number, "090-1234-5678")
        uitest.find(call, role="label", name="Mobile")
        uitest.find(call, role="label", name="First Call From This Number")

        # Escape asks before anything is thrown away.
        uitest.key("Escape")
        dialog = uitest.find(self.app.atspi, role="label", name="Discard This Call?")
        uitest.click(uitest.find(self.app.atspi, role="push button", name="Keep Taking the Call"))
        uitest.wait_for(lambda: not uitest.find_all(self.app.atspi, role="label", name="Discard This Call?"),
                        what="the dialog to close")
        self.call_window()
        uitest.key("Escape")
        uitest.find(self.app.atspi, role="label", name="Discard This Call?")
        uitest.click(uitest.find(self.app.atspi, role="push button", name="Discard"))
        self.wait_gone()
        self.assertEqual(memos(self.app.data_dir), [])
        del dialog

    def test_second_line_keeps_the_first(self):
        self.app.window()
        self.app.run_cli("--incoming", "0312345678")
        win = self.call_window()
        uitest.key("Return")
        self.wait_step(win, "Caller")
        uitest.set_text(uitest.find(win, role="text", name="Caller's name"), "First Caller")

        # Line 2 rings while line 1 is being taken: a tab of its own, line 1 keeps the screen.
        self.app.run_cli("--incoming", "0612345678", "--name", "Osaka Branch")
        uitest.find(win, role="label", name="2 Calls")
        uitest.find(win, role="label", name="06-1234-5678")
        self.assertEqual(uitest.text(uitest.find(win, role="text", name="Caller's name")), "First Caller")

        # Ctrl+Tab goes to line 2; it is dismissed; line 1 is still there, as it was.
        uitest.key("ctrl+Tab")
        uitest.find(win, role="label", name="Name sent by the phone: Osaka Branch")
        uitest.key("Escape")
        uitest.click(uitest.find(self.app.atspi, role="push button", name="Discard"))
        uitest.wait_for(lambda: not uitest.find_all(win, role="label", name="2 Calls"), what="one call left")
        self.assertEqual(uitest.text(uitest.find(win, role="text", name="Caller's name")), "First Caller")
        uitest.key("ctrl+Return")
        self.wait_gone()
        saved = memos(self.app.data_dir)
        self.assertEqual([m["caller"]["name"] for m in saved], ["First Caller"])
        self.assertEqual(saved[0]["call"]["number"], "+81312345678")

    def test_tel_link_opens_an_outgoing_call(self):
        self.app.window()
        self.app.run_cli("tel:+81-45-123-4567")
        win = self.call_window()
        uitest.find(win, role="label", name="Outgoing Call")
        uitest.find(win, role="label", name="045-123-4567")
        uitest.find(win, role="combo box", name="Script")
        uitest.find(win, role="label", name="Follow up a dormant customer (outgoing)")
        uitest.set_text(uitest.find(win, role="text", name="Caller's name"), "Mr Sato")
        uitest.key("ctrl+Return")
        self.wait_gone()
        memo = memos(self.app.data_dir)[0]
        self.assertEqual(memo["call"]["direction"], "out")
        self.assertEqual(memo["call"]["number"], "+81451234567")
        self.assertEqual(memo["category"], "followup")


class CallBackTest(CallTestCase):
    app_seed = [
        {"_id": "staff:me", "type": "staff", "name": "Me", "role": "owner", "active": True},
        {"_id": "memo:waiting", "type": "memo", "created_minutes_ago": 30, "taken_by": "staff:me",
         "call": {"direction": "in", "number": "+81312345678", "number_display": "03-1234-5678"},
         "caller": {"name": "Taro Tanaka", "company": "Tanaka Works", "contact_id": None},
         "for": "staff:me", "category": "message", "urgency": "normal",
         "callback": {"requested": True, "number": "+819012345678", "by": None},
         "message": "Please call back about the estimate", "script": {"id": None, "answers": {}},
         "status": "new",
         "history": [{"at": "", "by": "staff:me", "action": "create", "from": None, "to": "staff:me", "note": None}]},
    ]

    def test_call_back_now_links_the_memo(self):
        row = uitest.find(self.app.window(), role="panel", pred=lambda n: (n.name or "").startswith("Taro Tanaka,"))
        uitest.mouse_click(row)
        uitest.find(self.app.window(), role="push button", name="Call Back Now")
        # "C" from the list: an outgoing call to the number the caller left.
        uitest.key("c")
        win = self.call_window()
        uitest.find(win, role="label", name="Outgoing Call")
        uitest.find(win, role="label", name="090-1234-5678")
        # The number left is not the one that called: the memo being answered is shown first.
        uitest.find(win, role="label", name="Calling Back About")
        uitest.find(win, role="label", name="Please call back about the estimate")
        uitest.find(win, role="label", name="First Call From This Number")  # looked up
        self.assertEqual([n for n in uitest.find_all(win, role="label", name="No Open Memos")
                          if "showing" in uitest.states(n)], [])
        uitest.find(win, role="label", name="Calling: Taro Tanaka")
        # Who is called back is known: the script starts with their name and company.
        name = uitest.find(win, role="text", name="Caller's name")
        uitest.wait_for(lambda: uitest.text(name) == "Taro Tanaka", what="the name from the memo")
        self.assertEqual(uitest.text(uitest.find(win, role="text", name="Company")), "Tanaka Works")
        uitest.key("ctrl+Return")
        self.wait_gone()

        callback = [m for m in memos(self.app.data_dir) if m["call"]["direction"] == "out"]
        self.assertEqual(len(callback), 1)
        self.assertEqual(callback[0]["regarding"], "memo:waiting")
        self.assertEqual(callback[0]["caller"]["company"], "Tanaka Works")
        # Returning a call has its own script, not the dormant customers' follow-up.
        self.assertEqual(callback[0]["script"]["id"], "script:callback-en")
        self.assertEqual(callback[0]["call"]["number"], "+819012345678")
        original = uitest.wait_for(lambda: (lambda d: d if d["status"] == "called_back" else None)(
            self.app.doc("memo:waiting")), what="the memo marked called back")
        self.assertEqual(original["history"][-1]["action"], "called_back")
        self.assertEqual(original["history"][-1]["by"], "staff:me")


    def test_call_back_survives_a_kill(self):
        row = uitest.find(self.app.window(), role="panel", pred=lambda n: (n.name or "").startswith("Taro Tanaka,"))
        uitest.mouse_click(row)
        uitest.find(self.app.window(), role="push button", name="Call Back Now")
        uitest.key("c")
        win = self.call_window()
        uitest.set_text(uitest.find(win, role="text", name="Caller's name"), "Taro Tanaka")
        draft = uitest.wait_for(lambda: next((d for d in drafts(self.app.data_dir).values()
                                              if d["state"]["answers"].get("caller_name") == "Taro Tanaka"),
                                             None), what="the draft in the database")
        self.assertEqual(draft["call"]["regarding"], "memo:waiting")

        self.app.proc.send_signal(signal.SIGKILL)
        self.app.proc.wait(10)
        self.app.proc = None

        # The call opens again and, once saved, still answers the memo it called back.
        self.app.start()
        win = self.call_window()
        uitest.find(win, role="label", pred=lambda n: (n.name or "").startswith("Outgoing Call"))
        uitest.find(win, role="label", name="090-1234-5678")
        uitest.find(win, role="label", name="Hello, this is Me from (company name). May I speak with Taro Tanaka from Tanaka Works, please?")
        uitest.key("ctrl+Return")
        self.wait_gone()
        callback = [m for m in memos(self.app.data_dir) if m["call"]["direction"] == "out"]
        self.assertEqual([(m["regarding"], m["script"]["id"]) for m in callback],
                         [("memo:waiting", "script:callback-en")])
        uitest.wait_for(lambda: self.app.doc("memo:waiting")["status"] == "called_back",
                        what="the memo marked called back")


STAFF = [
    {"_id": "staff:yamada", "type": "staff", "name": "Ken Yamada", "reading": "yamada ken",
     "extension": "201", "role": "staff", "active": True},
    {"_id": "staff:sato", "type": "staff", "name": "Hanako Sato", "reading": "sato hanako",
     "extension": "202", "role": "owner", "active": True},
    {"_id": "staff:kim", "type": "staff", "name": "Kim Lee", "reading": "kim lee",
     "extension": "203", "role": "staff", "active": True},
    {"_id": "office:settings", "type": "office", "name": "Acme Trading",
     "greetings": {"morning": "おはようございます", "morning_until": "00:00",
                   "default": "お電話ありがとうございます"}},
]


class LifeCycleTest(CallTestCase):
    def start_app(self):
        pass

    def test_incoming_starts_dengon(self):
        # Nothing running: `dengon --incoming` starts Dengon and rings.
        self.app.start("--incoming", "0466123456", "--name", "Fujisawa")
        win = self.call_window()
        uitest.find(win, role="label", name="0466-12-3456")
        uitest.find(win, role="label", name="Fixed line · Fujisawa, Kanagawa")
        uitest.find(win, role="label", name="Name sent by the phone: Fujisawa")

    def test_closing_the_inbox_quits(self):
        # The call window is kept hidden between calls; it must not keep Dengon running.
        self.app.start()
        self.app.window()
        self.app.run_cli("--incoming", "0312345678")
        self.call_window()
        uitest.key("Escape")
        uitest.click(uitest.find(self.app.atspi, role="push button", name="Discard"))
        self.wait_gone()
        uitest.mouse_click(uitest.find(self.app.window(), role="push button", name="Incoming Call"))
        self.call_window()
        uitest.key("Escape")
        uitest.click(uitest.find(self.app.atspi, role="push button", name="Discard"))
        self.wait_gone()
        self.app.window()
        subprocess.run(["xdotool", "search", "--name", "^Dengon$", "windowactivate", "--sync"],
                       capture_output=True)
        uitest.key("ctrl+w")
        self.assertEqual(self.app.proc.wait(20), 0)
        self.app.proc = None


class AssignTest(CallTestCase):
    """The person asked for, chosen with the keyboard, gets the memo; the desk signs it."""
    app_seed = STAFF
    app_settings = {"desk-staff-id": "'staff:kim'", "inbox-filter": "'all'"}

    def test_message_for_a_colleague(self):
        self.app.window()
        self.app.run_cli("--incoming", "0312345678")
        win = self.call_window()
        uitest.find(win, role="label", name="Thank you for calling, Acme Trading. How may I help you?")
        uitest.key("Return")
        self.wait_step(win, "Caller")
        uitest.type_text("Globex")
        uitest.key("Return")
        uitest.type_text("Ann Smith")
        uitest.key("Return")
        self.wait_step(win, "Purpose")

        # Choices are lists: arrows to move, Enter to choose and go on.
        yamada = uitest.find(win, role="list item", name="Ken Yamada (ext. 201)")
        first = uitest.find(win, role="list item", name="A person / a message")
        uitest.wait_for(lambda: "focused" in uitest.states(first), what="focus on the chosen row")
        # Tab leaves the list for the next one, onto its chosen row.
        uitest.key("Tab")
        nobody = uitest.find(win, role="list item", name="Nobody in particular")
        uitest.wait_for(lambda: "focused" in uitest.states(nobody), what="focus on the chosen row")
        uitest.key("Up")
        uitest.wait_for(lambda: "focused" in uitest.states(yamada), what="focus on Ken Yamada")
        uitest.key("Return")
        self.wait_step(win, "Put through")
        uitest.find(win, role="label",
                    name="Certainly. One moment, please, while I put you through to Ken Yamada.")
        uitest.key("Down", "Return")
        self.wait_step(win, "Not available")
        uitest.key("Return")
        self.wait_step(win, "Number")
        uitest.type_text("090-1111-2222")
        uitest.key("Return")
        uitest.type_text("after 3 pm")
        uitest.key("Return")
        self.wait_step(win, "Message")
        uitest.key("alt+Right")
        self.wait_step(win, "Read back")
        readback = uitest.find(win, role="label", pred=lambda n: (n.name or "").startswith("Let me read"))
        self.assertIn("• For: Ken Yamada", readback.name)
        self.assertIn("• Call-back number: 090-1111-2222 (zero nine zero, one one one one, two two two two)",
                      readback.name)
        uitest.key("alt+Right")
        closing = uitest.find(win, role="label", pred=lambda n: "My name is" in (n.name or ""))
        self.assertIn("My name is Kim Lee.", closing.name)
        uitest.key("ctrl+Return")
        self.wait_gone()

        memo = memos(self.app.data_dir)[0]
        self.assertEqual(memo["for"], "staff:yamada")
        self.assertEqual(memo["status"], "assigned")
        self.assertEqual(memo["taken_by"], "staff:kim")
        self.assertEqual(memo["callback"]["requested"], True)
        self.assertEqual(memo["callback"]["number"], "+819011112222")
        self.assertEqual(memo["message"], "Best time to call: after 3 pm")
        self.assertEqual([e["action"] for e in memo["history"]], ["create", "assign"])
        self.assertEqual(memo["history"][1]["by"], "staff:kim")
        row = self.wait_inbox_row("Ann Smith")[0]
        self.assertIn("Globex", row)


class KillDuringCallTest(CallTestCase):
    def test_draft_survives_a_kill(self):
        self.app.window()
        self.app.run_cli("--incoming", "0312345678")
        win = self.call_window()
        uitest.key("Return")
        self.wait_step(win, "Caller")
        uitest.set_text(uitest.find(win, role="text", name="Company"), "Kill Corp")
        uitest.set_text(uitest.find(win, role="text", name="Caller's name"), "Kim Draft")

        # Saved as a draft on every change, within a moment.
        def draft_has_name():
            for d in drafts(self.app.data_dir).values():
                if d["state"]["answers"].get("caller_name") == "Kim Draft":
                    return d
            return None
        draft = uitest.wait_for(draft_has_name, what="the draft in the database")
        self.assertEqual(draft["call"]["number"], "0312345678")

        self.app.proc.send_signal(signal.SIGKILL)
        self.app.proc.wait(10)
        self.app.proc = None

        # The next start offers the call again, where it was.
        self.app.start()
        win = self.call_window()
        uitest.find(win, role="label", name="03-1234-5678")
        self.wait_step(win, "Caller")
        self.assertEqual(uitest.text(uitest.find(win, role="text", name="Caller's name")), "Kim Draft")
        self.assertEqual(uitest.text(uitest.find(win, role="text", name="Company")), "Kill Corp")
        uitest.key("ctrl+Return")
        self.wait_gone()
        saved = memos(self.app.data_dir)
        self.assertEqual([(m["caller"]["name"], m["caller"]["company"]) for m in saved],
                         [("Kim Draft", "Kill Corp")])
        self.assertEqual(drafts(self.app.data_dir), {})


class JapaneseCallTest(CallTestCase):
    app_env = dict(os.environ, LANG="ja_JP.UTF-8", LANGUAGE="ja", LC_ALL="ja_JP.UTF-8")
    app_settings = {"desk-staff-id": "'staff:me'"}

    def test_japanese_script(self):
        win = self.app.window("伝言")
        self.app.run_cli("--incoming", "0312345678")
        call = uitest.find(self.app.atspi, role="frame", name="通話", timeout=15)
        uitest.find(call, role="label", name="固定電話 · 東京")
        uitest.find(call, role="label", name="お電話ありがとうございます。（会社名）でございます。")
        uitest.key("Return")
        uitest.set_text(uitest.find(call, role="text", name="会社名"), "株式会社ABC")
        uitest.set_text(uitest.find(call, role="text", name="お名前"), "田中")
        uitest.key("alt+Right")
        uitest.find(call, role="label", name="株式会社ABCの田中様、いつもお世話になっております。")
        uitest.key("ctrl+Return")
        self.wait_gone("通話")
        memo = memos(self.app.data_dir)[0]
        self.assertEqual(memo["caller"], {"name": "田中", "company": "株式会社ABC", "contact_id": None})
        self.assertEqual(memo["script"]["id"], "script:general-ja")
        del win


class DeskPhoneTest(CallTestCase):
    """The action URL on the real app: off by default; turned on with gsettings (as an
    administrator would), with its token in the real keyring; a Yealink-style GET rings."""
    def setUp(self):
        import socket
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        self.port = s.getsockname()[1]
        s.close()
        self.app_settings = {"desk-staff-id": "'staff:me'", "action-url-enabled": "true",
                             "action-url-port": str(self.port)}
        self.app_seed = [{"_id": "office:settings", "type": "office", "name": "Acme Trading",
                          "greetings": {"morning_until": "00:00"}}]
        super().setUp()

    def start_app(self):
        self.token = "uitest-token-0123456789"
        subprocess.run(["secret-tool", "store", "--label=Dengon test token",
                        "xdg:schema", "org.dengon.Dengon.Secret", "profile", self.app.data_dir,
                        "kind", "action-url-token", "account", ""],
                       input=self.token, text=True, check=True)
        self.app.start()

    def get(self, query):
        url = "http://127.0.0.1:%d/v1/ring?%s" % (self.port, query)
        try:
            with urllib.request.urlopen(url, timeout=5) as r:
                return r.status
        except urllib.error.HTTPError as e:
            return e.code

    def test_yealink_rings_the_panel(self):
        self.app.window()

        def listening():
            try:
                return self.get("token=wrong") == 401
            except OSError:
                return False
        uitest.wait_for(listening, timeout=15, what="the action URL to listen")
        self.assertEqual(self.get("number=0312345678"), 401)
        self.assertEqual(self.get("token=%s&number=sip%%3A0312345678%%40192.0.2.1&name=Yamada"
                                  "&call=77&local=201" % self.token), 200)
        win = self.call_window()
        uitest.find(win, role="label", name="03-1234-5678")
        uitest.find(win, role="label", name="Thank you for calling, Acme Trading. How may I help you?")
        uitest.find(win, role="label", name="Fixed line · Tokyo · on line 201")
        uitest.find(win, role="label", name="Name sent by the phone: Yamada")

        # Preferences show the status and the address to give each phone.
        uitest.key("Escape")
        uitest.click(uitest.find(self.app.atspi, role="push button", name="Discard"))
        self.wait_gone()
        self.app.window()
        uitest.key("ctrl+comma")
        prefs = uitest.find(self.app.atspi, role="frame", name="Preferences")
        uitest.click(uitest.find(prefs, role="page tab", name="Phone")) if uitest.find_all(
            prefs, role="page tab", name="Phone") else None
        uitest.find(prefs, role="label", name="Listening on port %d" % self.port)
        uitest.find(prefs, role="label", pred=lambda n: (n.name or "").endswith(
            ":%d/v1/ring?token=%s&number=$remote&name=$display_remote&call=$call_id&local=$local"
            % (self.port, self.token)))

        # The office name and greetings come from the shared office:settings document.
        office = uitest.find(prefs, role="text", name="Office Name")
        self.assertEqual(uitest.text(office), "Acme Trading")
        self.assertEqual(uitest.text(uitest.find(prefs, role="text", name="Greeting")),
                         "Thank you for calling")


if __name__ == "__main__":
    uitap.main(CallBackTest, TakeCallTest, LifeCycleTest, AssignTest, KillDuringCallTest, JapaneseCallTest, DeskPhoneTest)
