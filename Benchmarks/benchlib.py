# SPDX-License-Identifier: MIT
"""Shared helpers for the Feedwatch benchmarks: run whole processes, measure wall/CPU/peak RSS.

Only public tools: Python's standard library (os.wait4 reports each child's CPU time and peak RSS).
"""
import os
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHARED = os.path.join(os.path.dirname(ROOT), "shared")
FEEDWATCH = os.path.join(ROOT, ".build", "release", "feedwatch")


def build_release():
    """Builds the release binary (static Swift runtime, as installed) unless it is up to date."""
    print("building release binary ...", file=sys.stderr)
    subprocess.run(["swift", "build", "-c", "release", "--static-swift-stdlib"], cwd=ROOT, check=True,
                   stdout=subprocess.DEVNULL)


def ensure_pip(package, module=None):
    """Imports `module` (default: package), installing `package` with pip first if needed."""
    try:
        __import__(module or package)
    except ImportError:
        subprocess.run([sys.executable, "-m", "pip", "install", "-q", package], check=True)


def run_once(argv, stdout=subprocess.DEVNULL, env=None, stdin=None):
    """Runs argv to completion; returns (wall s, cpu s, peak RSS MB, exit status)."""
    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=stdout, stderr=subprocess.DEVNULL, env=env, stdin=stdin)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024.0, os.waitstatus_to_exitcode(status)


def measure(argv, runs=5, warmup=1, **kwargs):
    """Median wall, median CPU and max peak RSS over `runs` runs after `warmup` runs."""
    for _ in range(warmup):
        run_once(argv, **kwargs)
    results = [run_once(argv, **kwargs) for _ in range(runs)]
    failed = [r[3] for r in results if r[3] != 0]
    if failed:
        raise SystemExit("%s exited with %s" % (" ".join(argv), failed[0]))
    return (statistics.median(r[0] for r in results), statistics.median(r[1] for r in results),
            max(r[2] for r in results))


def table(rows, header):
    widths = [max(len(str(x)) for x in col) for col in zip(header, *rows)]
    line = "  ".join("%-*s" % (w, h) for w, h in zip(widths, header))
    print(line)
    print("-" * len(line))
    for row in rows:
        print("  ".join("%-*s" % (w, c) for w, c in zip(widths, row)))
