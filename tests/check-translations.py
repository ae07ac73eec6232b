#!/usr/bin/python3
"""Translation checks, as TAP:
 - po/POTFILES.in lists every source file with translatable strings (and only existing files);
 - po/ja.po is complete for the strings the sources have today: no untranslated, no fuzzy,
   and msgfmt --check accepts it (format strings agree).
Usage: check-translations.py SOURCE_ROOT
"""
import os
import re
import subprocess
import sys
import tempfile

root = os.path.abspath(sys.argv[1])
results = []


def check(name, ok, diag=""):
    results.append((ok, name, diag))


potfiles_in = os.path.join(root, "po", "POTFILES.in")
listed = [l.strip() for l in open(potfiles_in, encoding="utf-8") if l.strip() and not l.startswith("#")]
missing = [f for f in listed if not os.path.exists(os.path.join(root, f))]
check("POTFILES.in lists only existing files", not missing, "missing: %s" % missing)
check("POTFILES.in is sorted (data files first, then sources)",
      listed == sorted([f for f in listed if f.startswith("data/")]) + sorted([f for f in listed if not f.startswith("data/")]),
      "not sorted")

pattern = re.compile(r'(\b(?:_|N_|C_|NC_|g_dngettext|ngettext)\s*\(\s*")|translatable="yes"')
wanted = []
for top in ("app", "ui", "data"):
    for dirpath, _dirs, files in os.walk(os.path.join(root, top)):
        for f in files:
            if not f.endswith((".c", ".cc", ".ui", ".in", ".xml")) or f.endswith(".gresource.xml"):
                continue
            path = os.path.join(dirpath, f)
            rel = os.path.relpath(path, root)
            with open(path, encoding="utf-8", errors="replace") as fh:
                text = fh.read()
            if f.endswith((".desktop.in", ".metainfo.xml.in", ".gschema.xml")) or pattern.search(text):
                wanted.append(rel)
unlisted = sorted(set(wanted) - set(listed))
check("every file with translatable strings is in POTFILES.in", not unlisted, "unlisted: %s" % unlisted)

with tempfile.TemporaryDirectory() as tmp:
    pot = os.path.join(tmp, "dengon.pot")
    args = ["xgettext", "--from-code=UTF-8", "--add-comments", "--keyword=_", "--keyword=N_",
            "--keyword=C_:1c,2", "--keyword=NC_:1c,2", "--keyword=g_dcgettext:2",
            "--keyword=g_dngettext:2,3", "--keyword=g_dpgettext2:2c,3",
            "--flag=N_:1:pass-c-format", "--flag=C_:2:pass-c-format", "--flag=NC_:2:pass-c-format",
            "--flag=g_dngettext:2:pass-c-format", "--flag=g_strdup_printf:1:c-format",
            "--flag=g_string_printf:2:c-format", "--flag=g_string_append_printf:2:c-format",
            "--flag=g_error_new:3:c-format", "--flag=g_set_error:4:c-format",
            "--flag=g_markup_printf_escaped:1:c-format", "--flag=g_log:3:c-format",
            "--flag=g_print:1:c-format", "--flag=g_printerr:1:c-format", "--flag=g_printf:1:c-format",
            "--flag=g_fprintf:2:c-format", "--flag=g_sprintf:2:c-format", "--flag=g_snprintf:3:c-format",
            "--directory=" + root, "--files-from=" + potfiles_in, "--output=" + pot]
    r = subprocess.run(args, capture_output=True, text=True)
    check("xgettext extracts the strings", r.returncode == 0, r.stderr)
    merged = os.path.join(tmp, "ja.po")
    r = subprocess.run(["msgmerge", "--quiet", "--no-fuzzy-matching", "--output-file=" + merged,
                        os.path.join(root, "po", "ja.po"), pot], capture_output=True, text=True)
    check("msgmerge of ja.po with the current strings", r.returncode == 0, r.stderr)
    r = subprocess.run(["msgfmt", "--check", "--statistics", "--output-file=/dev/null", merged],
                       capture_output=True, text=True, env=dict(os.environ, LC_ALL="C"))
    stats = r.stderr.strip()
    check("ja.po passes msgfmt --check", r.returncode == 0, stats)

    def msgids(*flags):
        out = subprocess.run(["msgattrib", "--no-obsolete"] + list(flags) + [merged],
                             capture_output=True, text=True).stdout
        return "\n".join(i for i in re.findall(r'^msgid "(.*)"$', out, re.M) if i)
    check("ja.po has no untranslated strings", "untranslated" not in stats,
          stats + "\n" + msgids("--untranslated"))
    check("ja.po has no fuzzy strings", "fuzzy" not in stats, stats + "\n" + msgids("--only-fuzzy"))

print("1..%d" % len(results))
for i, (ok, name, diag) in enumerate(results, 1):
    print("%s %d - %s" % ("ok" if ok else "not ok", i, name))
    if not ok:
        for line in str(diag).splitlines():
            print("# " + line)
sys.exit(0 if all(ok for ok, _, _ in results) else 1)
