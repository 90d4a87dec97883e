#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""`feedwatch rules test` over a full archive: 100,000 archived articles replayed through 10,000 rules.

    python3 Benchmarks/rules_test.py [--articles 100000] [--rules 10000] [--no-build]

Fills an archive the way a user's daemon does: `feedwatch once` (alert_existing, feed text) over
ARTICLES/100 feeds of 100 items each, served from a temporary directory by Python's http.server on
127.0.0.1, the items' text from workload.py's news articles, with a one-rule live rules file. Then times
`feedwatch rules test --rules DRAFT` (human report; its match counts summed) and `--json` (one line per match, written to /dev/null)
with workload.py's RULES rules as the draft, on every core. Target: ≤ 10 s. No peer: no feed tool
replays its history through a rule set.
"""
import html
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import benchlib  # noqa: E402
import workload  # noqa: E402

BINARY = os.path.join(benchlib.ROOT, ".build/release/feedwatch")


class Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def main():
    args = benchlib.arguments(__doc__, runs=None, extra=[
        ("--articles", {"type": int, "default": 100_000}), ("--rules", {"type": int, "default": 10_000})])
    arts = workload.articles(args.articles)
    with tempfile.TemporaryDirectory() as work:
        www = os.path.join(work, "www")
        os.makedirs(www)
        feeds = (len(arts) + 99) // 100
        for f in range(feeds):
            items = "".join(
                "<item><title>%s</title><link>http://127.0.0.1/a/%d</link><guid>a-%d</guid><description>%s</description></item>"
                % (html.escape(a["title"]), i, i, html.escape(a["body"]))
                for i, a in enumerate(arts[f * 100:(f + 1) * 100], start=f * 100))
            with open(os.path.join(www, "%d.xml" % f), "w", encoding="utf-8") as fh:
                fh.write('<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Feed %d</title>%s</channel></rss>' % (f, items))
        server = ThreadingHTTPServer(("127.0.0.1", 0), partial(Quiet, directory=www))
        threading.Thread(target=server.serve_forever, daemon=True).start()
        port = server.server_address[1]
        with open(os.path.join(work, "rules.conf"), "w") as fh:
            fh.write("live = ministers\n")
        with open(os.path.join(work, "draft.conf"), "w") as fh:
            fh.write("\n".join(workload.rules(arts, args.rules)) + "\n")
        config = os.path.join(work, "feedwatch.yaml")
        with open(config, "w") as fh:
            fh.write("state_dir: state\nrules: rules.conf\ndefaults:\n  full_text: false\n  alert_existing: true\n"
                     "limits:\n  host_spacing: 0ms\n  per_host: 8\nstories: off\nfeeds:\n"
                     + "".join("  - url: http://127.0.0.1:%d/%d.xml\n" % (port, f) for f in range(feeds))
                     + "sinks:\n  - type: file\n    path: alerts.jsonl\n")
        start = time.monotonic()
        subprocess.run([BINARY, "once", "--config", config, "--log-level", "error"], check=True, stdout=subprocess.DEVNULL)
        print("archive of %d articles filled by `once` in %.1f s" % (len(arts), time.monotonic() - start))
        status = subprocess.run([BINARY, "status", "--config", config], capture_output=True, text=True).stdout
        print([line for line in status.splitlines() if line.startswith("archive:")][0])
        command = [BINARY, "rules", "test", "--config", config, "--rules", os.path.join(work, "draft.conf")]
        start = time.monotonic()
        report = subprocess.run(command, check=True, capture_output=True).stdout
        wall = time.monotonic() - start
        matches = sum(int(m) for m in re.findall(rb"^\S+: (\d+) match", report, re.M))
        print("rules test         %d articles x %d rules: %.2f s (target <= 10 s), %d matches"
              % (len(arts), args.rules, wall, matches))
        start = time.monotonic()
        subprocess.run(command + ["--json"], check=True, stdout=subprocess.DEVNULL)
        print("rules test --json  %d articles x %d rules: %.2f s (target <= 10 s), one line per match to /dev/null"
              % (len(arts), args.rules, time.monotonic() - start))
        server.shutdown()


if __name__ == "__main__":
    main()
