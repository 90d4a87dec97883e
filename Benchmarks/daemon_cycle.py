#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""One `feedwatch once` cycle over 1,000 and 10,000 local feeds, cold and warm, against curl.

    python3 Benchmarks/daemon_cycle.py [--feeds 1000,10000] [--runs 3] [--hosts 250] [--host-spacing 0ms]

A local nginx serves the feeds (10 items each, gzip, ETag/Last-Modified, keep-alive) spread over
`--hosts` loopback addresses (127.0.0.1 …), as feeds are spread over hosts on the web. Per size:
- cold: a fresh state directory (the previous one removed before the run, untimed), `feedwatch once`:
  every feed fetched, parsed, its entries recorded as seen (no alerts on a first fetch) in the SQLite
  store, with the rule set read and checked;
- warm: `feedwatch once --all` again on that state: every request conditional (If-None-Match /
  If-Modified-Since); nginx's access log shows how many were answered 304;
- curl: `curl --parallel --parallel-max 50 --compressed` over the same URLs.
Feedwatch runs with `limits: {max_fetches: 50, per_host: 2, host_spacing: --host-spacing}`: curl has no
spacing between requests to a host, so the comparison takes it away too (the default is 100ms).
Rules: 1,000 for 1,000 feeds and 100,000 for 10,000 (workload.py, seed 1).
The three run in turn, round by round, and each ratio is the median of the rounds' ratios, so a
machine whose speed drifts slows all alike. Prints medians of wall and CPU time, peak RSS, ratios to
curl, and the share of conditional requests.
"""
import os
import shutil
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import benchlib  # noqa: E402
from localserver import LocalFeeds  # noqa: E402
import workload  # noqa: E402


def rules(work, counts):
    """rules_N.conf for each count, made from news articles (workload.py)."""
    articles = workload.articles(1000, corpus_dir=benchlib.news_corpus())
    lines = workload.rules(articles, max(counts))
    for count in counts:
        with open(os.path.join(work, "rules_%d.conf" % count), "w", encoding="utf-8") as fh:
            fh.writelines(line + "\n" for line in lines[:count])


def config(work, urls, rules_file, spacing):
    path = os.path.join(work, "feedwatch.yaml")
    with open(path, "w") as fh:
        fh.write("state_dir: state\nrules: %s\ndefaults:\n  interval: 15m\n  full_text: false\n" % rules_file)
        fh.write("limits:\n  max_fetches: 50\n  per_host: 2\n  host_spacing: %s\nfeeds:\n" % spacing)
        fh.writelines("  - url: %s\n" % u for u in urls)
        fh.write("sinks:\n  - type: file\n    path: alerts.jsonl\n")
    return path


def main():
    args = benchlib.arguments(__doc__, runs=3, extra=[("--feeds", {"default": "1000,10000"}),
                                                      ("--hosts", {"type": int, "default": 250}),
                                                      ("--host-spacing", {"default": "0ms"})])
    sizes = [int(s) for s in args.feeds.split(",")]
    work = tempfile.mkdtemp(prefix="feedwatch-cycle-")
    rule_counts = {n: (100000 if n >= 10000 else 1000) for n in sizes}
    rules(work, sorted(set(rule_counts.values())))
    rows = []
    conditional = []
    try:
        for n in sizes:
            server = LocalFeeds(n, hosts=args.hosts, access_log=True)
            try:
                cfg = config(work, server.urls, os.path.join(work, "rules_%d.conf" % rule_counts[n]), args.host_spacing)
                state = os.path.join(work, "state")
                cold_cmd = [benchlib.FEEDWATCH, "once", "--config", cfg]
                # The previous state is removed before a cold run, untimed: deleting it took ~9 ms
                # (its write-ahead log among it), which is the harness's work, not the cycle's.
                fresh_state = lambda: shutil.rmtree(state, ignore_errors=True)  # noqa: E731
                warm_cmd = [benchlib.FEEDWATCH, "once", "--all", "--config", cfg]
                curl_cfg = os.path.join(work, "urls.curl")
                with open(curl_cfg, "w") as fh:
                    fh.writelines('url = "%s"\noutput = "/dev/null"\n' % u for u in server.urls)
                curl_cmd = ["curl", "--silent", "--show-error", "--fail", "--parallel", "--parallel-max", "50",
                            "--compressed", "--config", curl_cfg]
                # Conditional requests: one warm cycle on its own, its statuses read from nginx's log.
                fresh_state()
                benchlib.run_once(cold_cmd)
                server.statuses()
                benchlib.run_once(warm_cmd)
                statuses = server.statuses()
                conditional.append((n, statuses.count("304"), len(statuses)))
                # Timing: cold, warm (on the state cold left) and curl in turn, round by round.
                measured = benchlib.measure_rounds({"cold once": cold_cmd, "warm once": warm_cmd, "curl --parallel": curl_cmd},
                                                   reference="curl --parallel", runs=args.runs, warmup=0,
                                                   setup={"cold once": fresh_state})
            finally:
                server.close()
            label = "%d feeds, %dk rules" % (n, rule_counts[n] // 1000)
            for name, m in measured.items():
                reference = name == "curl --parallel"
                rows.append([label, name, "%.3f" % m[0], "%.3f" % m[1], "%.0f" % m[2],
                             "" if reference else "%.2fx" % m[3], "" if reference else "%.2fx" % m[4]])
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print("median of %d rounds (cold, warm, curl in turn; ratios taken round by round); feeds on %d loopback hosts; host_spacing %s"
          % (args.runs, args.hosts, args.host_spacing))
    benchlib.table(rows, ["size", "command", "wall s", "cpu s", "peak RSS MB", "wall/curl", "cpu/curl"])
    for n, hits, total in conditional:
        print("warm cycle, %d feeds: %d of %d requests answered 304 Not Modified (%.1f%%)" % (n, hits, total, 100.0 * hits / max(total, 1)))


if __name__ == "__main__":
    main()
