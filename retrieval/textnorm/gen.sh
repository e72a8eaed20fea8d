#!/usr/bin/env bash
# Regenerates the character tables from Debian's opencc package
# (apt-get install opencc): one line per character whose conversion differs.
# Character-level tables are enough for index normalisation; phrases are not
# needed because keyword search works on normalised text only.
set -euo pipefail
cd "$(dirname "$0")"
chars=$(mktemp)
python3 - "$chars" <<'PY'
import sys
with open(sys.argv[1], "w", encoding="utf-8") as f:
    for lo, hi in ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF)):
        for cp in range(lo, hi + 1):
            f.write(chr(cp) + "\n")
PY
for dir in t2s s2t; do
  opencc -c "$dir.json" -i "$chars" -o "$chars.$dir"
  python3 - "$chars" "$chars.$dir" "$dir.txt" <<'PY'
import sys
src = open(sys.argv[1], encoding="utf-8").read().split("\n")
dst = open(sys.argv[2], encoding="utf-8").read().split("\n")
with open(sys.argv[3], "w", encoding="utf-8") as f:
    for a, b in zip(src, dst):
        if a and b and a != b[0]:
            f.write(a + " " + b[0] + "\n")
PY
done
rm -f "$chars" "$chars".*
wc -l t2s.txt s2t.txt
