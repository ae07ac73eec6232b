#!/usr/bin/python3
"""Screenshot of Preferences → Staff for docs/screenshots (not a test).

  tests/tools/run-headless --screen 1280x1500x24 -- \
      /usr/bin/python3 tests/ui/shoot_staff.py [ja] OUT.png

Needs DENGON_BIN, DENGON_SEED, GSETTINGS_SCHEMA_DIR and DENGON_LOCALEDIR as the
UI tests set them (see tests/meson.build).  Seeds sample-office.json and
sample-roster.json (a person who left, a roster with an overlap, Ken on duty)."""
import os
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import uitap  # noqa: E402,F401
import uitest  # noqa: E402
from dengon_ui import App  # noqa: E402

japanese = sys.argv[1:2] == ["ja"]
out = sys.argv[-1]
env = dict(os.environ)
if japanese:
    env.update(LANG="ja_JP.UTF-8", LANGUAGE="ja", LC_ALL="ja_JP.UTF-8")

app = App(seed="sample-office.json", settings={"desk-staff-id": "'staff:aya'"}, env=env)
app.seed("sample-roster.json")
app.start()
try:
    app.window(name="伝言" if japanese else "Dengon")
    uitest.key("ctrl+comma")
    prefs = uitest.find(app.atspi, role="frame", name="設定" if japanese else "Preferences")
    uitest.mouse_click(uitest.find(prefs, role="page tab", name="スタッフ" if japanese else "Staff"))
    ids = subprocess.run(["xdotool", "search", "--onlyvisible", "--name", "^%s$" % prefs.name],
                         capture_output=True, text=True, check=True).stdout.split()
    subprocess.run(["xdotool", "windowsize", "--sync", ids[0], "680", "1200"], check=True)
    # A click on the page (not on a control): no keyboard focus ring in the picture.
    uitest._xdotool("mousemove", "--window", ids[0], 20, 300, "click", 1)
    uitest._xdotool("mousemove", "--window", ids[0], 700, 1300)
    time.sleep(1.5)
    uitest.screenshot(out, prefs.name)
finally:
    app.stop()
