#!/usr/bin/env python3
"""Check evaluation cases against the sample knowledge base.

Every case must be valid JSON with a unique id; every fact group of a case
must have an alternative that is an exact substring of each of its expected
source documents (for .docx and .pdf the text is extracted from the file itself; PDF
text via pdftotext, with line breaks removed). Usage:
check_cases.py CASES.jsonl [KB_DIR]
"""

import html
import json
import os
import re
import subprocess
import sys
import zipfile


def body(path):
    """Return the plain text of one knowledge-base file."""
    ext = os.path.splitext(path)[1]
    if ext == ".md":
        text = open(path, encoding="utf-8").read()
        return re.sub(r"\A---\n.*?\n---\n", "", text, flags=re.S)
    if ext == ".txt":
        return open(path, encoding="utf-8").read()
    if ext == ".html":
        text = open(path, encoding="utf-8").read()
        return html.unescape(re.sub(r"<[^>]+>", "", text))
    if ext == ".docx":
        xml = zipfile.ZipFile(path).read("word/document.xml").decode("utf-8")
        paras = re.findall(r"<w:p>.*?</w:p>", xml)
        return "\n".join(html.unescape("".join(re.findall(r"<w:t[^>]*>(.*?)</w:t>", p))) for p in paras)
    if ext == ".pdf":
        out = subprocess.run(["pdftotext", path, "-"], capture_output=True, check=True, text=True).stdout
        return out.replace("\n", "")
    return None


def load_kb(root):
    """Map document id to text for every document under root."""
    docs = {}
    for dirpath, _, files in os.walk(root):
        for name in files:
            path = os.path.join(dirpath, name)
            if name.endswith(".meta.yaml"):
                continue
            text = body(path)
            if text is None:
                continue
            base = os.path.splitext(path)[0]
            doc_id = os.path.basename(base)
            meta = open(base + ".meta.yaml", encoding="utf-8").read() if os.path.exists(base + ".meta.yaml") else ""
            if path.endswith(".md"):
                meta = open(path, encoding="utf-8").read().split("\n---\n", 1)[0]
            m = re.search(r"^id:\s*(\S+)", meta, re.M)
            if m:
                doc_id = m.group(1)
            docs[doc_id] = text
    return docs


def main(cases_path, kb_root):
    docs = load_kb(kb_root)
    seen, errors = set(), []
    for n, line in enumerate(open(cases_path, encoding="utf-8"), 1):
        case = json.loads(line)
        cid = case["id"]
        if cid in seen:
            errors.append(f"line {n}: duplicate id {cid}")
        seen.add(cid)
        exp = case["expect"]
        for src in exp.get("sources", []):
            if src not in docs:
                errors.append(f"{cid}: unknown source {src}")
        for group in exp.get("facts", []):
            for src in exp.get("sources", []):
                if src in docs and not any(fact in docs[src] for fact in group):
                    errors.append(f"{cid}: no alternative of {group} in {src}")
    for e in errors:
        print(e)
    print(f"{len(seen)} cases, {len(errors)} problems")
    return 1 if errors else 0


if __name__ == "__main__":
    root = sys.argv[2] if len(sys.argv) > 2 else os.path.join(os.path.dirname(__file__), "..", "kb")
    sys.exit(main(sys.argv[1], root))
