#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Several `feedwatch run` instances on one PostgreSQL database: polls and alerts per second with 1, 2
and 3 instances on this machine, and what the database does per 1,000 polls.

    python3 Benchmarks/cluster.py [--feeds 2000] [--hosts 8] [--seconds 60] [--instances 1,2,3] [--words 60] [--copies 1]

A local nginx (localserver.py) serves the feeds on `--hosts` loopback addresses and logs each
request; a publisher rewrites every feed with a new story (matching the one rule) every `--every`
seconds, staggered, so that polls find new entries and raise alerts all the time. A story is
`--words` made-up words (60: long enough to be placed in a story; the archive keeps it), the same in
each group of `--copies` feeds (1: every story its own; 3: each begun once and joined twice). A throwaway
PostgreSQL server (Debian's `postgresql`, started here with pg_stat_statements, fsync on) holds a
fresh database per run. Each instance: `interval: 1s` (every feed is due all the time: the
throughput is what the instances can do), `limits: {max_fetches: 50, per_host: 4, host_spacing:
0ms}`, `full_text: false`, its own state directory and alert file, one sink name shared.
After `--warmup` seconds (first fetches, leases settled), over `--seconds`:
- polls/s: requests in nginx's log; alerts/s: alert lines written, all instances together;
- CPU of the instances per 1,000 polls (utime + stime from /proc);
- the database per 1,000 polls: statements (pg_stat_statements calls), rows they touched or
  returned, transactions, WAL bytes (pg_current_wal_lsn) and of them the full-page images (pages
  written whole at their first change after a checkpoint, pg_stat_wal). With every feed polled once a
  minute, 1,000 polls are the load of 1,000 feeds for a minute.
"""
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import benchlib  # noqa: E402
from localserver import LocalFeeds  # noqa: E402

NOBODY = 65534
# Made-up words for the stories' text: 2,000 of them, so that distinct stories share few shingles.
VOCABULARY = ["w%x" % (n * 2654435761 % 1_000_003) for n in range(2000)]


def postgres_bin():
    root = "/usr/lib/postgresql"
    if not os.path.isdir(root):
        subprocess.run(["apt-get", "install", "-y", "postgresql"], check=True, stdout=subprocess.DEVNULL)
    version = max(int(v) for v in os.listdir(root) if v.isdigit())
    return os.path.join(root, str(version), "bin")


class Postgres:
    """A throwaway server in a temporary directory, as `nobody` when run as root (initdb refuses root)."""

    def __init__(self):
        self.bin = postgres_bin()
        self.dir = tempfile.mkdtemp(prefix="feedwatch-pg-")
        if os.getuid() == 0:
            os.chown(self.dir, NOBODY, NOBODY)
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.run("initdb", "-D", self.dir + "/data", "-U", "feedwatch", "--auth=trust", "-E", "UTF8", "--no-instructions")
        self.run("pg_ctl", "-D", self.dir + "/data", "-l", self.dir + "/server.log", "-w", "-o",
                 "-c listen_addresses=127.0.0.1 -p %d -k %s -c shared_preload_libraries=pg_stat_statements "
                 "-c max_connections=200" % (self.port, self.dir), "start")
        self.sql("postgres", "CREATE EXTENSION IF NOT EXISTS pg_stat_statements")

    def run(self, program, *args):
        argv = [os.path.join(self.bin, program)] + list(args)
        if os.getuid() == 0:
            argv = ["setpriv", "--reuid=%d" % NOBODY, "--regid=%d" % NOBODY, "--clear-groups"] + argv
        subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, cwd=self.dir)

    def sql(self, database, statement):
        out = subprocess.run(["psql", "-h", "127.0.0.1", "-p", str(self.port), "-U", "feedwatch", "-d", database,
                              "-Atq", "-v", "ON_ERROR_STOP=1", "-c", statement], check=True, capture_output=True, text=True)
        return out.stdout.strip()

    def url(self, database):
        return "postgresql://feedwatch@127.0.0.1:%d/%s?sslmode=disable" % (self.port, database)

    def close(self):
        self.run("pg_ctl", "-D", self.dir + "/data", "-m", "fast", "-w", "stop")
        shutil.rmtree(self.dir, ignore_errors=True)


class Publisher(threading.Thread):
    """Rewrites feed i with its newest 10 stories, a new one every `every` seconds (feeds staggered)."""

    def __init__(self, root, feeds, every, words, copies):
        super().__init__(daemon=True)
        self.root, self.feeds, self.every, self.words, self.copies = root, feeds, every, words, copies
        self.start_time = time.time()
        self.stopped = threading.Event()

    def write(self, i, count):
        items = "".join(
            "<item><title>Earthquake report %d-%d</title><link>http://news.example/%d/%d</link><guid>urn:f:%d:%d</guid>"
            "<description>An earthquake was felt. %s</description></item>" % (i, k, i, k, i, k, self.text(i, k))
            for k in range(count - 1, max(count - 11, -1), -1))
        path = os.path.join(self.root, "www", "feeds", "%d.xml" % i)
        with open(path + ".tmp", "w") as fh:
            fh.write('<?xml version="1.0"?><rss version="2.0"><channel><title>Feed %d</title>%s</channel></rss>' % (i, items))
        os.rename(path + ".tmp", path)

    def text(self, i, k):
        """Story k of feed i: `words` words, the same in each group of `copies` feeds (a wire story)."""
        rng = random.Random((i // self.copies) * 1_000_003 + k)
        return " ".join(VOCABULARY[rng.randrange(len(VOCABULARY))] for _ in range(self.words))

    def run(self):
        written = [0] * self.feeds
        while not self.stopped.is_set():
            elapsed = time.time() - self.start_time
            for i in range(self.feeds):
                count = 1 + int((elapsed + i * self.every / self.feeds) / self.every)
                if count != written[i]:
                    self.write(i, count)
                    written[i] = count
            time.sleep(0.2)


def cpu_seconds(pid):
    with open("/proc/%d/stat" % pid) as fh:
        fields = fh.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def alert_lines(dirs):
    total = 0
    for d in dirs:
        try:
            with open(os.path.join(d, "alerts.jsonl"), "rb") as fh:
                total += fh.read().count(b"\n")
        except FileNotFoundError:
            pass
    return total


def database_counters(pg, database):
    row = pg.sql(database, "SELECT (SELECT COALESCE(sum(calls), 0) FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid "
                           "WHERE d.datname = current_database()), (SELECT COALESCE(sum(rows), 0) FROM pg_stat_statements s "
                           "JOIN pg_database d ON d.oid = s.dbid WHERE d.datname = current_database()), "
                           "(SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()), "
                           "pg_current_wal_lsn() - '0/0'::pg_lsn, (SELECT wal_fpi FROM pg_stat_wal)")
    return [float(v) for v in row.split("|")]


def measure(pg, server, urls, count, args, work):
    database = "cluster%d" % count
    pg.sql("postgres", "CREATE DATABASE %s" % database)
    pg.sql(database, "CREATE EXTENSION pg_stat_statements")
    with open(os.path.join(work, "rules.conf"), "w") as fh:
        fh.write("quake = earthquake\n")
    dirs, processes = [], []
    for n in range(count):
        d = os.path.join(work, "%d-%d" % (count, n))
        os.makedirs(d)
        with open(os.path.join(d, "feedwatch.yaml"), "w") as fh:
            fh.write("state_dir: state\nstore: %s\nrules: %s\n" % (pg.url(database), os.path.join(work, "rules.conf")))
            fh.write("defaults:\n  interval: 1s\n  full_text: false\n")
            fh.write("limits:\n  max_fetches: 50\n  per_host: 4\n  host_spacing: 0ms\nfeeds:\n")
            fh.writelines("  - url: %s\n" % u for u in urls)
            fh.write("sinks:\n  - type: file\n    name: alerts\n    path: alerts.jsonl\n")
        dirs.append(d)
        processes.append(subprocess.Popen([benchlib.FEEDWATCH, "run", "--log-level", "warning", "--config", "feedwatch.yaml"],
                                          cwd=d, stdout=subprocess.DEVNULL, stderr=open(os.path.join(d, "log"), "w")))
    try:
        time.sleep(args.warmup)
        server.statuses()
        pg.sql(database, "SELECT pg_stat_statements_reset()")
        before = (database_counters(pg, database), alert_lines(dirs), sum(cpu_seconds(p.pid) for p in processes), time.time())
        time.sleep(args.seconds)
        polls = len(server.statuses())
        after = (database_counters(pg, database), alert_lines(dirs), sum(cpu_seconds(p.pid) for p in processes), time.time())
    finally:
        for p in processes:
            p.send_signal(signal.SIGTERM)
        for p in processes:
            p.wait(timeout=30)
    seconds = after[3] - before[3]
    per = 1000.0 / max(polls, 1)
    db = [a - b for a, b in zip(after[0], before[0])]
    return [str(count), "%.0f" % (polls / seconds), "%.1f" % ((after[1] - before[1]) / seconds),
            "%.2f" % ((after[2] - before[2]) * per), "%.0f" % (db[0] * per), "%.0f" % (db[1] * per),
            "%.0f" % (db[2] * per), "%.0f" % (db[3] * per / 1024), "%.0f" % (db[4] * per)]


def main():
    args = benchlib.arguments(__doc__, runs=None, extra=[("--feeds", {"type": int, "default": 2000}),
                                                         ("--hosts", {"type": int, "default": 8}),
                                                         ("--seconds", {"type": int, "default": 60}),
                                                         ("--warmup", {"type": int, "default": 20}),
                                                         ("--every", {"type": float, "default": 20.0}),
                                                         ("--words", {"type": int, "default": 60}),
                                                         ("--copies", {"type": int, "default": 1}),
                                                         ("--instances", {"default": "1,2,3"})])
    work = tempfile.mkdtemp(prefix="feedwatch-cluster-bench-")
    pg = Postgres()
    server = LocalFeeds(args.feeds, hosts=args.hosts, access_log=True)
    publisher = Publisher(server.root, args.feeds, args.every, args.words, args.copies)
    publisher.start()
    rows = []
    try:
        for count in [int(c) for c in args.instances.split(",")]:
            rows.append(measure(pg, server, server.urls, count, args, work))
    finally:
        publisher.stopped.set()
        server.close()
        pg.close()
        shutil.rmtree(work, ignore_errors=True)
    print("%d feeds on %d loopback hosts, a new story of %d words per feed every %.0f s, each in %d feed(s);"
          " %d s measured after %d s; %d cores"
          % (args.feeds, args.hosts, args.words, args.every, args.copies, args.seconds, args.warmup, os.cpu_count()))
    benchlib.table(rows, ["instances", "polls/s", "alerts/s", "cpu s/1k polls", "statements/1k polls",
                          "rows/1k polls", "commits/1k polls", "WAL KB/1k polls", "page images/1k polls"])


if __name__ == "__main__":
    main()
