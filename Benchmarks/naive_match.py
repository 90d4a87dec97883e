# SPDX-License-Identifier: MIT
"""The watch-rule language evaluated the obvious way, in Python: the benchmarks' baselines.

Every rule is evaluated on every article straight from the definitions in docs/rules.md (title and body
fields). `rule_match.py` times it as the naive baseline, builds a term prefilter on top of it, and
compares Feedwatch's output with its output.

    python3 Benchmarks/naive_match.py --rules RULES --articles ARTICLES.jsonl [--limit N]
"""
import argparse
import json
import re
import sys
import time
import unicodedata

FIELDS = ("title", "body")
_WORD_CATEGORIES = {"Lu", "Ll", "Lt", "Lm", "Lo", "Nd"}


def words(text):
    """Folded words of `text`: NFKD, marks dropped, lower-cased, runs of letters and digits."""
    folded = "".join(c for c in unicodedata.normalize("NFKD", text) if unicodedata.category(c) != "Mn")
    folded = "".join(c.lower() for c in folded).replace("ς", "σ")
    out, current = [], []
    for c in folded:
        if unicodedata.category(c) in _WORD_CATEGORIES:
            current.append(c)
        elif current:
            out.append("".join(current))
            current = []
    if current:
        out.append("".join(current))
    return out


class Article:
    """An article's words per field, and where each word stands (so a leaf looks its word up)."""

    def __init__(self, obj):
        self.id = obj["id"]
        self.fields = {f: words(obj.get(f, "")) for f in FIELDS}
        self.positions = {}
        for field, ws in self.fields.items():
            where = self.positions[field] = {}
            for i, w in enumerate(ws):
                where.setdefault(w, []).append(i)
        self.all = set(self.fields["title"]) | set(self.fields["body"])


# ---------------------------------------------------------------- parsing

_TOKEN = re.compile(r'\s*(?:(")([^"]*)"|(\()|(\))|([^\s()"*:]+):|([^\s()"*:]+)\*|([^\s()"*:]+))')


class RuleError(Exception):
    pass


def tokens(text):
    out, pos = [], 0
    while pos < len(text):
        if text[pos:].strip() == "":
            break
        while text[pos].isspace():
            pos += 1
        if text[pos] == "-":  # a leading '-' negates what follows
            out.append(("NOT", None))
            pos += 1
            continue
        m = _TOKEN.match(text, pos)
        if not m:
            raise RuleError("cannot read %r" % text[pos:])
        pos = m.end()
        if m.group(1):
            out.append(("phrase", m.group(2)))
        elif m.group(3):
            out.append(("(", None))
        elif m.group(4):
            out.append((")", None))
        elif m.group(5):
            out.append(("field", m.group(5)))
        elif m.group(6):
            out.append(("prefix", m.group(6)))
        else:
            bare = m.group(7)
            near = re.fullmatch(r"NEAR(?:/(\d+))?", bare)
            if bare in ("AND", "OR", "NOT"):
                out.append((bare, None))
            elif near:
                out.append(("NEAR", int(near.group(1) or 5)))
            else:
                out.append(("term", bare))
    return out


class Parser:
    """Recursive descent over the grammar of docs/rules.md section 5; leaves carry their fields."""

    def __init__(self, text):
        self.toks, self.i = tokens(text), 0

    def peek(self):
        return self.toks[self.i][0] if self.i < len(self.toks) else None

    def take(self):
        self.i += 1
        return self.toks[self.i - 1]

    def parse(self):
        node = self.or_(FIELDS)
        if self.peek() is not None:
            raise RuleError("unexpected %s" % (self.toks[self.i],))
        return node

    def or_(self, scope):
        kids = [self.and_(scope)]
        while self.peek() == "OR":
            self.take()
            kids.append(self.and_(scope))
        return kids[0] if len(kids) == 1 else ("or", kids)

    def and_(self, scope):
        kids = [self.unary(scope)]
        while self.peek() not in (None, "OR", ")", "NEAR"):
            if self.peek() == "AND":
                self.take()
            kids.append(self.unary(scope))
        return kids[0] if len(kids) == 1 else ("and", kids)

    def unary(self, scope):
        if self.peek() == "NOT":
            self.take()
            return ("not", self.unary(scope))
        left = self.primary(scope)
        if self.peek() == "NEAR":
            n = self.take()[1]
            return ("near", n, left, self.primary(scope))
        return left

    def primary(self, scope):
        kind, value = self.take()
        if kind == "field":
            return self.primary((value,) if value in FIELDS else ())
        if kind == "(":
            node = self.or_(scope)
            if self.take()[0] != ")":
                raise RuleError("expected )")
            return node
        if kind in ("term", "phrase"):
            ws = words(value)
            if not ws:
                raise RuleError("no word in %r" % value)
            return ("seq", ws, scope)
        if kind == "prefix":
            return ("prefix", words(value)[0], scope)
        raise RuleError("unexpected %s" % kind)


# ---------------------------------------------------------------- evaluation

def spans(node, art, field):
    """Occurrence spans [start, end) of a leaf or an OR of leaves in one field."""
    kind = node[0]
    if kind == "or":
        return [s for kid in node[1] for s in spans(kid, art, field)]
    where, field_words = art.positions[field], art.fields[field]
    if kind == "seq":
        ws, k = node[1], len(node[1])
        return [(i, i + k) for i in where.get(ws[0], ()) if field_words[i:i + k] == ws]
    return sorted((i, i + 1) for w, at in where.items() if w.startswith(node[1]) for i in at)


def leaf_fields(node):
    if node[0] == "or":
        return set(f for kid in node[1] for f in leaf_fields(kid))
    return set(node[2])


def evaluate(node, art):
    kind = node[0]
    if kind == "and":
        return all(evaluate(kid, art) for kid in node[1])
    if kind == "or":
        return any(evaluate(kid, art) for kid in node[1])
    if kind == "not":
        return not evaluate(node[1], art)
    if kind == "near":
        n, a, b = node[1], node[2], node[3]
        for field in FIELDS:
            sa = spans(a, art, field) if field in leaf_fields(a) else []
            sb = spans(b, art, field) if field in leaf_fields(b) else []
            for s1, e1 in sa:
                for s2, e2 in sb:
                    if max(e1, e2) - min(s1, s2) - (e1 - s1) - (e2 - s2) <= n:
                        return True
        return False
    return any(spans(node, art, f) for f in node[2])


def read_rules(path):
    out = []
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            name, expression = line.split("=", 1)
            out.append((name.strip(), Parser(expression.strip()).parse()))
    return out


def read_articles(path, limit=None):
    out = []
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if limit is not None and len(out) >= limit:
                break
            out.append(json.loads(line))
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rules", required=True)
    ap.add_argument("--articles", required=True)
    ap.add_argument("--limit", type=int)
    args = ap.parse_args()
    rules = sorted(read_rules(args.rules), key=lambda r: r[0].encode())
    arts = [Article(a) for a in read_articles(args.articles, args.limit)]
    start = time.perf_counter()
    lines = ["%s\t%s" % (art.id, " ".join(name for name, node in rules if evaluate(node, art))) for art in arts]
    elapsed = time.perf_counter() - start
    sys.stdout.write("\n".join(lines) + "\n")
    print("articles/s=%.2f" % (len(arts) / elapsed), file=sys.stderr)


if __name__ == "__main__":
    main()
