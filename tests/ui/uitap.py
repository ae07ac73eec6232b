"""uitap: run unittest cases and print TAP, so meson counts each UI test case.

Each test module ends with `uitap.main(TestCaseClass, ...)`.  On failure the case's
screenshot and app log go to $UITEST_ARTIFACTS (default <build>/uitest-artifacts).
"""
import os
import sys
import traceback
import unittest

sys.dont_write_bytecode = True
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tools"))

import uitest  # noqa: E402

ARTIFACTS = os.environ.get("UITEST_ARTIFACTS", os.path.abspath("uitest-artifacts"))


class TapResult(unittest.TestResult):
    def __init__(self):
        super().__init__()
        self.n = 0

    def _line(self, ok, test, extra=""):
        self.n += 1
        name = test.id().rsplit(".", 2)[-2:]
        print("%s %d - %s%s" % ("ok" if ok else "not ok", self.n, "/".join(name), extra), flush=True)

    def addSuccess(self, test):
        super().addSuccess(test)
        self._line(True, test)

    def addFailure(self, test, err):
        super().addFailure(test, err)
        self._line(False, test)
        self._diag(err)

    def addError(self, test, err):
        super().addError(test, err)
        self._line(False, test)
        self._diag(err)

    def addSkip(self, test, reason):
        super().addSkip(test, reason)
        self._line(True, test, " # SKIP %s" % reason)

    @staticmethod
    def _diag(err):
        for line in "".join(traceback.format_exception(*err)).splitlines():
            print("# " + line, flush=True)


def save_artifacts(test, proc=None, window_name=None):
    """Screenshot + app log of a failed case."""
    os.makedirs(ARTIFACTS, exist_ok=True)
    base = os.path.join(ARTIFACTS, test.id().rsplit(".", 1)[-1])
    try:
        uitest.screenshot(base + ".png", window_name)
    except Exception:
        traceback.print_exc(file=sys.stdout)
    if proc is not None and getattr(proc, "log_path", None):
        try:
            with open(proc.log_path, "rb") as src, open(base + ".app.log", "wb") as dst:
                dst.write(src.read())
        except OSError:
            pass


def failed(test):
    outcome = getattr(test, "_outcome", None)
    if outcome is None:
        return False
    result = getattr(outcome, "result", None)
    errors = (getattr(result, "failures", []) + getattr(result, "errors", [])) if result else []
    return (not getattr(outcome, "success", True)) or any(t is test for t, _ in errors)


def main(*classes):
    if "RUN_HEADLESS" not in os.environ:
        print("1..0 # SKIP run me inside tests/tools/run-headless")
        return 0
    loader = unittest.defaultTestLoader
    suite = unittest.TestSuite()
    for cls in classes:
        suite.addTests(loader.loadTestsFromTestCase(cls))
    print("1..%d" % suite.countTestCases(), flush=True)
    result = TapResult()
    suite.run(result)
    sys.exit(0 if result.wasSuccessful() else 1)
