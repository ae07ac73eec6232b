#!/usr/bin/python3
"""count-tests.py TESTLOG.json: count TAP subtests from meson's test log.

Every `ok`/`not ok` line of a TAP test is one case; a test that printed no TAP
line counts as one case by its result; a test that crashed or timed out after
passing cases adds one failure.  Prints the failed cases, then, last,
`N passed, N failed`.  Exit status 1 if anything failed or nothing ran.
"""
import json
import re
import sys

passed = failed = skipped = 0
failures = []
tap_line = re.compile(r"^(not ok|ok)\b\s*(\d*)\s*-?\s*(.*)$")

with open(sys.argv[1], encoding="utf-8") as log:
    for raw in log:
        entry = json.loads(raw)
        name, result = entry["name"], entry["result"]
        cases = 0
        bad = 0
        for line in (entry.get("stdout") or "").splitlines():
            m = tap_line.match(line)
            if not m:
                continue
            cases += 1
            desc = m.group(3)
            if "# SKIP" in desc:
                skipped += 1
            elif m.group(1) == "ok" or "# TODO" in desc:
                passed += 1
            else:
                failed += 1
                bad += 1
                failures.append("%s: %s" % (name, desc))
        if cases == 0:
            if result in ("OK", "EXPECTEDFAIL"):
                passed += 1
            elif result == "SKIP":
                skipped += 1
            else:
                failed += 1
                failures.append("%s: %s" % (name, result))
        elif result not in ("OK", "EXPECTEDFAIL", "SKIP") and bad == 0:
            failed += 1
            failures.append("%s: %s after %d cases" % (name, result, cases))

for f in failures:
    print("FAILED " + f)
if skipped:
    print("%d skipped" % skipped)
print("%d passed, %d failed" % (passed, failed))
sys.exit(1 if failed or passed == 0 else 0)
