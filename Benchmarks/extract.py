#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Article extraction throughput: `feedwatch extract` against trafilatura, each in one process, same run.

    python3 Benchmarks/extract.py [--runs 3] [--pages DIR] [--count 100]

The pages: every `*.html` or `*.html.gz` file of `--pages DIR` (a benchmark's page set, say), else
`--count` news article pages that workload.py makes (navigation, share buttons, a related-links box, a
sidebar, a comment form and a footer around the story). Then it times whole processes:
- feedwatch: `feedwatch extract PAGE1 … PAGE88` (one process, one JSON line per page), on every core
  (the default) and on one thread (`--jobs 1`);
- trafilatura (installed into the benchmarks' virtual environment): one Python process that extracts every page with
  `trafilatura.extract(html, favor_precision=True)`.
Prints pages/s, CPU and peak RSS of both and the ratio; libxml2's HTML parser alone (lxml, parse only)
is timed the same way as the ceiling to approach.
"""
import gzip
import os
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import benchlib  # noqa: E402
import workload  # noqa: E402

TRAFILATURA = """
import sys, trafilatura
for path in sys.argv[1:]:
    with open(path, encoding="utf-8", errors="replace") as fh:
        trafilatura.extract(fh.read(), favor_precision=True)
"""
LXML = """
import sys, lxml.html
for path in sys.argv[1:]:
    with open(path, "rb") as fh:
        lxml.html.document_fromstring(fh.read())
"""


def main():
    args = benchlib.arguments(__doc__, runs=3, extra=[
        ("--pages", {"help": "a folder of .html or .html.gz pages (default: generated pages)"}),
        ("--count", {"type": int, "default": 100, "help": "how many pages to generate"})])
    python = benchlib.peer_python("trafilatura", "lxml_html_clean")  # trafilatura needs the latter with lxml >= 5.2
    work = tempfile.mkdtemp(prefix="feedwatch-extract-")
    pages = []
    if args.pages:
        for name in sorted(os.listdir(args.pages)):
            if not (name.endswith(".html") or name.endswith(".html.gz")):
                continue
            path = os.path.join(work, name.replace(".gz", ""))
            opener = gzip.open if name.endswith(".gz") else open
            with opener(os.path.join(args.pages, name), "rb") as src, open(path, "wb") as dst:
                dst.write(src.read())
            pages.append(path)
        if not pages:
            raise SystemExit("no .html or .html.gz file in %s" % args.pages)
    else:
        for index, html in enumerate(workload.pages(args.count, corpus_dir=benchlib.news_corpus())):
            path = os.path.join(work, "page-%03d.html" % index)
            with open(path, "w", encoding="utf-8") as fh:
                fh.write(html)
            pages.append(path)
    n = len(pages)
    # In turn, round by round, so that a drift in the machine's speed slows all alike; each speed-up is
    # the median of the rounds' ratios to trafilatura.
    labels = {"fw": "feedwatch extract (%d cores)" % os.cpu_count(), "one": "feedwatch extract --jobs 1",
              "tf": "trafilatura (favor_precision)", "lx": "libxml2 HTML parse only (lxml)"}
    result = benchlib.measure_rounds({"fw": [benchlib.FEEDWATCH, "extract"] + pages,
                                      "one": [benchlib.FEEDWATCH, "extract", "--jobs", "1"] + pages,
                                      "tf": [python, "-c", TRAFILATURA] + pages,
                                      "lx": [python, "-c", LXML] + pages}, "tf", runs=args.runs)
    rows = [[labels[k], "%.0f" % (n / r[0]), "%.2f" % r[1], "%.0f" % r[2], "%.1fx" % (1 / r[3])]
            for k, r in result.items()]
    print("%d pages, one process each, median of %d interleaved rounds" % (n, args.runs))
    benchlib.table(rows, ["", "pages/s", "cpu s", "peak RSS MB", "vs trafilatura"])


if __name__ == "__main__":
    main()
