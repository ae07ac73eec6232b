#!/usr/bin/python3
"""Sync on the real windows: one desk is the office hub (its address, fingerprint and
colleagues in Preferences → Sync, "Office hub" in the header bar); a second desk connects
to it from Preferences (address, name, password into the keyring), confirms the hub's
certificate by its fingerprint, and the hub's memo appears in its inbox ("Synced").

Runs under tests/tools/with-keyring (a real gnome-keyring on the private bus).
DENGON_SCREENSHOT_DIR=DIR saves the pages as PNGs (for the docs); with DENGON_SCREENSHOT_LANG=ja
the desks run in Japanese (names are looked up through the built catalogue) and the PNGs get "-ja"."""
import base64
import hashlib
import os
import shutil
import socket
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import uitap  # noqa: E402
import uitest  # noqa: E402
from dengon_ui import DENGON, SHOTS_LANG, App, DengonTestCase, _, open_preferences, shot  # noqa: E402

STAFF = [
    {"_id": "staff:aya", "type": "staff", "name": "佐藤 綾", "reading": "さとう あや", "role": "owner", "active": True},
    {"_id": "staff:ken", "type": "staff", "name": "山田 健", "reading": "やまだ けん", "role": "staff", "active": True},
]

MEMO = {"_id": "memo:sync-1", "type": "memo", "created_minutes_ago": 5, "taken_by": "staff:aya",
        "call": {"direction": "in", "number": "+81312345678", "number_display": "03-1234-5678"},
        "caller": {"name": "田中 一郎", "company": "株式会社田中工務店", "contact_id": None},
        "for": "staff:ken", "category": "general", "urgency": "normal",
        "callback": {"requested": True, "number": "+81312345678", "by": None},
        "message": "見積書の件で折り返しをお願いします", "script": {"id": None, "answers": {}},
        "status": "assigned",
        "history": [{"at": "", "by": "staff:aya", "action": "create", "from": None, "to": None, "note": None},
                    {"at": "", "by": "staff:aya", "action": "assign", "from": None, "to": "staff:ken", "note": None}]}

PASSWORD = "sakura-2026"
def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fingerprint(pem):
    """SHA-256 of the certificate's DER bytes, as "AB:CD:…"."""
    with open(pem) as f:
        body = "".join(l.strip() for l in f if l.strip() and not l.startswith("-----"))
    digest = hashlib.sha256(base64.b64decode(body)).hexdigest().upper()
    return ":".join(digest[i:i + 2] for i in range(0, len(digest), 2))


def open_sync_page(app):
    prefs = open_preferences(app, "Sync")
    uitest.find(prefs, role="label", name=_("Connect to a Hub or CouchDB Server"))
    return prefs


def entry(root, title):
    """An AdwEntryRow's text field: it carries the row's title as its name."""
    return uitest.find(root, role="text", name=_(title))


class SyncTest(DengonTestCase):
    app_seed = STAFF + [MEMO]

    def start_app(self):
        self.port = free_port()
        self.app.env = dict(os.environ, XDG_CONFIG_HOME=self.app.data_dir + ".config",
                            GSETTINGS_BACKEND="keyfile")
        config = os.path.join(self.app.data_dir + ".config", "glib-2.0", "settings")
        os.makedirs(config, exist_ok=True)
        with open(os.path.join(config, "keyfile"), "w") as f:
            f.write("[org/dengon/Dengon]\ndesk-staff-id='staff:aya'\nhub-enabled=true\n"
                    "hub-port=%d\nhub-address='127.0.0.1'\n" % self.port)
        # The colleague's account, made the way the README says: on the command line.
        subprocess.run([DENGON, "--data-dir", self.app.data_dir, "--hub-user", "add", "ken"],
                       input=PASSWORD + "\n", text=True, check=True, capture_output=True)
        self.app.start()
        self.desk = None

    def tearDown(self):
        if self.desk is not None:
            if uitap.failed(self):
                os.makedirs(uitap.ARTIFACTS, exist_ok=True)
                uitest.screenshot(os.path.join(uitap.ARTIFACTS, "sync-second-desk.png"))
                shutil.copy(self.desk.log_path, os.path.join(uitap.ARTIFACTS, "sync-second-desk.app.log"))
            self.desk.stop()
            self.assertEqual(self.desk.log_problems(), [], "the second desk printed criticals or warnings")
        super().tearDown()

    def test_hub_then_desk_connects(self):
        # The hub desk says what it is, and shows colleagues what they need.
        win = self.app.window(_("Dengon"))
        uitest.find(win, role="push button", name=_("Sync: %s") % _("Office hub"))
        prefs = open_sync_page(self.app)
        fp = fingerprint(os.path.join(self.app.data_dir, "hub-certificate.pem"))
        uitest.find(prefs, role="label", name=fp)
        uitest.find(prefs, role="label", name="https://127.0.0.1:%d/dengon" % self.port)
        uitest.find(prefs, role="label", name="ken")
        shot("sync-hub.png", "Preferences", 790)
        uitest.key("Escape")

        # A colleague's desk connects to it from Preferences.
        self.desk = App(seed=STAFF, settings={"desk-staff-id": "'staff:ken'"})
        self.desk.start()
        prefs = open_sync_page(self.desk)
        uitest.set_text(entry(prefs, "Server Address (e.g. 192.168.1.10 or https://couch.example.com/office)"),
                        "https://127.0.0.1:%d" % self.port)
        uitest.set_text(entry(prefs, "User Name"), "ken")
        uitest.set_text(entry(prefs, "Password"), PASSWORD)
        uitest.do_action(uitest.find(prefs, role="push button", name=_("T_est Connection").replace("_", "")))

        # A certificate nobody confirmed yet: its fingerprint is shown, the same as the hub's.
        uitest.find(prefs, role="label", name=_("Confirm the Server’s Certificate"))
        uitest.find(prefs, role="label", pred=lambda n: fp in (n.name or ""))
        shot("sync-connect.png", "Preferences", 790)
        uitest.do_action(uitest.find(prefs, role="push button", name=_("_Trust").replace("_", "")))
        uitest.find(prefs, role="label", name=_("The connection works"))
        uitest.do_action(uitest.find(prefs, role="push button", name=_("_Connect").replace("_", "")))

        # Synced: the memo for ken, taken at the hub desk, is in ken's inbox.
        win = self.desk.window(_("Dengon"))
        uitest.find(win, role="push button", name=_("Sync: %s") % _("Synced"), timeout=30)
        uitest.key("Escape")
        if SHOTS_LANG:
            uitest.find(win, role="label", name="田中 一郎")
        else:
            uitest.wait_for(lambda: any(r.startswith("田中 一郎") for r in self.desk.memo_rows()),
                            what="the hub's memo on the second desk")
        shot("sync-header.png", "Dengon")

        # The password went to the keyring, not to the settings.
        with open(os.path.join(self.desk.data_dir + ".config", "glib-2.0", "settings", "keyfile")) as f:
            settings = f.read()
        self.assertNotIn(PASSWORD, settings)
        self.assertIn("sync-certificate='%s'" % fp, settings)
        stored = subprocess.run(["secret-tool", "lookup", "kind", "sync-password"], capture_output=True, text=True)
        self.assertEqual(stored.stdout.strip(), PASSWORD)


if __name__ == "__main__":
    uitap.main(SyncTest)
