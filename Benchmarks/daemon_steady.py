#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""`feedwatch run` at rest and at work over 10,000 local feeds, beside curl doing the same requests.

    python3 Benchmarks/daemon_steady.py [--feeds 10000] [--hosts 250] [--seconds 60] [--interval 60s]

A local nginx serves the feeds (localserver.py: gzip, ETag, keep-alive) on `--hosts` loopback
addresses; it logs each request's status, which is how the polls are counted. The daemon runs with
`limits: {max_fetches: 50, per_host: 2, host_spacing: 0ms}`, 1,000 rules, `full_text: false`.
- idle: `run` with `interval: 1h`. Once its first cycle has fetched every feed (and 5 s more for the
  last commits), nothing is due for an hour: the CPU time the process uses over `--seconds`
  (utime + stime from /proc/PID/stat) is its idle cost, as a share of one core. Target: at most 0.5%.
- steady: `run` with `interval: --interval`. After the first cycle and one more interval, over
  `--seconds`: CPU time per 1,000 polls, the polls counted in nginx's log (200s and 304s; the feeds do
  not change, so nearly all are 304s answered to If-None-Match).
- curl: `curl --parallel --parallel-max 50 --compressed` over the same URLs with each feed's ETag in
  If-None-Match (read by one untimed pass), so that it makes the same 304 requests: CPU time per
  1,000 requests, the median of `--runs` runs.
Prints the idle share of a core and its RSS, and CPU per 1,000 polls for both with the ratio.
"""
import os
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import benchlib  # noqa: E402
from localserver import LocalFeeds  # noqa: E402
import workload  # noqa: E402

TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid):
    """utime + stime of `pid`, in seconds."""
    with open("/proc/%d/stat" % pid) as fh:
        fields = fh.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


def rss_mb(pid):
    with open("/proc/%d/status" % pid) as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def config(work, urls, interval):
    path = os.path.join(work, "feedwatch.yaml")
    with open(path, "w") as fh:
        fh.write("state_dir: state\nrules: rules.conf\ndefaults:\n  interval: %s\n  full_text: false\n" % interval)
        fh.write("limits:\n  max_fetches: 50\n  per_host: 2\n  host_spacing: 0ms\nfeeds:\n")
        fh.writelines("  - url: %s\n" % u for u in urls)
        fh.write("sinks:\n  - type: file\n    path: alerts.jsonl\n")
    return path


class Daemon:
    """`feedwatch run` on a fresh state directory, stopped with SIGTERM."""

    def __init__(self, work, urls, interval):
        shutil.rmtree(os.path.join(work, "state"), ignore_errors=True)
        self.log = open(os.path.join(work, "run.log"), "w")
        self.process = subprocess.Popen([benchlib.FEEDWATCH, "run", "--config", config(work, urls, interval), "--log-level", "warning"],
                                        stdout=subprocess.DEVNULL, stderr=self.log)

    def stop(self):
        self.process.terminate()
        status = self.process.wait(timeout=30)
        self.log.close()
        if status != 0:
            sys.exit("feedwatch run exited with status %d; see its log" % status)


def wait_for_requests(server, count, timeout=600):
    """Waits until nginx has logged `count` requests (emptying the log); returns them."""
    seen = []
    deadline = time.time() + timeout
    while len(seen) < count:
        if time.time() > deadline:
            sys.exit("only %d of %d requests came within %d s" % (len(seen), count, timeout))
        time.sleep(0.5)
        seen += server.statuses()
    return seen


def idle(work, server, seconds):
    daemon = Daemon(work, server.urls, "1h")
    try:
        wait_for_requests(server, len(server.urls))
        time.sleep(5)
        server.statuses()
        before = cpu_seconds(daemon.process.pid)
        time.sleep(seconds)
        used = cpu_seconds(daemon.process.pid) - before
        rss = rss_mb(daemon.process.pid)
        stray = len(server.statuses())
    finally:
        daemon.stop()
    return used / seconds * 100, rss, stray


def steady(work, server, seconds, interval):
    daemon = Daemon(work, server.urls, interval)
    try:
        wait_for_requests(server, 2 * len(server.urls))  # the first cycle and the first conditional one
        server.statuses()
        before = cpu_seconds(daemon.process.pid)
        time.sleep(seconds)
        used = cpu_seconds(daemon.process.pid) - before
        statuses = server.statuses()
    finally:
        daemon.stop()
    polls = sum(1 for s in statuses if s in ("200", "304"))
    return used, polls, statuses.count("304")


def curl_conditional(work, server, runs):
    """CPU seconds per request of curl making each feed's conditional request."""
    bodies_away = [arg for url in server.urls for arg in ("--output", "/dev/null", url)]
    listing = subprocess.run(["curl", "--silent", "--parallel", "--parallel-max", "50", "--compressed",
                              "--write-out", "%{url} %header{etag}\\n"] + bodies_away,
                             check=True, capture_output=True, text=True).stdout
    etags = dict(line.split(" ", 1) for line in listing.splitlines() if " " in line)
    curl_cfg = os.path.join(work, "conditional.curl")
    with open(curl_cfg, "w") as fh:
        # `next` ends a transfer's options: without it every header line would go with every request.
        # An ETag holds double quotes: escaped, as a quoted value in curl's config needs.
        fh.write("\nnext\n".join('url = "%s"\noutput = "/dev/null"\ncompressed\nheader = "If-None-Match: %s"'
                                  % (url, etags.get(url, "").strip().replace("\\", "\\\\").replace('"', '\\"'))
                                  for url in server.urls) + "\n")
    argv = ["curl", "--silent", "--show-error", "--parallel", "--parallel-max", "50", "--config", curl_cfg]
    server.statuses()
    wall, cpu, _ = benchlib.measure(argv, runs=runs, warmup=1)
    statuses = server.statuses()
    return cpu / len(server.urls), statuses.count("304") / max(len(statuses), 1)


def main():
    args = benchlib.arguments(__doc__, runs=5, extra=[("--feeds", {"type": int, "default": 10000}),
                                                      ("--hosts", {"type": int, "default": 250}),
                                                      ("--seconds", {"type": int, "default": 60}),
                                                      ("--interval", {"default": "60s"})])
    work = tempfile.mkdtemp(prefix="feedwatch-steady-")
    try:
        articles = workload.articles(200, corpus_dir=benchlib.news_corpus())
        with open(os.path.join(work, "rules.conf"), "w", encoding="utf-8") as fh:
            fh.writelines(line + "\n" for line in workload.rules(articles, 1000))
        server = LocalFeeds(args.feeds, hosts=args.hosts, access_log=True)
        try:
            share, rss, stray = idle(work, server, args.seconds)
            used, polls, not_modified = steady(work, server, args.seconds, args.interval)
            curl_per_request, curl_304 = curl_conditional(work, server, args.runs)
        finally:
            server.close()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print("%d feeds on %d loopback hosts; windows of %d s" % (args.feeds, args.hosts, args.seconds))
    print("idle (interval 1h, after the first cycle): %.2f%% of one core, RSS %.0f MB, %d requests in the window"
          % (share, rss, stray))
    ours = used / max(polls, 1) * 1000
    theirs = curl_per_request * 1000
    benchlib.table([["feedwatch run (interval %s)" % args.interval, "%d" % polls, "%.1f%%" % (100.0 * not_modified / max(polls, 1)),
                     "%.3f" % ours, "%.2fx" % (ours / theirs)],
                    ["curl --parallel, If-None-Match", "%d" % args.feeds, "%.1f%%" % (100.0 * curl_304), "%.3f" % theirs, ""]],
                   ["steady state", "polls", "304s", "cpu s / 1000 polls", "vs curl"])


if __name__ == "__main__":
    main()
