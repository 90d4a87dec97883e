#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Feed-parsing throughput: `feedwatch parse` against Python feedparser, in the same run.

    python3 Benchmarks/feed_parse.py [--runs 5] [--items 2000]

Generates a ~5 MB RSS 2.0 and a ~5 MB Atom feed with ../shared/tools/gen_big_feed.py, then times whole
processes, JSON output included: `feedwatch parse FILE` and `python3 ../shared/tools/feedparser_adapter.py
FILE` (feedparser plus the same normalised JSON). Prints MB/s, CPU and peak RSS of both and the ratio.
Also parses a ~50 MB feed to show that memory grows in proportion to the input.
"""
import os
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import benchlib  # noqa: E402


def main():
    args = benchlib.arguments(__doc__, extra=[("--items", {"type": int, "default": 2000})])
    benchlib.ensure_pip("feedparser")
    gen = os.path.join(benchlib.SHARED, "tools", "gen_big_feed.py")
    adapter = os.path.join(benchlib.SHARED, "tools", "feedparser_adapter.py")
    work = tempfile.mkdtemp(prefix="feedwatch-bench-")
    rows = []
    for fmt in ("rss", "atom"):
        path = os.path.join(work, "big-%s.xml" % fmt)
        benchlib.subprocess.run([sys.executable, gen, "--format", fmt, "--items", str(args.items), "--out", path],
                                check=True, stdout=benchlib.subprocess.DEVNULL)
        mb = os.path.getsize(path) / 1e6
        fw = benchlib.measure([benchlib.FEEDWATCH, "parse", path], runs=args.runs)
        fp = benchlib.measure([sys.executable, adapter, path], runs=max(1, args.runs // 2))
        rows.append([fmt, "%.1f" % mb, "%.1f" % (mb / fw[0]), "%.2f" % fw[1], "%.0f" % fw[2],
                     "%.2f" % (mb / fp[0]), "%.2f" % fp[1], "%.0f" % fp[2], "%.1fx" % (fp[0] / fw[0])])
    benchlib.table(rows, ["feed", "MB", "feedwatch MB/s", "cpu s", "RSS MB",
                          "feedparser MB/s", "cpu s", "RSS MB", "speed-up"])

    big = os.path.join(work, "huge-rss.xml")
    benchlib.subprocess.run([sys.executable, gen, "--format", "rss", "--items", str(args.items * 10), "--out", big],
                            check=True, stdout=benchlib.subprocess.DEVNULL)
    mb = os.path.getsize(big) / 1e6
    wall, cpu, rss = benchlib.measure([benchlib.FEEDWATCH, "parse", big], runs=1, warmup=0)
    print("\n%.0f MB RSS feed: %.1f MB/s, peak RSS %.0f MB (%.1f x the input)" % (mb, mb / wall, rss, rss / mb))


if __name__ == "__main__":
    main()
