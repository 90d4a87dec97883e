#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The story index at scale, against the targets of the stories feature.

    python3 Benchmarks/stories.py [--stories 500000]

Builds `story-bench` (Benchmarks/StoryBench) in release mode and runs it: sketching a cleaned ~700-word
article beside extracting it, then the state database's story index filled with STORIES stories (72 hours of
10,000 feeds is about 500,000) the way the daemon records them, 50 per poll, and 2,000 more entries placed
(half near-duplicates of indexed stories, half new). Prints each figure with its target:
- sketching ≤ 5% of extraction time per article;
- resident memory with the index built ≤ 64 MB (the index lives in SQLite: the process keeps its page cache);
- placing an entry (the band lookup, the candidates' similarity, and its rows) ≤ 50 µs.
"""
import argparse
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--stories", type=int, default=500_000)
    args = parser.parse_args()
    subprocess.run(["swift", "build", "-c", "release", "--product", "story-bench"], cwd=ROOT, check=True,
                   stdout=subprocess.DEVNULL)
    out = subprocess.run([os.path.join(ROOT, ".build/release/story-bench"), str(args.stories)], cwd=ROOT, check=True,
                         capture_output=True, text=True).stdout
    figures = {}
    for line in out.splitlines():
        key, _, value = line.partition(" ")
        figures[key] = value
    extract, sketch = float(figures["extract_us"]), float(figures["sketch_us"])
    print(f"sketch {sketch:.1f} µs vs extraction {extract:.1f} µs per article: {100 * sketch / extract:.1f}% (target ≤ 5%)")
    print(f"index of {figures['stories']} stories built in {float(figures['build_s']):.1f} s; "
          f"database {float(figures['database_mb']):.0f} MB")
    print(f"resident memory {float(figures['rss_mb']):.1f} MB (target ≤ 64 MB)")
    print(f"placing an entry {float(figures['place_us']):.1f} µs (target ≤ 50 µs); near-duplicates found: {figures['copies_found']}")


if __name__ == "__main__":
    sys.exit(main())
