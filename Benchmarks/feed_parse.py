#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Feed-parsing throughput: `feedwatch parse` against Python feedparser, in the same run.

    python3 Benchmarks/feed_parse.py [--runs 5] [--items 2000]

Generates a ~5 MB RSS 2.0 and a ~5 MB Atom feed (workload.py), then times whole processes, JSON output
included: `feedwatch parse FILE` and `Benchmarks/feedparser_json.py FILE` (feedparser, installed into the
benchmarks' virtual environment, plus the same JSON). Prints MB/s, CPU and peak RSS of both and the speed-up (the median of the rounds' ratios: the two run
in turn, round by round).
Also parses a ~50 MB feed to show that memory grows in proportion to the input.
"""
import os
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import benchlib  # noqa: E402
import workload  # noqa: E402


def main():
    args = benchlib.arguments(__doc__, extra=[("--items", {"type": int, "default": 2000})])
    python = benchlib.peer_python("feedparser")
    adapter = os.path.join(os.path.dirname(os.path.abspath(__file__)), "feedparser_json.py")
    work = tempfile.mkdtemp(prefix="feedwatch-bench-")
    rows = []
    for fmt in ("rss", "atom"):
        path = os.path.join(work, "big-%s.xml" % fmt)
        with open(path, "w", encoding="utf-8") as fh:
            fh.write(workload.big_feed(fmt, args.items))
        mb = os.path.getsize(path) / 1e6
        # In turn, round by round: a drift in the machine's speed slows both alike, and the speed-up is
        # the median of the rounds' ratios.
        result = benchlib.measure_rounds({"feedwatch": [benchlib.FEEDWATCH, "parse", path],
                                          "feedparser": [python, adapter, path]}, "feedparser", runs=args.runs)
        fw, fp = result["feedwatch"], result["feedparser"]
        rows.append([fmt, "%.1f" % mb, "%.1f" % (mb / fw[0]), "%.2f" % fw[1], "%.0f" % fw[2],
                     "%.2f" % (mb / fp[0]), "%.2f" % fp[1], "%.0f" % fp[2], "%.1fx" % (1 / fw[3])])
    benchlib.table(rows, ["feed", "MB", "feedwatch MB/s", "cpu s", "RSS MB",
                          "feedparser MB/s", "cpu s", "RSS MB", "speed-up"])

    big = os.path.join(work, "huge-rss.xml")
    with open(big, "w", encoding="utf-8") as fh:
        fh.write(workload.big_feed("rss", args.items * 10))
    mb = os.path.getsize(big) / 1e6
    wall, cpu, rss = benchlib.measure([benchlib.FEEDWATCH, "parse", big], runs=1, warmup=0)
    print("\n%.0f MB RSS feed: %.1f MB/s, peak RSS %.0f MB (%.1f x the input)" % (mb, mb / wall, rss, rss / mb))


if __name__ == "__main__":
    main()
