# SPDX-License-Identifier: MIT
"""Shared helpers for the Feedwatch benchmarks: run whole processes, measure wall/CPU/peak RSS.

Only public tools: Python's standard library and GNU time (`/usr/bin/time`, Debian package `time`).
Timed runs start the command directly (wall from the clock, CPU from os.wait4); peak RSS comes from
separate runs under GNU time, because os.wait4 would count the memory of the Python parent in a child
started with vfork. Timing under GNU time too skewed the comparison: in 41 interleaved rounds of the
1,000-feed cold cycle (2026-12-03) the wrapper added 15 ms to Feedwatch's median wall and 3 ms to
curl's (1.14x -> 1.25x); earlier runs showed 0.03-0.10 of ratio, the cause unknown.
"""
import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FEEDWATCH = os.path.join(ROOT, ".build", "release", "feedwatch")
# The peers (feedparser, trafilatura, …) live in a virtual environment of the benchmarks' own, so that
# running a benchmark changes nothing in the system's Python; .gitignore keeps it out of the repository.
VENV = os.path.join(ROOT, ".build-bench", "venv")
VENV_PYTHON = os.path.join(VENV, "bin", "python")


def arguments(doc, runs=5, extra=()):
    """Parses the options every benchmark takes (--no-build, and --runs unless `runs` is None) plus
    `extra` ones, given as (flag, keyword arguments) pairs; builds the release binary unless --no-build."""
    ap = argparse.ArgumentParser(description=doc, formatter_class=argparse.RawDescriptionHelpFormatter)
    if runs is not None:
        ap.add_argument("--runs", type=int, default=runs, help="counted runs per command (median reported)")
    ap.add_argument("--no-build", action="store_true", help="use the release binary as it is")
    for flag, options in extra:
        ap.add_argument(flag, **options)
    args = ap.parse_args()
    if not args.no_build:
        build_release()
    return args


def build_release():
    """Builds the release binary (static Swift runtime, as installed) unless it is up to date."""
    print("building release binary ...", file=sys.stderr)
    subprocess.run(["swift", "build", "-c", "release", "--static-swift-stdlib"], cwd=ROOT, check=True,
                   stdout=subprocess.DEVNULL)


def peer_python(*packages, no_deps=False):
    """The benchmarks' virtual environment's Python, with `packages` (pip names) installed in it;
    creates the environment the first time. Returns the interpreter's path."""
    if not os.path.exists(VENV_PYTHON):
        print("creating %s ..." % os.path.relpath(VENV, ROOT), file=sys.stderr)
        subprocess.run([sys.executable, "-m", "venv", VENV], check=True)
    listed = subprocess.run([VENV_PYTHON, "-m", "pip", "list", "--format=freeze"], check=True,
                            capture_output=True, text=True).stdout.lower()
    have = {line.split("==")[0].replace("_", "-") for line in listed.splitlines()}
    missing = [p for p in packages if p.lower().replace("_", "-") not in have]
    if missing:
        print("installing %s into %s ..." % (", ".join(missing), os.path.relpath(VENV, ROOT)), file=sys.stderr)
        subprocess.run([VENV_PYTHON, "-m", "pip", "install", "-q"] + (["--no-deps"] if no_deps else []) + missing,
                       check=True)
    return VENV_PYTHON


def news_corpus():
    """The folder of the Lee news corpus (gensim's test data, installed without gensim's dependencies
    into the benchmarks' environment), or None when it cannot be had: the workload then uses
    synthetic text."""
    try:
        python = peer_python("gensim", no_deps=True)
    except subprocess.CalledProcessError:
        return None
    purelib = subprocess.run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['platlib'])"],
                             capture_output=True, text=True, check=True).stdout.strip()
    folder = os.path.join(purelib, "gensim", "test", "test_data")
    return folder if os.path.exists(os.path.join(folder, "lee.cor")) else None


GNU_TIME = "/usr/bin/time"


def ensure_gnu_time():
    if not os.path.exists(GNU_TIME):
        subprocess.run(["apt-get", "install", "-y", "time"], check=True, stdout=subprocess.DEVNULL)


def run_once(argv, stdout=subprocess.DEVNULL, env=None, stdin=None, stderr=subprocess.DEVNULL):
    """Runs argv to completion, started directly; returns (wall s, cpu s, exit status)."""
    start = time.perf_counter()
    proc = subprocess.Popen(list(argv), stdout=stdout, stderr=stderr, env=env, stdin=stdin)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    return wall, usage.ru_utime + usage.ru_stime, os.waitstatus_to_exitcode(status)


def peak_rss(argv, stdout=subprocess.DEVNULL, env=None, stdin=None, stderr=subprocess.DEVNULL):
    """Runs argv to completion under GNU time; returns (peak RSS MB, exit status)."""
    ensure_gnu_time()
    with tempfile.NamedTemporaryFile("r", suffix=".time") as report:
        proc = subprocess.Popen([GNU_TIME, "-q", "-f", "%M %x", "-o", report.name] + list(argv),
                                stdout=stdout, stderr=stderr, env=env, stdin=stdin)
        _, status = os.waitpid(proc.pid, 0)
        rss_kb, code = report.read().split()[-2:]
    return int(rss_kb) / 1024.0, int(code) if os.waitstatus_to_exitcode(status) == 0 else 1


def require_success(argv, status):
    if status != 0:
        shown = " ".join(argv[:3]) + (" … (%d arguments)" % len(argv) if len(argv) > 3 else "")
        raise SystemExit("%s exited with %s" % (shown, status))


def measure(argv, runs=5, warmup=1, **kwargs):
    """Median wall and median CPU over `runs` timed runs after `warmup` runs, and the largest peak RSS
    of up to three more runs."""
    for _ in range(warmup):
        run_once(argv, **kwargs)
    results = [run_once(argv, **kwargs) for _ in range(runs)]
    for result in results:
        require_success(argv, result[2])
    memory = [peak_rss(argv, **kwargs) for _ in range(min(runs, 3))]
    for rss, status in memory:
        require_success(argv, status)
    return (statistics.median(r[0] for r in results), statistics.median(r[1] for r in results),
            max(rss for rss, _ in memory))


def measure_rounds(commands, reference, runs=5, warmup=1, setup=None, **kwargs):
    """Runs the commands in turn, round by round (A B C A B C …), so that a machine whose speed drifts
    slows every command alike. `commands` maps a name to argv (dict order is the order in a round);
    `setup` maps a name to a function run, untimed, before each of that command's runs. Up to three
    more rounds under GNU time give the peak RSS.
    Returns {name: (median wall, median CPU, max peak RSS MB, median wall ratio, median CPU ratio)},
    the ratios taken round by round against `reference`'s run in the same round."""
    setup = setup or {}
    for _ in range(warmup):
        for name, argv in commands.items():
            setup.get(name, lambda: None)()
            run_once(argv, **kwargs)
    results = {name: [] for name in commands}
    for _ in range(runs):
        for name, argv in commands.items():
            setup.get(name, lambda: None)()
            result = run_once(argv, **kwargs)
            require_success(argv, result[2])
            results[name].append(result)
    memory = {name: 0.0 for name in commands}
    for _ in range(min(runs, 3)):
        for name, argv in commands.items():
            setup.get(name, lambda: None)()
            rss, status = peak_rss(argv, **kwargs)
            require_success(argv, status)
            memory[name] = max(memory[name], rss)
    base = results[reference]
    summary = {}
    for name, rs in results.items():
        summary[name] = (statistics.median(r[0] for r in rs), statistics.median(r[1] for r in rs), memory[name],
                         statistics.median(r[0] / b[0] for r, b in zip(rs, base)),
                         statistics.median(r[1] / max(b[1], 1e-6) for r, b in zip(rs, base)))
    return summary


def table(rows, header):
    widths = [max(len(str(x)) for x in col) for col in zip(header, *rows)]
    line = "  ".join("%-*s" % (w, h) for w, h in zip(widths, header))
    print(line)
    print("-" * len(line))
    for row in rows:
        print("  ".join("%-*s" % (w, c) for w, c in zip(widths, row)))
