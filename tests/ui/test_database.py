#!/usr/bin/python3
"""A damaged, foreign or newer database: the real window explains it, offers to
move a damaged file aside (never overwriting it) and refuses a newer one."""
import glob
import os
import sqlite3
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import uitap  # noqa: E402
import uitest  # noqa: E402
from dengon_ui import DengonTestCase  # noqa: E402

GARBAGE = b"customer list, not a database\n" * 20


class DamagedDatabaseTest(DengonTestCase):
    def start_app(self):
        os.makedirs(self.app.data_dir, exist_ok=True)
        with open(os.path.join(self.app.data_dir, "dengon.db"), "wb") as f:
            f.write(GARBAGE)
        self.app.start()

    def test_move_aside_and_start_fresh(self):
        button = uitest.find(self.app.atspi, role="push button", name="Move Aside and Start Fresh")
        uitest.find(self.app.atspi, role="label", name="The Message Database Cannot Be Opened")
        uitest.click(button)
        win = self.app.window()
        uitest.find(win, role="label", name="No Messages")

        kept = glob.glob(os.path.join(self.app.data_dir, "dengon.db.broken-*"))
        self.assertEqual(len(kept), 1, kept)
        with open(kept[0], "rb") as f:
            self.assertEqual(f.read(), GARBAGE)
        with open(os.path.join(self.app.data_dir, "dengon.db"), "rb") as f:
            self.assertEqual(f.read(16), b"SQLite format 3\0")

    def test_quit_leaves_the_file_alone(self):
        uitest.click(uitest.find(self.app.atspi, role="push button", name="Quit"))
        self.assertEqual(self.app.proc.wait(20), 0)
        with open(os.path.join(self.app.data_dir, "dengon.db"), "rb") as f:
            self.assertEqual(f.read(), GARBAGE)


class NewerDatabaseTest(DengonTestCase):
    def start_app(self):
        os.makedirs(self.app.data_dir, exist_ok=True)
        self.path = os.path.join(self.app.data_dir, "dengon.db")
        db = sqlite3.connect(self.path)
        db.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT)")
        db.execute("PRAGMA application_id = %d" % 0x44474F4E)
        db.execute("PRAGMA user_version = 99")
        db.commit()
        db.close()
        self.app.start()

    def test_refused_with_a_clear_message(self):
        label = uitest.find(self.app.atspi, role="label",
                            pred=lambda n: "newer version of Dengon" in (n.name or ""))
        self.assertIn("Update Dengon", label.name)
        self.assertEqual(uitest.find_all(self.app.atspi, role="push button", name="Move Aside and Start Fresh"), [])
        uitest.click(uitest.find(self.app.atspi, role="push button", name="Quit"))
        self.assertEqual(self.app.proc.wait(20), 0)
        db = sqlite3.connect(self.path)
        self.assertEqual(db.execute("PRAGMA user_version").fetchone()[0], 99)
        db.close()


if __name__ == "__main__":
    uitap.main(DamagedDatabaseTest, NewerDatabaseTest)
