#!/usr/bin/env bash
# Regenerates the character tables from Debian's opencc package
# (apt-get install opencc): one line per character whose conversion differs.
# Character-level tables are enough for index normalisation (keyword search
# works on normalised text only). Answers in traditional characters also
# need phrases, where a simplified character has several traditional ones
# (签发 簽發, 联系 聯繫, 重复 重複, 回复 回覆): s2t_phrases.txt holds every word
# of jieba's dictionary whose opencc conversion differs from the character
# table's (needs the gojieba module in the module cache: go mod download).
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
# Answers go out in Hong Kong traditional characters (s2hk: 為, 審核, 户口),
# the form most readers of traditional answers from a mainland service centre
# (Hong Kong and Macau residents) use.
config() { if [ "$1" = s2t ]; then echo s2hk.json; else echo "$1.json"; fi; }
for dir in t2s s2t; do
  opencc -c "$(config "$dir")" -i "$chars" -o "$chars.$dir"
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
words=$(mktemp)
dict="$(go env GOMODCACHE)/github.com/yanyiwu/gojieba@v1.4.7/deps/cppjieba/dict/jieba.dict.utf8"
{ cut -d' ' -f1 "$dict"; cut -d' ' -f1 ../jieba/dict/user.dict; } | sort -u > "$words"
opencc -c s2hk.json -i "$words" -o "$words.s2t"
python3 - "$words" "$words.s2t" s2t.txt s2t_phrases.txt <<'PY'
import sys
chars = dict(l.rstrip("\n").split(" ") for l in open(sys.argv[3], encoding="utf-8") if l.strip())
src = open(sys.argv[1], encoding="utf-8").read().split("\n")
dst = open(sys.argv[2], encoding="utf-8").read().split("\n")
with open(sys.argv[4], "w", encoding="utf-8") as f:
    for a, b in zip(src, dst):
        if 2 <= len(a) <= 8 and len(a) == len(b) and "".join(chars.get(c, c) for c in a) != b:
            f.write(a + " " + b + "\n")
PY
# Corrections of opencc's phrases for this domain (换发 is a reissue, not a
# haircut), kept by hand in s2t_fixes.txt, win over the generated ones.
cat s2t_fixes.txt >> s2t_phrases.txt
rm -f "$chars" "$chars".* "$words" "$words".*
wc -l t2s.txt s2t.txt s2t_phrases.txt
