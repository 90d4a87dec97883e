# SPDX-License-Identifier: MIT
"""Soak: `feedwatch run` against a loopback feed farm that publishes continuously.

Hundreds of feeds on one host (so host spacing and the per-host cap matter) publish new stories while
the daemon runs. Every article page's chrome (navigation, sidebar, comment form) is full of the watch
words; a third of the stories are about them in their body, the rest are about pears; item descriptions
never hold the words. Some feeds misbehave: 500, 429 with Retry-After, garbage, an HTML page, a redirect
loop, a gzip bomb, a reset mid-body, a server that drips. Good feeds honour If-None-Match.

Reports, from the alert file: stories missed, false alerts, duplicates, and the latency from a story's
publication to its alert line (p50/p90/max). Exits non-zero on a miss, a false alert, a duplicate or an
unclean stop. Not a peer comparison: no peer tool alerts on rules; run it with `--spacing` values to
see politeness cost latency.

    python3 Benchmarks/farm_soak.py --feeds 200 --seconds 40 --rate 5
"""
import gzip
import http.server
import json
import os
import random
import shutil
import signal
import socketserver
import statistics
import subprocess
import sys
import tempfile
import threading
import time

import benchlib

ON_TOPIC = ("Russian aircraft flew new sorties over northern Syria on %s, officials said. The aircraft "
            "took off from a base near Latakia; Russia says the flights will go on.")
OFF_TOPIC = ("Pears from the valley orchards reached the market on %s. Growers said the pears ripened "
             "early this year and prices held.")
CHROME = ("<nav><a href='/russia'>Russia</a> <a href='/syria'>Syria</a> <a href='/aircraft'>Aircraft</a></nav>"
          "<aside><h3>Most read</h3><ul><li><a href='/x'>Russia and Syria: aircraft deal</a></li>"
          "<li><a href='/y'>Aircraft losses in Syria, Russia says</a></li></ul></aside>")
FOOTER = ("<div id='respond'><h3>Leave a Reply</h3><form><p>Tags: Russia, Syria, aircraft</p>"
          "<textarea name='comment'></textarea></form></div><footer>Russia · Syria · Aircraft</footer>")
WAR = "russia-syria-aircraft"
RULES = {WAR: True, "pears": False}  # rule -> alerts on the on-topic stories (else on the others)
HOSTILE = ["error", "busy", "garbage", "html", "loop-a", "bomb", "reset", "slow"]
BOMB = gzip.compress(bytes(40 << 20))
SLOW_FEED = (b'<?xml version="1.0"?><rss version="2.0"><channel><title>Slow</title><item><title>Late</title>'
             b"<guid>late</guid><description>A story that takes its time.</description></item></channel></rss>")


class Farm:
    """The feeds' state, shared by the server threads and the publisher."""

    def __init__(self, feeds):
        self.lock = threading.Lock()
        self.items = {i: [] for i in range(feeds)}  # feed -> [(guid, title, published epoch)]
        self.fetched = set()
        self.published = {}  # story path -> (on topic, published epoch)
        self.serial = 0

    def publish(self, rng):
        with self.lock:
            self.serial += 1
            feed = rng.randrange(len(self.items))
            on_topic = rng.random() < 1 / 3
            path = "/article/%d/%d.html" % (feed, self.serial)
            self.items[feed].insert(0, ("story-%d" % self.serial, path, time.time()))
            del self.items[feed][20:]
            self.published[path] = (on_topic, time.time())

    def feed_xml(self, feed, port):
        with self.lock:
            items = list(self.items[feed])
        body = "".join(
            "<item><title>Story %s</title><link>http://127.0.0.1:%d%s</link><guid>%s</guid>"
            "<description>A new story from the wires.</description></item>" % (guid, port, path, guid)
            for guid, path, _ in items)
        return ('<?xml version="1.0"?><rss version="2.0"><channel><title>Feed %d</title>'
                "<link>http://127.0.0.1:%d/</link>%s</channel></rss>" % (feed, port, body)).encode()

    def article(self, path):
        with self.lock:
            story = self.published.get(path)
        if story is None:
            return None
        day = time.strftime("%A")
        text = (ON_TOPIC if story[0] else OFF_TOPIC) % day
        return ("<html><head><title>Story</title></head><body>%s<article><h1>Story</h1><p>%s</p><p>%s</p>"
                "<p>Reporters on the scene described a long day of work.</p></article>%s</body></html>"
                % (CHROME, text, text, FOOTER)).encode()


def handler_for(farm):
    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):
            pass

        def reply(self, status, body=b"", headers=()):
            self.send_response(status)
            for name, value in headers:
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self):
            port = self.server.server_address[1]
            path = self.path
            if path.startswith("/feed/"):
                feed = int(path[len("/feed/"):-len(".xml")])
                body = farm.feed_xml(feed, port)
                etag = '"%x"' % (hash(body) & 0xFFFFFFFF)
                with farm.lock:
                    farm.fetched.add(feed)
                if self.headers.get("If-None-Match") == etag:
                    return self.reply(304, headers=[("ETag", etag)])
                return self.reply(200, body, [("Content-Type", "application/rss+xml"), ("ETag", etag)])
            if path.startswith("/article/"):
                body = farm.article(path)
                return self.reply(404) if body is None else self.reply(200, body, [("Content-Type", "text/html")])
            name = path.strip("/").replace(".xml", "")
            if name == "error":
                return self.reply(500, b"oops")
            if name == "busy":
                return self.reply(429, headers=[("Retry-After", "30")])
            if name == "garbage":
                return self.reply(200, os.urandom(2048), [("Content-Type", "application/rss+xml")])
            if name == "html":
                return self.reply(200, b"<html><body>Russia Syria aircraft</body></html>", [("Content-Type", "text/html")])
            if name in ("loop-a", "loop-b"):
                return self.reply(302, headers=[("Location", "/loop-%s.xml" % ("b" if name == "loop-a" else "a"))])
            if name == "bomb":
                return self.reply(200, BOMB, [("Content-Encoding", "gzip"), ("Content-Type", "application/rss+xml")])
            if name == "reset":
                self.send_response(200)
                self.send_header("Content-Length", "10000")
                self.end_headers()
                self.wfile.write(b'<?xml version="1.0"?><rss version="2.0"><channel><title>Reset')
                self.wfile.flush()
                self.connection.shutdown(2)
                return
            if name == "slow":
                body = SLOW_FEED
                self.send_response(200)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                for i in range(0, len(body), 16):
                    self.wfile.write(body[i:i + 16])
                    self.wfile.flush()
                    time.sleep(0.05)
                return
            self.reply(404)

    return Handler


class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    request_queue_size = 1024


def write_config(directory, port, feeds, spacing, interval):
    urls = ["http://127.0.0.1:%d/feed/%d.xml" % (port, i) for i in range(feeds)]
    urls += ["http://127.0.0.1:%d/%s.xml" % (port, name) for name in HOSTILE]
    with open(os.path.join(directory, "rules.conf"), "w") as fh:
        fh.write("russia-syria-aircraft = Russia AND Syria AND aircraft\npears = pears\n")
    with open(os.path.join(directory, "feedwatch.yaml"), "w") as fh:
        fh.write("state_dir: state\nrules: rules.conf\ndefaults:\n  interval: %s\n  respect_cache: false\n"
                 "limits:\n  host_spacing: %s\nfeeds:\n%s\nsinks:\n  - type: file\n    path: alerts.jsonl\n"
                 % (interval, spacing, "\n".join("  - url: " + u for u in urls)))


class AlertFile:
    """Follows the alert file: every line once, with the time it was first seen there."""

    def __init__(self, path):
        self.path = path
        self.offset = 0
        self.lines = []  # [(alert, when seen)]

    def read(self):
        try:
            with open(self.path, "rb") as fh:
                fh.seek(self.offset)
                data = fh.read()
        except FileNotFoundError:
            return
        complete = data[:data.rfind(b"\n") + 1]
        self.offset += len(complete)
        stamp = time.time()
        self.lines += [(json.loads(line), stamp) for line in complete.splitlines() if line.strip()]


def story(alert, port):
    """The path of the story an alert is about."""
    return alert["entry"]["url"].split(":%d" % port, 1)[1]


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else float("nan")


def main():
    args = benchlib.arguments(__doc__, runs=None, extra=[
        ("--feeds", dict(type=int, default=200, help="good feeds (the hostile ones come on top)")),
        ("--seconds", dict(type=float, default=40, help="how long the farm publishes")),
        ("--rate", dict(type=float, default=5, help="stories published a second")),
        ("--spacing", dict(default="100ms", help="limits.host_spacing")),
        ("--interval", dict(default="2s", help="defaults.interval")),
        ("--catch-up", dict(type=float, default=90, help="seconds to wait for the last alerts")),
        ("--seed", dict(type=int, default=1)),
        ("--binary", dict(default=benchlib.FEEDWATCH, help="the feedwatch binary to soak")),
    ])
    farm = Farm(args.feeds)
    server = Server(("127.0.0.1", 0), handler_for(farm))
    port = server.server_address[1]
    threading.Thread(target=server.serve_forever, daemon=True).start()
    directory = tempfile.mkdtemp(prefix="feedwatch-soak-")
    write_config(directory, port, args.feeds, args.spacing, args.interval)
    alert_file = AlertFile(os.path.join(directory, "alerts.jsonl"))
    log = open(os.path.join(directory, "daemon.log"), "w")
    daemon = subprocess.Popen([args.binary, "run", "--config", os.path.join(directory, "feedwatch.yaml")],
                              stdout=subprocess.DEVNULL, stderr=log)
    start = time.time()
    try:
        while len(farm.fetched) < args.feeds:
            if daemon.poll() is not None or time.time() - start > 300:
                raise SystemExit("the daemon fetched %d of %d feeds before it stopped or 300 s passed"
                                 % (len(farm.fetched), args.feeds))
            time.sleep(0.1)
        print("first cycle: every feed fetched after %.1f s" % (time.time() - start))
        rng = random.Random(args.seed)
        publish_end = time.time() + args.seconds
        next_story = time.time()
        while time.time() < publish_end:
            if time.time() >= next_story:
                farm.publish(rng)
                next_story += 1 / args.rate
            alert_file.read()
            time.sleep(0.02)
        expected = {rule: {p for p, (topic, _) in farm.published.items() if topic == on_topic}
                    for rule, on_topic in RULES.items()}
        deadline = time.time() + args.catch_up
        while time.time() < deadline:
            alert_file.read()
            if all(paths <= {story(a, port) for a, _ in alert_file.lines if a["rule"] == rule}
                   for rule, paths in expected.items()):
                break
            time.sleep(0.05)
        daemon.send_signal(signal.SIGTERM)
        try:
            status = daemon.wait(timeout=15)
        except subprocess.TimeoutExpired:
            status = "none: still running 15 s after SIGTERM"
    finally:
        if daemon.poll() is None:
            daemon.kill()
        server.shutdown()
        log.close()
    alert_file.read()
    alerted = {rule: {story(a, port) for a, _ in alert_file.lines if a["rule"] == rule} for rule in RULES}
    missing = sum(len(expected[rule] - alerted[rule]) for rule in RULES)
    false = sum(len(alerted[rule] - expected[rule]) for rule in RULES)
    # A story alerted twice for one rule is a duplicate whatever the two lines' ids say.
    duplicates = len(alert_file.lines) - sum(len(stories) for stories in alerted.values())
    latency = [stamp - farm.published[story(a, port)][1] for a, stamp in alert_file.lines
               if story(a, port) in expected[a["rule"]]]
    print("published %d stories (%d on topic) over %.0f s to %d feeds (+%d hostile), spacing %s, interval %s"
          % (len(farm.published), len(expected[WAR]), args.seconds, args.feeds, len(HOSTILE), args.spacing,
             args.interval))
    print("alerts: %s; missing %d, false %d, duplicate lines %d; daemon exit %s"
          % (", ".join("%s %d/%d" % (rule, len(alerted[rule] & expected[rule]), len(expected[rule])) for rule in RULES),
             missing, false, duplicates, status))
    print("publish -> alert latency over %d alerts: p50 %.1f s, p90 %.1f s, max %.1f s"
          % (len(latency), statistics.median(latency) if latency else float("nan"), percentile(latency, 0.9),
             max(latency) if latency else float("nan")))
    if missing or false or duplicates or status != 0:
        print("daemon log kept in %s" % directory)
        sys.exit(1)
    shutil.rmtree(directory, ignore_errors=True)


if __name__ == "__main__":
    main()
