#!/usr/bin/python3
"""The application shell on the real window: it opens, the empty inbox shows,
the primary menu leads to Preferences, Shortcuts and About, and the window size
is kept across restarts."""
import configparser
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import uitap  # noqa: E402
import uitest  # noqa: E402
from dengon_ui import DengonTestCase  # noqa: E402


ME = [{"_id": "staff:me", "type": "staff", "name": "Sam Ito", "role": "owner", "active": True}]


class ShellTest(DengonTestCase):
    app_seed = ME
    app_settings = {"desk-staff-id": "'staff:me'"}

    def test_window_shows_empty_inbox(self):
        win = self.app.window()
        uitest.find(win, role="label", name="No Messages")
        uitest.find(win, role="label", name="Nothing for you right now.")

    def test_primary_menu_opens_about(self):
        win = self.app.window()
        uitest.find(win, role="push button", name="Main Menu")
        uitest.key("F10")
        for item in ("Preferences", "Keyboard Shortcuts", "About Dengon"):
            uitest.find(self.app.atspi, role="menu item", name=item)
        uitest.key("Down", "Down", "Return")
        dialog = uitest.find(self.app.atspi, role="frame", name="About")
        uitest.find(dialog, role="label", name="0.1.0")

    def test_preferences_show_data_folder(self):
        uitest.find(self.app.window(), role="frame", name="Dengon")
        uitest.key("ctrl+comma")
        prefs = uitest.find(self.app.atspi, role="frame", name="Preferences")
        uitest.find(prefs, role="label", name=self.app.data_dir)

    def test_shortcuts_window_lists_quit(self):
        self.app.window()
        uitest.key("ctrl+question")
        shortcuts = uitest.find(self.app.atspi, role="frame", name="Keyboard Shortcuts")
        uitest.find(shortcuts, role="label", name="Quit")


class WindowStateTest(DengonTestCase):
    """Window size goes through GSettings: use the keyfile backend so it survives the process."""
    app_env = dict(os.environ, GSETTINGS_BACKEND="keyfile")

    def start_app(self):
        self.keyfile = os.path.join(os.environ["XDG_CONFIG_HOME"], "glib-2.0", "settings", "keyfile")
        os.makedirs(os.path.dirname(self.keyfile), exist_ok=True)
        with open(self.keyfile, "w") as f:
            f.write("[org/dengon/Dengon]\ndesk-staff-id='staff:me'\n")
        self.app.seed(ME)

    def test_size_kept_across_restart(self):
        self.app.start()
        self.app.window()
        ids = uitest.wait_for(lambda: subprocess.run(
            ["xdotool", "search", "--onlyvisible", "--name", "^Dengon$"],
            capture_output=True, text=True).stdout.split(), what="X window")
        win = self.app.window()

        def extents():
            e = win.queryComponent().getExtents(uitest.pyatspi.WINDOW_COORDS)
            return (e.width, e.height)
        initial = uitest.wait_for(lambda: (lambda e: e if e[0] > 1 else None)(extents()), what="window extents")
        subprocess.run(["xdotool", "windowsize", "--sync", ids[0], "820", "610"], check=True)
        resized = uitest.wait_for(lambda: (lambda e: e if e != initial else None)(extents()),
                                  what="resized window")
        self.assertLess(resized[0], initial[0])
        uitest.key("ctrl+q")
        self.assertEqual(self.app.proc.wait(20), 0)

        def saved():
            cfg = configparser.ConfigParser()
            cfg.read(self.keyfile)
            sect = cfg["org/dengon/Dengon"] if "org/dengon/Dengon" in cfg else {}
            return sect.get("window-width") not in (None, "1000") and sect.get("window-height") not in (None, "680")
        uitest.wait_for(saved, what="window size in the keyfile")

        self.app.start()
        win = self.app.window()
        uitest.wait_for(lambda: extents() == resized, what="window size %r after restart" % (resized,))


if __name__ == "__main__":
    uitap.main(ShellTest, WindowStateTest)
