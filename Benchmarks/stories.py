#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The story index at scale, against the targets of the stories feature.

    python3 Benchmarks/stories.py [--stories 500000] [--pages 100 | --page-dir DIR]

Builds `story-bench` (Benchmarks/StoryBench) in release mode and runs it: sketching each of PAGES news
pages that workload.py makes (navigation, share buttons, related links, sidebar, comment form, footer) beside
extracting it, then the state database's story index filled with STORIES stories (72 hours of
10,000 feeds is about 500,000) the way the daemon records them, 50 per poll, and 2,000 more entries placed
(half near-duplicates of indexed stories, half new). Prints each figure with its target:
- sketching ≤ 5% of extraction time per article;
- resident memory with the index built ≤ 64 MB (the index lives in SQLite: the process keeps its page cache);
- looking an entry up ≤ 50 µs (the band lookup and the candidates' similarity);
  placing entries as polls do, 50 a poll, is timed too: near-duplicates (the lookup and the story's count)
  apart from new stories (the lookup, then the story's row and its 16 entries in the in-memory index).
"""
import argparse
import gzip
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import workload  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--stories", type=int, default=500_000)
    parser.add_argument("--pages", type=int, default=100, help="news pages (workload.py) to extract and sketch")
    parser.add_argument("--page-dir", help="extract and sketch every .html / .html.gz page of DIR instead (a benchmark's page set)")
    args = parser.parse_args()
    subprocess.run(["swift", "build", "-c", "release", "--product", "story-bench"], cwd=ROOT, check=True,
                   stdout=subprocess.DEVNULL)
    with tempfile.TemporaryDirectory() as pages:
        if args.page_dir:
            for name in sorted(os.listdir(args.page_dir)):
                path = os.path.join(args.page_dir, name)
                if name.endswith(".html.gz"):
                    with gzip.open(path, "rb") as src, open(os.path.join(pages, name[:-3]), "wb") as dst:
                        dst.write(src.read())
                elif name.endswith(".html"):
                    with open(path, "rb") as src, open(os.path.join(pages, name), "wb") as dst:
                        dst.write(src.read())
        else:
            for index, html in enumerate(workload.pages(args.pages)):
                with open(os.path.join(pages, f"{index:04}.html"), "w", encoding="utf-8") as fh:
                    fh.write(html)
        out = subprocess.run([os.path.join(ROOT, ".build/release/story-bench"), str(args.stories), pages], cwd=ROOT,
                             check=True, capture_output=True, text=True).stdout
    figures = {}
    for line in out.splitlines():
        key, _, value = line.partition(" ")
        figures[key] = value
    extract, sketch = float(figures["extract_us"]), float(figures["sketch_us"])
    print(f"{figures['pages']}: sketch {sketch:.1f} µs vs extraction {extract:.1f} µs per article: "
          f"{100 * sketch / extract:.1f}% (target ≤ 5%)")
    print(f"index of {figures['stories']} stories built in {float(figures['build_s']):.1f} s; "
          f"database {float(figures['database_mb']):.0f} MB")
    before, after = float(figures["rss_before_mb"]), float(figures["rss_mb"])
    print(f"resident memory {after:.1f} MB, {after - before:.1f} MB more than before the index "
          f"(target for the index ≤ 64 MB)")
    print(f"looking an entry up {float(figures['lookup_us']):.1f} µs (target ≤ 50 µs; "
          f"near-duplicates found: {figures['lookup_found']})")
    print(f"placing a near-duplicate {float(figures['place_copy_us']):.1f} µs (lookup, similarity, the story's count, "
          f"in the poll's write, 50 a poll); a new story {float(figures['place_new_us']):.1f} µs (lookup, its row and "
          f"its 16 index entries); "
          f"near-duplicates found: {figures['copies_found']}")


if __name__ == "__main__":
    sys.exit(main())
