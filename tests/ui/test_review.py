#!/usr/bin/python3
"""The evening review on the real window: opened from the inbox, the figures of a seeded day
(memos one second either side of midnight and at UTC midnight, a sales call, an overdue
callback, a callback after midnight), the pictures as a screen reader reads them, the walk
through with single keys (done moves the figures), and Save as PDF and Export CSV through the
real file chooser.  The office is in Tokyo (TZ=Asia/Tokyo); the seeded day is yesterday."""
import csv
import datetime
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import review_data  # noqa: E402
import uitap  # noqa: E402
import uitest  # noqa: E402
from dengon_ui import DengonTestCase  # noqa: E402

TOKYO = datetime.timezone(datetime.timedelta(hours=9))


def shifted_memos():
    """review_data's Friday moved to yesterday in Tokyo, so that one press of "Earlier" shows it."""
    yesterday = (datetime.datetime.now(TOKYO) - datetime.timedelta(days=1)).date()
    delta = yesterday - datetime.date.fromisoformat(review_data.DAY)

    def move(text):
        t = datetime.datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%fZ") + delta
        return t.strftime("%Y-%m-%dT%H:%M:%S.") + "%03dZ" % (t.microsecond // 1000)

    def walk(value):
        if isinstance(value, dict):
            return {k: walk(v) for k, v in value.items()}
        if isinstance(value, list):
            return [walk(v) for v in value]
        if isinstance(value, str) and len(value) == 24 and value.endswith("Z") and value[10] == "T":
            return move(value)
        return value
    return [walk(m) for m in review_data.MEMOS]


class ReviewTest(DengonTestCase):
    app_seed = review_data.STAFF + shifted_memos()
    app_settings = {"desk-staff-id": "'staff:aya'"}
    app_env = dict(os.environ, TZ="Asia/Tokyo")

    def open_review(self):
        win = self.app.window()
        uitest.click(uitest.find(win, role="push button", name="Review"))
        review = uitest.find(self.app.atspi, role="frame", name="Review")
        # Today has the memo of midnight after the seeded day.
        uitest.find(review, role="label", name="Memos: 1", timeout=15)
        uitest.click(uitest.find(review, role="push button", name="Earlier"))
        uitest.find(review, role="label", name="Memos: 5", timeout=15)
        return review

    def test_figures_of_the_day(self):
        review = self.open_review()
        for name in ("Memos: 5", "Open: 4", "Overdue: 1", "Done: 1", "Median time to callback: 11 min",
                     "Sales calls: 1"):
            uitest.find(review, role="label", name=name)
        uitest.find(review, role="label", name="4 incoming · 1 outgoing calls")
        uitest.find(review, role="label", name="and 1 from earlier days")
        uitest.find(review, role="label", name="median of 2 callbacks; 90% within 30 min")
        # The pictures, as words.
        heat = uitest.find(review, role="image", name="Calls by hour and category")
        self.assertIn("Calls by hour of the day and category, 5 calls in all.", heat.description)
        self.assertIn("Complaint: 1 call, most at 09:00 (1).", heat.description)
        self.assertIn("Follow-up: 1 call, most at 23:00 (1).", heat.description)
        people = uitest.find(review, role="image", name="Open and done memos by person")
        self.assertIn("山田 健: 2 open, 1 of them overdue; 0 done.", people.description)
        self.assertIn("佐藤 綾: 1 open; 1 done.", people.description)
        categories = uitest.find(review, role="image", name="Memos by category")
        self.assertIn("Order or delivery: 2 memos (40%).", categories.description)
        self.assertNotIn("Sales", categories.description)
        # Weekday view: the seeded day's weekday only.
        uitest.click(uitest.find(review, role="push button", name="By Weekday"))
        heat = uitest.find(review, role="image", name="Calls by hour and weekday")
        self.assertIn("5 calls in all", heat.description)
        # The open and overdue list: the overdue callback first.
        uitest.find(review, role="label", name="Open and Overdue (4)")
        rows = uitest.find_all(review, role="list item", pred=lambda n: "株式会社田中工務店" in (n.name or ""))
        self.assertTrue(rows)

    def test_walk_through_and_done(self):
        review = self.open_review()
        uitest.key("ctrl+Return")
        uitest.find(review, role="label", name="Memo 1 of 6")
        uitest.find(review, role="label", name='Smith, John "JJ"')
        uitest.key("Right")
        uitest.find(review, role="label", name="Memo 2 of 6")
        uitest.find(review, role="label", name="早朝 一郎")
        uitest.key("Right", "Right")
        uitest.find(review, role="label", name="Memo 4 of 6")
        uitest.find(review, role="label", name="𠮷田 花子")
        uitest.key("Left")
        uitest.find(review, role="label", name="Memo 3 of 6")
        uitest.find(review, role="label", name="田中 一郎")
        uitest.find(review, role="push button", name="Done")
        uitest.key("d")
        uitest.wait_for(lambda: self.app.doc("memo:review-04")["status"] == "done", what="memo done in the database")
        uitest.key("Escape")
        # The figures follow the store.
        uitest.find(review, role="label", name="Done: 2", timeout=15)
        uitest.find(review, role="label", name="Overdue: 0")

    def test_close_and_open_again(self):
        review = self.open_review()
        uitest.click(uitest.find(review, role="push button", name="Later"))
        uitest.key("ctrl+w")
        uitest.wait_for(lambda: not [w for w in self.app.atspi if w is not None and w.name == "Review"],
                        what="the review closed")
        uitest.key("ctrl+r")
        review = uitest.find(self.app.atspi, role="frame", name="Review")
        uitest.find(review, role="label", name="Memos: 1", timeout=15)

    def save_as(self, review, keys, title, path):
        uitest.key(keys)
        # GtkFileChooserNative without a portal: GTK's own dialog.
        dialog = uitest.find(self.app.atspi, name=title, timeout=15)
        name = uitest.find(dialog, role="text", name="Name:")
        uitest.set_text(name, path)
        uitest.key("Return")
        uitest.wait_for(lambda: os.path.exists(path) and os.path.getsize(path) > 0, timeout=15,
                        what="%s written" % path)

    def test_save_pdf_and_export_csv(self):
        review = self.open_review()
        pdf = os.path.join(self.app.data_dir + ".out", "day.pdf")
        os.makedirs(os.path.dirname(pdf))
        self.save_as(review, "ctrl+s", "Save the Report as PDF", pdf)
        uitest.find(review, role="label", name="Saved “day.pdf”")
        info = uitest.wait_for(lambda: (lambda out: out if "Pages:" in out else None)(
            subprocess.run(["pdfinfo", pdf], capture_output=True, text=True).stdout), what="a complete PDF")
        self.assertRegex(info, r"Pages:\s+2\n")
        text = subprocess.run(["pdftotext", "-layout", pdf, "-"], capture_output=True, text=True).stdout
        self.assertIn("Daily Report", text)
        self.assertIn("田中 一郎", text)
        self.assertRegex(text, r"5\s+4\s+1\s+1\s+11 min\s+1")

        path = os.path.join(os.path.dirname(pdf), "day.csv")
        self.save_as(review, "ctrl+e", "Export the Memos as CSV", path)
        uitest.find(review, role="label", name="Exported 6 memos to “day.csv”")
        with open(path, encoding="utf-8-sig", newline="") as f:
            rows = list(csv.DictReader(f))
        self.assertEqual([r["Memo ID"] for r in rows], ["memo:review-%02d" % n for n in range(2, 8)])
        self.assertEqual(rows[0]["Caller"], 'Smith, John "JJ"')


if __name__ == "__main__":
    uitap.main(ReviewTest)
