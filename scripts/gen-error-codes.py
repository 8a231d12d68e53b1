#!/usr/bin/env python3
"""Regenerates src/core/error_codes.inc from the error table of the SDRS API fact sheet."""
import re
import sys

spec = sys.argv[1] if len(sys.argv) > 1 else "../shared/spec/sdrs-api.md"
rows = []
for line in open(spec, encoding="utf-8"):
    m = re.match(r"\| (SDRS\.\d{4}) \| (\d{3}) \| (\w+) \| (.*) \|\s*$", line)
    if m:
        rows.append(m.groups())
out = [
    "// Generated from ../shared/spec/sdrs-api.md section 9 (218 SDRS error codes): code, HTTP status,",
    "// class and meaning. Used to map a service error to an SDRS_E* code. Do not edit by hand;",
    "// regenerate with scripts/gen-error-codes.py.",
]
for code, http, cls, meaning in rows:
    meaning = meaning.replace("\\", "\\\\").replace('"', '\\"').replace("`", "")
    out.append(f'SDRS_CODE("{code}", {http}, {cls}, "{meaning}")')
open("src/core/error_codes.inc", "w", encoding="utf-8").write("\n".join(out) + "\n")
print(f"{len(rows)} codes")
