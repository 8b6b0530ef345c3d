#!/usr/bin/env python3
"""Writes every file under a folder as one JSON document a line, {"path", "body"}, the
input `tantivy index` (tantivy-cli) reads on standard input.

    bench/to_jsonl.py CORPUS_DIR OUT.jsonl
"""
import json
import os
import sys

root, out = sys.argv[1], sys.argv[2]
with open(out, "w", encoding="utf-8") as f:
    for folder, dirs, files in os.walk(root):
        dirs.sort()
        for name in sorted(files):
            path = os.path.join(folder, name)
            with open(path, "rb") as text:
                body = text.read().decode("utf-8", "replace")
            f.write(json.dumps({"path": path, "body": body}, ensure_ascii=False) + "\n")
