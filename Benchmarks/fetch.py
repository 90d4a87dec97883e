#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""HTTP fetching: Feedwatch's libcurl-multi engine against curl itself, in the same run.

    python3 Benchmarks/fetch.py [--urls 1000] [--runs 5]

A local nginx serves 1,000 small RSS feeds, gzip-compressed, with keep-alive. Both sides fetch every URL
once per run, asking for compression, with at most 50 transfers in flight (all URLs are on one host, so
Feedwatch's per-host cap is raised to 50 here, as curl's --parallel-max applies to the host too):
- feedwatch: `feedwatch fetch --urls-from URLS --max-concurrent 50 --max-per-host 50`
- curl: `curl --parallel --parallel-max 50 --compressed --config URLS.curl` (one output per URL to /dev/null)
The two run in turn, round by round, and the ratios are the medians of each round's ratio, so a
machine whose speed drifts slows both alike. Prints medians of wall and CPU time, peak RSS, ratios.
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import benchlib  # noqa: E402
from localserver import LocalFeeds  # noqa: E402


def main():
    args = benchlib.arguments(__doc__, extra=[("--urls", {"type": int, "default": 1000})])
    server = LocalFeeds(args.urls)
    try:
        url_file = os.path.join(server.root, "urls.txt")
        with open(url_file, "w") as fh:
            fh.write("\n".join(server.urls) + "\n")
        curl_config = os.path.join(server.root, "urls.curl")
        with open(curl_config, "w") as fh:
            for url in server.urls:
                fh.write('url = "%s"\noutput = "/dev/null"\n' % url)
        runs = benchlib.measure_rounds({
            "feedwatch": [benchlib.FEEDWATCH, "fetch", "--urls-from", url_file, "--max-concurrent", "50", "--max-per-host", "50"],
            "curl": ["curl", "--silent", "--show-error", "--fail", "--parallel", "--parallel-max", "50",
                     "--compressed", "--config", curl_config],
        }, reference="curl", runs=args.runs)
    finally:
        server.close()
    fw, curl = runs["feedwatch"], runs["curl"]
    rows = [["feedwatch fetch", "%.3f" % fw[0], "%.3f" % fw[1], "%.0f" % fw[2]],
            ["curl --parallel", "%.3f" % curl[0], "%.3f" % curl[1], "%.0f" % curl[2]],
            ["ratio", "%.2fx" % fw[3], "%.2fx" % fw[4], "%.2fx" % (fw[2] / curl[2])]]
    print("%d URLs, median of %d rounds (feedwatch and curl in turn; ratios taken round by round)" % (args.urls, args.runs))
    benchlib.table(rows, ["", "wall s", "cpu s", "peak RSS MB"])


if __name__ == "__main__":
    main()
