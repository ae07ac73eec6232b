#!/usr/bin/python3
"""Screenshot of Preferences → Staff for docs/screenshots (not a test).

  DENGON_SCREENSHOT_DIR=docs/screenshots [DENGON_SCREENSHOT_LANG=ja] \\
  tests/tools/run-headless --screen 1280x1500x24 -- /usr/bin/python3 tests/ui/shoot_staff.py

Needs DENGON_BIN, DENGON_SEED, GSETTINGS_SCHEMA_DIR and DENGON_LOCALEDIR as the
UI tests set them (see tests/meson.build).  Seeds sample-office.json and
sample-roster.json (a person who left, a roster with an overlap, Ken on duty)."""
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import uitap  # noqa: E402,F401  (puts uitest on the path)
import uitest  # noqa: E402
from dengon_ui import App, _, open_preferences, shot  # noqa: E402

app = App(seed="sample-office.json", settings={"desk-staff-id": "'staff:aya'"})
app.seed("sample-roster.json")
app.start()
try:
    prefs = open_preferences(app, "Staff")
    uitest.find(prefs, role="push button", name=_("Add Person…"))
    ids = subprocess.run(["xdotool", "search", "--onlyvisible", "--name", "^%s$" % prefs.name],
                         capture_output=True, text=True, check=True).stdout.split()
    # A click on the page (not on a control): no keyboard focus ring in the picture.
    uitest._xdotool("mousemove", "--window", ids[0], 20, 300, "click", 1)
    uitest._xdotool("mousemove", "--window", ids[0], 700, 1300)
    shot("preferences-staff.png", "Preferences", 1200)
finally:
    app.stop()
