"""Shared set-up for Dengon's UI tests: start the real app on a private data dir."""
import gettext
import json
import os
import sqlite3
import subprocess
import tempfile
import time
import unittest

import uitap  # noqa: F401  (sets sys.path for uitest)
import uitest
import pyatspi
from gi.repository import GLib

DENGON = os.environ.get("DENGON_BIN", "dengon")


SEED = os.environ.get("DENGON_SEED", "dengon-seed")
DATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data")

# Screenshots for the docs: DENGON_SCREENSHOT_DIR=DIR saves them; with DENGON_SCREENSHOT_LANG=ja
# the app runs in Japanese, names are looked up through the built catalogue (_), and the PNGs
# get "-ja".
SHOTS = os.environ.get("DENGON_SCREENSHOT_DIR")
SHOTS_LANG = os.environ.get("DENGON_SCREENSHOT_LANG") if SHOTS else None
if SHOTS_LANG:
    os.environ.update(LANGUAGE=SHOTS_LANG, LANG="%s_JP.UTF-8" % SHOTS_LANG, LC_ALL="%s_JP.UTF-8" % SHOTS_LANG)
    _ = gettext.translation("dengon", os.environ["DENGON_LOCALEDIR"], [SHOTS_LANG]).gettext
else:
    def _(s):
        return s


def shot(name, window, height=None):
    """For the docs only: the window titled @window (made 720 wide and @height tall, to show a
    whole page), once it is still."""
    if not SHOTS:
        return
    os.makedirs(SHOTS, exist_ok=True)
    ids = subprocess.run(["xdotool", "search", "--onlyvisible", "--name", "^%s$" % _(window)],
                         capture_output=True, text=True).stdout.split()
    if height and ids:
        subprocess.run(["xdotool", "windowsize", "--sync", ids[-1], "720", str(height)])
    previous = None
    for _attempt in range(40):
        data = subprocess.run(["import", "-window", ids[-1] if ids else "root", "rgb:-"],
                              capture_output=True).stdout
        if data == previous:
            break
        previous = data
        time.sleep(0.15)
    if SHOTS_LANG:
        name = name.replace(".png", "-%s.png" % SHOTS_LANG)
    subprocess.run(["import", "-window", ids[-1] if ids else "root", os.path.join(SHOTS, name)], check=True)


def open_preferences(app, page):
    """Preferences (Ctrl+,) on the tab titled @page; returns the Preferences frame. The view
    switcher has a wide and a narrow row of tabs: only the one shown has a size."""
    app.window(_("Dengon"))
    uitest.key("ctrl+comma")
    prefs = uitest.find(app.atspi, role="frame", name=_("Preferences"))

    def shown_tab():
        for tab in uitest.find_all(prefs, role="page tab", name=_(page)):
            if tab.queryComponent().getExtents(pyatspi.WINDOW_COORDS).width > 0:
                return tab
        return None
    uitest.mouse_click(uitest.wait_for(shown_tab, what="the %s tab" % page))
    return prefs


class App:
    """A running Dengon process with its own data directory.

    seed: a JSON file (or a list of documents) written into the database
    through the real store before the start; settings: GSettings keys for a
    keyfile backend private to this app (e.g. {"desk-staff-id": "'staff:aya'"})."""

    def __init__(self, data_dir=None, args=(), env=None, seed=None, settings=None):
        self.data_dir = data_dir or tempfile.mkdtemp(prefix="dengon-data.", dir=os.environ.get("UITEST_TMP"))
        self.args = list(args)
        self.env = dict(env) if env is not None else None
        self.proc = None
        self.atspi = None
        self.log_path = self.data_dir + ".log"
        if seed is not None:
            self.seed(seed)
        if settings is not None:
            config = self.data_dir + ".config"
            os.makedirs(os.path.join(config, "glib-2.0", "settings"), exist_ok=True)
            with open(os.path.join(config, "glib-2.0", "settings", "keyfile"), "w") as f:
                f.write("[org/dengon/Dengon]\n")
                for key, value in settings.items():
                    f.write("%s=%s\n" % (key, value))
            self.env = dict(self.env or os.environ, XDG_CONFIG_HOME=config, GSETTINGS_BACKEND="keyfile")

    @property
    def db_path(self):
        return os.path.join(self.data_dir, "dengon.db")

    def seed(self, docs):
        """Write documents through the real store (tests/tools/dengon-seed)."""
        os.makedirs(self.data_dir, exist_ok=True)
        path = docs
        if not isinstance(docs, str):
            path = self.data_dir + ".seed.json"
            with open(path, "w", encoding="utf-8") as f:
                json.dump(docs, f, ensure_ascii=False)
        elif not os.path.isabs(docs):
            path = os.path.join(DATA, docs)
        subprocess.run([SEED, self.db_path, path], check=True)

    def doc(self, doc_id):
        """The winning revision of a document, read from the SQLite file."""
        db = sqlite3.connect("file:%s?mode=ro" % self.db_path, uri=True)
        try:
            row = db.execute("SELECT body FROM docs WHERE id = ? AND NOT deleted", (doc_id,)).fetchone()
        finally:
            db.close()
        return json.loads(row[0]) if row else None

    def memos(self):
        """Every memo in the SQLite file (the winning revisions)."""
        db = sqlite3.connect("file:%s?mode=ro" % self.db_path, uri=True)
        try:
            rows = db.execute("SELECT body FROM docs WHERE type = 'memo' AND NOT deleted").fetchall()
        finally:
            db.close()
        return [json.loads(body) for (body,) in rows]

    def start(self, *extra):
        self.log_path = self.data_dir + ".log"
        self.proc = uitest.launch([DENGON, "--data-dir", self.data_dir] + self.args + list(extra),
                                  log_path=self.log_path, env=self.env)
        self.atspi = uitest.find_app(name="dengon", pid=self.proc.pid, timeout=30)
        return self

    def window(self, name="Dengon"):
        return uitest.find(self.atspi, role="frame", name=name)

    def memo_rows(self):
        """The memo list's rows as a screen reader reads them, top to bottom."""
        win = self.window()
        memo_list = uitest.find(win, role="list", name="Memos")
        # A row can go while it is read (a search narrowing the list): read again.
        for attempt in range(20):
            rows = []
            try:
                for item in memo_list:
                    if item is None:
                        continue
                    for child in item:
                        if child is not None and child.name:
                            rows.append(child.name)
                return rows
            except GLib.GError:
                continue
        return rows

    def run_cli(self, *args, timeout=30):
        """Run a second `dengon` with the same data dir (forwarded to the running instance)."""
        return subprocess.run([DENGON, "--data-dir", self.data_dir] + list(args), env=self.env,
                              capture_output=True, text=True, timeout=timeout)

    def stop(self):
        if self.proc is not None:
            uitest.terminate(self.proc)
            self.proc = None

    def log_problems(self):
        """GLib criticals and warnings the app printed: a UI test fails on any."""
        try:
            with open(self.log_path, encoding="utf-8", errors="replace") as f:
                return [l for l in f if "CRITICAL **" in l or "WARNING **" in l]
        except OSError:
            return []


class DengonTestCase(unittest.TestCase):
    """Starts Dengon on a fresh data dir; on failure keeps a screenshot and the log;
    fails if the app printed a GLib critical or warning."""
    app_args = ()
    app_env = None
    app_seed = None
    app_settings = None

    def setUp(self):
        self.app = App(args=self.app_args, env=self.app_env, seed=self.app_seed, settings=self.app_settings)
        self.start_app()

    def start_app(self):
        self.app.start()

    def tearDown(self):
        if uitap.failed(self):
            uitap.save_artifacts(self, self.app.proc)
        self.app.stop()
        self.assertEqual(self.app.log_problems(), [], "the app printed criticals or warnings")
