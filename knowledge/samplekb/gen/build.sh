#!/usr/bin/env bash
# Regenerate the binary sample policies (.docx and .pdf) in ../kb/policies from
# the sources in src/. Run from anywhere: bash knowledge/samplekb/gen/build.sh
set -euo pipefail
gen=$(cd "$(dirname "$0")" && pwd)
dst="$gen/../kb/policies"
python3 "$gen/make_docx.py" "$gen/src/pol-startup-loan.txt" "$dst/pol-startup-loan.docx"
bash "$gen/make_pdf.sh" "$gen/src/pol-public-rental.html" "$dst/pol-public-rental.pdf"
