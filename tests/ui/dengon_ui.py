"""Shared set-up for Dengon's UI tests: start the real app on a private data dir."""
import os
import subprocess
import tempfile
import unittest

import uitap  # noqa: F401  (sets sys.path for uitest)
import uitest

DENGON = os.environ.get("DENGON_BIN", "dengon")


class App:
    """A running Dengon process with its own data directory."""

    def __init__(self, data_dir=None, args=(), env=None):
        self.data_dir = data_dir or tempfile.mkdtemp(prefix="dengon-data.", dir=os.environ.get("UITEST_TMP"))
        self.args = list(args)
        self.env = env
        self.proc = None
        self.atspi = None
        self.log_path = self.data_dir + ".log"

    def start(self, *extra):
        self.log_path = self.data_dir + ".log"
        self.proc = uitest.launch([DENGON, "--data-dir", self.data_dir] + self.args + list(extra),
                                  log_path=self.log_path, env=self.env)
        self.atspi = uitest.find_app(name="dengon", pid=self.proc.pid, timeout=30)
        return self

    def window(self, name="Dengon"):
        return uitest.find(self.atspi, role="frame", name=name)

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

    def setUp(self):
        self.app = App(args=self.app_args, env=self.app_env)
        self.start_app()

    def start_app(self):
        self.app.start()

    def tearDown(self):
        if uitap.failed(self):
            uitap.save_artifacts(self, self.app.proc)
        self.app.stop()
        self.assertEqual(self.app.log_problems(), [], "the app printed criticals or warnings")
