#!/usr/bin/env bash
# Print an HTML source to PDF with headless Chromium (needs: chromium fonts-wqy-microhei;
# pdftotext from poppler-utils for the check). Usage: make_pdf.sh IN.html OUT.pdf
set -euo pipefail
in=$(realpath "$1")
out=$(realpath -m "$2")
chromium --headless --no-sandbox --disable-gpu --no-first-run \
	--disable-background-networking --no-pdf-header-footer \
	--print-to-pdf="$out" "file://$in" 2>/dev/null
if command -v pdftotext >/dev/null; then
	pdftotext -layout "$out" - | head -n 3
fi
