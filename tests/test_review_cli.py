#!/usr/bin/python3
"""`dengon --export-csv` and `dengon --report` without a display, on a database written through the
real store: the CSV read back by Python's csv module in UTF-8 (with BOM) and in Shift_JIS, the
PDF's pages and text through pdfinfo and pdftotext.  The office is in Tokyo (TZ=Asia/Tokyo).
Prints TAP."""
import csv
import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
import traceback
import unittest

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import review_data  # noqa: E402

DENGON = os.environ.get("DENGON_BIN", "dengon")
SEED = os.environ.get("DENGON_SEED", "dengon-seed")
ENV = dict(os.environ, TZ="Asia/Tokyo", LANG="C.UTF-8", LC_ALL="C.UTF-8", LANGUAGE="")
ENV.pop("DISPLAY", None)
ENV.pop("WAYLAND_DISPLAY", None)
ENV.pop("DBUS_SESSION_BUS_ADDRESS", None)


class ReviewCliTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="dengon-review-cli.")
        cls.data = os.path.join(cls.tmp, "data")
        os.makedirs(cls.data)
        seed = os.path.join(cls.tmp, "seed.json")
        with open(seed, "w", encoding="utf-8") as f:
            json.dump(review_data.STAFF + review_data.MEMOS, f, ensure_ascii=False)
        subprocess.run([SEED, os.path.join(cls.data, "dengon.db"), seed], check=True, env=ENV)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def dengon(self, *args, env=None):
        return subprocess.run([DENGON, "--data-dir", self.data] + list(args), capture_output=True, text=True,
                              env=env or ENV, timeout=60)

    def export(self, name, *extra):
        path = os.path.join(self.tmp, name)
        r = self.dengon("--export-csv", path, "--from", review_data.DAY, "--to", review_data.DAY, *extra)
        self.assertEqual(r.returncode, 0, r.stderr)
        with open(path, "rb") as f:
            return f.read(), r

    def rows(self, raw, encoding):
        text = raw.decode(encoding)
        return list(csv.DictReader(io.StringIO(text, newline="")))

    def test_csv_utf8_with_bom(self):
        raw, r = self.export("utf8.csv")
        self.assertTrue(raw.startswith(b"\xef\xbb\xbf"), "UTF-8 with a byte order mark")
        self.assertIn(b"\r\n", raw)
        rows = self.rows(raw, "utf-8-sig")
        self.assertIn("Wrote 6 memos", r.stdout)
        # Friday in Tokyo: from midnight (the 19th in UTC) to 23:59, oldest first, sales included.
        self.assertEqual([row["Memo ID"] for row in rows], ["memo:review-%02d" % n for n in range(2, 8)])
        self.assertEqual(rows[0]["Received"], "2026-11-20 00:00:00")
        self.assertEqual(rows[2]["Received"], "2026-11-20 09:00:00")
        self.assertEqual(rows[-1]["Received"], "2026-11-20 23:59:00")
        # Commas, quotes and line breaks survive the round trip.
        self.assertEqual(rows[0]["Caller"], 'Smith, John "JJ"')
        self.assertEqual(rows[0]["Company"], "ACME, Inc.")
        self.assertEqual(rows[0]["Message"], "Call me back,\nplease.")
        # A formula is written as text.
        self.assertEqual(rows[1]["Message"], "'=SUM(A1:A9) と書いてください")
        # Every field, readable: names, labels, local times.
        urgent = rows[2]
        self.assertEqual(urgent["Caller"], "田中 一郎")
        self.assertEqual(urgent["Number"], "03-1234-5678")
        self.assertEqual(urgent["Category"], "Complaint")
        self.assertEqual(urgent["Urgency"], "Urgent")
        self.assertEqual(urgent["Status"], "Assigned")
        self.assertEqual(urgent["For"], "山田 健")
        self.assertEqual(urgent["For (ID)"], "staff:ken")
        self.assertEqual(urgent["Taken by"], "伊藤 凛")
        self.assertEqual(urgent["Callback requested"], "Yes")
        self.assertEqual(urgent["Call back by"], "2026-11-20 10:00:00")
        self.assertEqual(urgent["Direction"], "Incoming")
        self.assertEqual(urgent["History"].splitlines(), [
            "2026-11-20 09:00:00 伊藤 凛 took the message for 山田 健",
            "2026-11-20 09:00:01 佐藤 綾 assigned it to 山田 健",
        ])
        done = rows[3]
        self.assertEqual(done["Caller"], "𠮷田 花子")
        self.assertEqual(done["Called back"], "2026-11-20 11:00:00")
        self.assertEqual(done["Done"], "2026-11-20 11:10:00")
        self.assertEqual(done["Status"], "Done")
        self.assertIn("2026-11-20 11:00:00 佐藤 綾 called back — 見積書を送付", done["History"].splitlines())
        self.assertEqual(rows[4]["Category"], "Sales call")
        self.assertEqual(rows[5]["Direction"], "Outgoing")
        self.assertEqual(len(rows[0]), 26)
        self.assertEqual(r.stderr, "")

    def test_csv_shift_jis(self):
        raw, r = self.export("sjis.csv", "--shift-jis")
        self.assertFalse(raw.startswith(b"\xef\xbb\xbf"))
        self.assertIn("田中".encode("cp932"), raw)
        rows = self.rows(raw, "cp932")
        self.assertEqual(len(rows), 6)
        self.assertEqual(rows[0]["Caller"], 'Smith, John "JJ"')
        self.assertEqual(rows[0]["Message"], "Call me back,\nplease.")
        self.assertEqual(rows[2]["Caller"], "田中 一郎")
        # The wave dash has a Shift_JIS code (it comes back as the full-width tilde Windows uses).
        self.assertEqual(rows[2]["Message"], "納品された部品が違う～至急連絡を")
        # What Shift_JIS cannot hold is written as 〓, visibly, and named on stderr.
        self.assertEqual(rows[3]["Caller"], "〓田 花子")
        self.assertEqual(rows[3]["Company"], "〓野家商店")
        self.assertEqual(rows[3]["Message"], "見積書を送ってほしい〓 caf〓")
        self.assertIn("4 characters have no Shift_JIS code and were written as 〓: 𠮷😀é", r.stderr)

    def test_pdf_report(self):
        path = os.path.join(self.tmp, "report.pdf")
        r = self.dengon("--report", review_data.DAY, "--pdf", path)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("(2 pages)", r.stdout)
        info = subprocess.run(["pdfinfo", path], capture_output=True, text=True, check=True).stdout
        self.assertRegex(info, r"Pages:\s+2\n")
        self.assertIn("A4", info)
        self.assertIn("Dengon report: Friday, November 20, 2026", info)
        first = subprocess.run(["pdftotext", "-layout", "-f", "1", "-l", "1", path, "-"], capture_output=True,
                               text=True, check=True).stdout
        second = subprocess.run(["pdftotext", "-layout", "-f", "2", "-l", "2", path, "-"], capture_output=True,
                                text=True, check=True).stdout
        for text in ("Daily Report", "Friday, November 20, 2026", "Memos", "Overdue", "Sales calls",
                     "When People Call", "Categories", "Who Carries What", "山田 健", "佐藤 綾",
                     "Incoming 4 · outgoing 1 · called back: 2, median 11 min, 90% within 30 min",
                     "Still open from earlier days: 1 (0 overdue)", "Page 1 of 2"):
            self.assertIn(text, first)
        # The figures' row: memos, open, overdue, done, median, sales.
        self.assertRegex(first, r"5\s+4\s+1\s+1\s+11 min\s+1")
        # The list: the overdue memo first, then the open ones, oldest first.
        self.assertIn("Open and Overdue (4)", second)
        lines = [l for l in second.splitlines() if l.startswith("2026-11-")]
        self.assertEqual(len(lines), 4, second)
        self.assertIn("田中 一郎", lines[0])
        self.assertIn("overdue", lines[0])
        self.assertIn("Smith, John", lines[1])
        self.assertIn("早朝 一郎", lines[2])
        self.assertIn("夜間 三郎", lines[3])
        self.assertNotIn("営業 次郎", second)

    def test_pdf_report_in_japanese(self):
        if "ja_JP.utf8" not in subprocess.run(["locale", "-a"], capture_output=True, text=True).stdout:
            self.skipTest("no ja_JP.UTF-8 locale")
        path = os.path.join(self.tmp, "report-ja.pdf")
        env = dict(ENV, LANG="ja_JP.UTF-8", LC_ALL="ja_JP.UTF-8")
        r = self.dengon("--report", review_data.DAY, "--pdf", path, env=env)
        self.assertEqual(r.returncode, 0, r.stderr)
        text = subprocess.run(["pdftotext", "-layout", path, "-"], capture_output=True, text=True,
                              check=True).stdout
        for word in ("日報", "2026年11月20日", "未完了", "期限切れ", "営業電話", "田中 一郎"):
            self.assertIn(word, text)

    def test_range_report(self):
        path = os.path.join(self.tmp, "week.pdf")
        r = self.dengon("--report", "2026-11-16", "--to", "2026-11-22", "--pdf", path)
        self.assertEqual(r.returncode, 0, r.stderr)
        text = subprocess.run(["pdftotext", "-layout", "-f", "1", "-l", "1", path, "-"], capture_output=True,
                              text=True, check=True).stdout
        self.assertIn("Report", text)
        self.assertIn("Nov 16, 2026 – Nov 22, 2026", text)
        self.assertRegex(text, r"7\s+6\s+1\s+1\s+11 min\s+1")

    def test_usage_errors(self):
        for args, words in ((["--report", "2026-11-20"], "--pdf"),
                            (["--report", "20.11.2026", "--pdf", "x.pdf"], "YYYY-MM-DD"),
                            (["--export-csv", "x.csv"], "--from"),
                            (["--export-csv", "x.csv", "--from", "2026-11-21", "--to", "2026-11-20"], "first day"),
                            (["--shift-jis"], "--export-csv")):
            r = self.dengon(*args)
            self.assertEqual(r.returncode, 2, (args, r.stderr))
            self.assertIn(words, r.stderr)

    def test_no_database(self):
        r = subprocess.run([DENGON, "--data-dir", os.path.join(self.tmp, "nothing"), "--report", "today", "--pdf",
                            os.path.join(self.tmp, "x.pdf")], capture_output=True, text=True, env=ENV, timeout=60)
        self.assertEqual(r.returncode, 1)
        self.assertIn("no Dengon database", r.stderr)
        self.assertFalse(os.path.exists(os.path.join(self.tmp, "nothing")))


def main():
    suite = unittest.defaultTestLoader.loadTestsFromTestCase(ReviewCliTest)
    print("1..%d" % suite.countTestCases(), flush=True)
    n = [0]

    class Result(unittest.TestResult):
        def _line(self, ok, test, extra=""):
            n[0] += 1
            print("%s %d - %s%s" % ("ok" if ok else "not ok", n[0], test.id().rsplit(".", 1)[-1], extra), flush=True)

        def addSuccess(self, test):
            super().addSuccess(test)
            self._line(True, test)

        def addFailure(self, test, err):
            super().addFailure(test, err)
            self._line(False, test)
            for line in "".join(traceback.format_exception(*err)).splitlines():
                print("# " + line)

        addError = addFailure

        def addSkip(self, test, reason):
            super().addSkip(test, reason)
            self._line(True, test, " # SKIP " + reason)

    result = Result()
    suite.run(result)
    return 0 if result.wasSuccessful() else 1


if __name__ == "__main__":
    sys.exit(main())
