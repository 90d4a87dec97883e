# SPDX-License-Identifier: MIT
"""The benchmarks' inputs, made here from a seed: news articles, watch rules, large feeds, article pages.

Articles are real news text where the benchmark's virtual environment has the Lee corpus (314 ABC news
stories of 2001 that the PyPI package gensim ships as test data; `benchlib.news_corpus()` installs it
without its dependencies and only reads the text files), else sentences drawn from a Zipf-weighted
vocabulary. Past the corpus's size, more articles are made by splicing the sentences of two or three
stories, so that word frequencies stay those of news.

Rules are what a newsroom writes: mostly two to four words that occur together in some article, plus
either-or variants, exclusions, phrases taken from the text, prefixes, NEAR and field scopes, nested a
few levels. Each rule file is a prefix of the next larger one.

    python3 Benchmarks/workload.py --out-dir DIR [--articles 1000] [--rules 1000,10000] [--seed 1]
"""
import argparse
import collections
import html
import json
import os
import random
import re
import unicodedata

COMMON = set("""a about after all also an and are as at be been but by can could did do for from had has
have he her his i if in into is it its more no not of on one or our out said says she so than that the
their them then there they this to two up was we were what when which who will with would you year new
mr mrs ms people time told near""".split())

WORD = re.compile(r"[^\W_]+")
SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"'])")


def fold(word):
    """The rule language's folding (docs/rules.md section 2), for picking words."""
    decomposed = unicodedata.normalize("NFKD", word)
    return "".join(c for c in decomposed if unicodedata.category(c) != "Mn").lower().replace("ς", "σ")


# ---------------------------------------------------------------- articles

def corpus_stories(corpus_dir):
    """Stories of the Lee corpus as (title, body): the first sentence is the title."""
    stories = []
    for name in ("lee_background.cor", "lee.cor"):
        path = os.path.join(corpus_dir or "", name)
        if not corpus_dir or not os.path.exists(path):
            continue
        with open(path, encoding="utf-8", errors="replace") as fh:
            for line in fh:
                sentences = [s.strip() for s in SENTENCE_END.split(line.strip()) if s.strip()]
                if len(sentences) >= 2:
                    stories.append((" ".join(sentences[0].split()[:14]).rstrip("."), " ".join(sentences[1:])))
    return stories


SYLLABLES = ["ka", "ro", "mi", "sa", "te", "lu", "na", "vo", "ri", "de", "po", "shi", "an", "el", "or", "ut"]


def synthetic_stories(count, rng):
    """Sentences of Zipf-weighted made-up words, news-like in length, when no corpus is at hand."""
    vocabulary = sorted({"".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))) for _ in range(20000)})
    rng.shuffle(vocabulary)
    weights = [1.0 / (rank + 1) ** 1.05 for rank in range(len(vocabulary))]

    def sentence(k):
        return " ".join(rng.choices(vocabulary, weights=weights, k=k)).capitalize() + "."

    return [(sentence(rng.randint(5, 12)).rstrip("."), " ".join(sentence(rng.randint(8, 28)) for _ in range(rng.randint(4, 14))))
            for _ in range(count)]


def articles(count, seed=1, corpus_dir=None):
    """`count` articles {"id", "title", "body"}: corpus stories first, then splices of them."""
    rng = random.Random(seed)
    stories = corpus_stories(corpus_dir) or synthetic_stories(400, rng)
    out = []
    sentences = [SENTENCE_END.split(body) for _, body in stories]
    for index in range(count):
        if index < len(stories):
            title, body = stories[index]
        else:
            base = rng.randrange(len(stories))
            parts = list(sentences[base])
            for other in rng.sample(range(len(stories)), rng.randint(1, 2)):
                half = max(1, len(sentences[other]) // 2)
                start = rng.randrange(max(1, len(sentences[other]) - half + 1))
                at = rng.randint(1, len(parts))
                parts[at:at] = sentences[other][start:start + half]
            title, body = stories[base][0], " ".join(parts)
        out.append({"id": "a%d" % index, "title": title, "body": body})
    return out


# ---------------------------------------------------------------- rules

class Vocabulary:
    """What the rules are made of: per article, its mid-frequency words; word pairs that occur side by
    side; the surface form a user would type for each folded word."""

    def __init__(self, arts):
        df = collections.Counter()
        surface = collections.defaultdict(collections.Counter)
        self.tokens = []
        for art in arts:
            tokens = []
            for raw in WORD.findall(art["title"] + " \n " + art["body"]):
                word = fold(raw)
                surface[word][raw] += 1
                tokens.append(word)
            self.tokens.append(tokens)
            df.update(set(tokens))
        n = len(arts)
        low, high = max(2, n // 250), max(3, n // 6)
        usable = {w for w, c in df.items() if low <= c <= high and len(w) >= 3 and w.isalpha() and w not in COMMON}
        self.by_article = [sorted({w for w in tokens if w in usable}) for tokens in self.tokens]
        self.seeds = [i for i, words in enumerate(self.by_article) if len(words) >= 6]
        self.words = sorted(usable)
        self.surface = {w: c.most_common(1)[0][0] for w, c in surface.items()}

    def typed(self, word):
        return self.surface.get(word, word)


class RuleMaker:
    KINDS = [("and", 44), ("either", 12), ("exclude", 10), ("phrase", 10), ("prefix", 8), ("near", 7),
             ("field", 5), ("nested", 4)]

    def __init__(self, vocabulary, rng):
        self.v, self.rng = vocabulary, rng

    def words(self, k):
        """k distinct words, from one article 70% of the time (so that the rule can match)."""
        if self.rng.random() < 0.7:
            pool = self.v.by_article[self.rng.choice(self.v.seeds)]
        else:
            pool = self.v.words
        return [self.v.typed(w) for w in self.rng.sample(pool, min(k, len(pool)))]

    def phrase(self):
        tokens = self.v.tokens[self.rng.choice(self.v.seeds)]
        for _ in range(20):
            start = self.rng.randrange(max(1, len(tokens) - 2))
            pair = tokens[start:start + self.rng.randint(2, 3)]
            if len(pair) >= 2 and all(len(w) > 2 and w.isalpha() for w in pair):
                return '"%s"' % " ".join(self.v.typed(w) for w in pair)
        return self.words(1)[0]

    def prefix(self):
        word = fold(self.words(1)[0])
        return word[:max(3, min(len(word) - 1, self.rng.randint(4, 7)))] + "*"

    def rule(self):
        rng = self.rng
        kind = rng.choices([k for k, _ in self.KINDS], weights=[w for _, w in self.KINDS])[0]
        if kind == "and":
            return " AND ".join(self.words(rng.randint(2, 4)))
        if kind == "either":
            a, b, c = self.words(3)
            return "(%s OR %s) AND %s" % (a, b, c)
        if kind == "exclude":
            a, b, c = self.words(3)
            return "%s %s -%s" % (a, b, c)
        if kind == "phrase":
            return "%s AND %s" % (self.phrase(), self.words(1)[0])
        if kind == "prefix":
            return "%s AND %s" % (self.prefix(), self.words(1)[0])
        if kind == "near":
            a, b = self.words(2)
            return "%s NEAR/%d %s" % (a, rng.choice([2, 3, 5, 8]), b)
        if kind == "field":
            a, b = self.words(2)
            return "title:%s AND %s" % (a, b)
        a, b, c, d = self.words(4)
        return "(%s OR (%s AND %s)) AND NOT title:(%s OR %s)" % (a, b, c, d, self.prefix())


def rules(arts, count, seed=1):
    """`count` lines `name = expression`; with one seed, a smaller count gives a prefix of a larger."""
    maker = RuleMaker(Vocabulary(arts), random.Random(seed * 7919))
    return ["r%06d = %s" % (index, maker.rule()) for index in range(count)]


# ---------------------------------------------------------------- feeds

FEED_WORDS = ("Russia Syria aircraft ministry defence talks border minister election market oil sanctions Europe "
              "council vote parliament ceasefire report agency officials city spokesman statement forces government "
              "economy inflation energy summit press harbour storm court").split()
CATEGORIES = ["World", "Politics", "Business", "Europe", "Middle East", "Defence", "Energy", "Markets"]


def _sentence(rng, n):
    return " ".join(rng.choice(FEED_WORDS) for _ in range(n)).capitalize() + "."


def _item_html(rng, index):
    paragraphs = ["<p>%s</p>" % " ".join(_sentence(rng, rng.randint(8, 16)) for _ in range(3)) for _ in range(6)]
    paragraphs[1] = paragraphs[1][:-4] + ' <a href="/related/%d">Related &amp; more</a></p>' % index
    paragraphs.insert(2, '<img src="https://img.example.com/%d.jpg" alt="Photo &quot;%d&quot;" width="640"/>' % (index, index))
    return "\n".join(paragraphs)


def big_feed(fmt, items, seed=1):
    """An RSS 2.0 or Atom 1.0 feed of `items` news items (~2.5 KB of HTML each, categories, author,
    enclosure, dates), byte-identical for one seed."""
    rng = random.Random(seed)
    out = []
    if fmt == "rss":
        out.append('<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/">'
                   "<channel><title>Benchmark News</title><link>https://news.example.com/</link>"
                   "<description>Generated</description><language>en-gb</language>\n")
        for i in range(items):
            day = 1 + i % 28
            out.append("<item><title>%s</title><link>https://news.example.com/story/%d</link>"
                       '<guid isPermaLink="false">story-%d</guid><pubDate>Tue, %02d Nov 2026 %02d:%02d:00 +0000</pubDate>'
                       "<dc:creator>Reporter %d</dc:creator><category>%s</category><category>%s</category>"
                       '<enclosure url="https://media.example.com/%d.mp3" type="audio/mpeg" length="%d"/>'
                       "<description>%s</description></item>\n"
                       % (html.escape(_sentence(rng, 8)), i, i, day, i % 24, i % 60, i % 50, rng.choice(CATEGORIES),
                          rng.choice(CATEGORIES), i, 1000 + i, html.escape(_item_html(rng, i))))
        out.append("</channel></rss>\n")
    else:
        out.append('<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en">'
                   "<title>Benchmark News</title><id>urn:bench</id><updated>2026-11-30T00:00:00Z</updated>"
                   '<link href="https://news.example.com/"/>\n')
        for i in range(items):
            day = 1 + i % 28
            out.append("<entry><title>%s</title><id>urn:story:%d</id>"
                       '<link rel="alternate" href="https://news.example.com/story/%d"/>'
                       '<link rel="enclosure" href="https://media.example.com/%d.mp3" type="audio/mpeg" length="%d"/>'
                       "<published>2026-11-%02dT%02d:%02d:00Z</published><updated>2026-11-%02dT%02d:%02d:00+01:00</updated>"
                       "<author><name>Reporter %d</name></author><category term=\"%s\"/>"
                       '<content type="html">%s</content></entry>\n'
                       % (html.escape(_sentence(rng, 8)), i, i, i, 1000 + i, day, i % 24, i % 60, day, i % 24, i % 60,
                          i % 50, rng.choice(CATEGORIES), html.escape(_item_html(rng, i))))
        out.append("</feed>\n")
    return "".join(out)


# ---------------------------------------------------------------- article pages

def page(art, rng):
    """An article page as news sites build them: navigation, a story among share buttons and a
    related-links box, a sidebar, a comment form and a footer."""
    nav = "".join('<li><a href="/%s">%s</a></li>' % (c.lower().replace(" ", "-"), c) for c in CATEGORIES)
    sentences = SENTENCE_END.split(art["body"])
    paragraphs, step = [], max(1, len(sentences) // rng.randint(3, 8))
    for start in range(0, len(sentences), step):
        paragraphs.append("<p>%s</p>" % html.escape(" ".join(sentences[start:start + step])))
    related = "".join('<li><a href="/story/%d">%s</a></li>' % (rng.randrange(10**6), html.escape(_sentence(rng, 7)))
                      for _ in range(5))
    if len(paragraphs) > 2:
        paragraphs.insert(2, '<aside class="related"><h3>Read more</h3><ul>%s</ul></aside>' % related)
    sidebar = "".join('<div class="teaser"><a href="/story/%d">%s</a></div>' % (rng.randrange(10**6), html.escape(_sentence(rng, 6)))
                      for _ in range(8))
    return ("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>%s | Example News</title>"
            "<script>window.dataLayer=[];</script><style>.x{color:red}</style></head><body>"
            "<header><div class=\"logo\">Example News</div><nav><ul>%s</ul></nav></header>"
            "<div class=\"cookie-banner\">We use cookies. <button>Accept</button></div>"
            "<main><article><h1>%s</h1><div class=\"byline\">By Staff Reporter, %d November 2026</div>"
            "<div class=\"share\"><a href=\"#\">Share</a><a href=\"#\">Tweet</a><a href=\"#\">Email</a></div>"
            "<div class=\"article-body\">%s</div></article>"
            "<section id=\"comments\"><h3>Leave a Reply</h3><form><textarea></textarea><input type=\"submit\" value=\"Post Comment\"></form></section>"
            "</main><aside class=\"sidebar\"><h3>Most read</h3>%s</aside>"
            "<footer><p>&copy; 2026 Example News. All rights reserved.</p><ul><li><a href=\"/privacy\">Privacy</a></li></ul></footer>"
            "</body></html>\n") % (html.escape(art["title"]), nav, html.escape(art["title"]), 1 + rng.randrange(28),
                                   "\n".join(paragraphs), sidebar)


def pages(count, seed=1, corpus_dir=None):
    rng = random.Random(seed + 17)
    return [page(art, rng) for art in articles(count, seed, corpus_dir)]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out-dir", required=True)
    ap.add_argument("--articles", type=int, default=1000)
    ap.add_argument("--rules", default="1000,10000")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--corpus-dir", help="the Lee corpus's folder (default: none, synthetic text)")
    args = ap.parse_args()
    os.makedirs(args.out_dir, exist_ok=True)
    arts = articles(args.articles, args.seed, args.corpus_dir)
    with open(os.path.join(args.out_dir, "articles.jsonl"), "w", encoding="utf-8") as fh:
        fh.writelines(json.dumps(a, ensure_ascii=False) + "\n" for a in arts)
    counts = sorted(int(c) for c in args.rules.split(","))
    lines = rules(arts, counts[-1], args.seed)
    for count in counts:
        with open(os.path.join(args.out_dir, "rules_%d.conf" % count), "w", encoding="utf-8") as fh:
            fh.writelines(line + "\n" for line in lines[:count])


if __name__ == "__main__":
    main()
