# SPDX-License-Identifier: MIT
"""Python feedparser as a peer of `feedwatch parse`: parses FILE and prints the same JSON shape
(docs/feed-json.md), so that both sides do the same work, output included.

    .build-bench/venv/bin/python Benchmarks/feedparser_json.py FILE
"""
import calendar
import json
import sys
import time

import feedparser


def date(parsed):
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(calendar.timegm(parsed))) if parsed else None


def item(entry):
    detail = entry.get("author_detail") or {}
    content = entry.get("content") or []
    return {
        "title": entry.get("title"), "link": entry.get("link"), "id": entry.get("id"),
        "published": date(entry.get("published_parsed")), "updated": date(entry.get("updated_parsed")),
        "author": {"name": detail.get("name"), "email": detail.get("email")} if detail else None,
        "summary": entry.get("summary"), "content": content[0].get("value") if content else None,
        "categories": [t.get("term") for t in entry.get("tags") or []],
        "enclosures": [{"url": e.get("href"), "type": e.get("type"), "length": e.get("length")}
                       for e in entry.get("enclosures") or []],
    }


def main():
    parsed = feedparser.parse(sys.argv[1])
    feed = parsed.feed
    out = {"feed": {"title": feed.get("title"), "link": feed.get("link"), "language": feed.get("language"),
                    "updated": date(feed.get("updated_parsed"))},
           "items": [item(e) for e in parsed.entries]}
    json.dump(out, sys.stdout, ensure_ascii=False)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
