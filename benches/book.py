#!/usr/bin/env python3
"""benches/book.py WORDS OUT.md [--foreign]: a long book for the benchmarks.

Paragraphs come from prose on the machine that the project did not write
(the licence texts Debian keeps in /usr/share/common-licenses) and, unless
--foreign, from the sample transcript too; they are dealt out in a seeded
order (the same book every run), with a `##` heading every 12 paragraphs,
until the body has WORDS words. Nothing is downloaded or committed.
"""
import glob, os, random, re, sys

words_wanted = int(sys.argv[1])
out = sys.argv[2]
foreign = "--foreign" in sys.argv
here = os.path.dirname(os.path.abspath(__file__))
paragraphs = []
for path in sorted(glob.glob("/usr/share/common-licenses/*")):
    if os.path.islink(path) or os.path.isdir(path):
        continue
    text = open(path, encoding="utf-8", errors="replace").read()
    for block in re.split(r"\n\s*\n", text):
        line = " ".join(block.split())
        if len(line.split()) >= 25:  # prose, not headings or addresses
            paragraphs.append(re.sub(r"([\\`*_\[\]<>#|])", r"\\\1", line))
if not foreign:
    sample = open(os.path.join(here, "..", "content", "global-uprisings.md"), encoding="utf-8").read()
    body = sample.split("\n---\n", 1)[1]
    for block in re.split(r"\n\s*\n", body):
        line = " ".join(block.split())
        if len(line.split()) >= 25 and not line.startswith("#"):
            paragraphs.append(re.sub(r"^\*\*[^*]+:\*\*\s*", "", line))
rng = random.Random(34)
lines = ["---", 'title: "A Long Book of Borrowed Prose"', "language: en", "---", ""]
count, n = 0, 0
while count < words_wanted:
    if n % 12 == 0:
        lines += [f"## Part {n // 12 + 1}", ""]
    p = rng.choice(paragraphs)
    lines += [p, ""]
    count += len(p.split())
    n += 1
open(out, "w", encoding="utf-8").write("\n".join(lines))
print(count)
