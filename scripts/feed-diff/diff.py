#!/usr/bin/env python3
"""veille's feed parser against Python's feedparser, on every feed of the corpora.

Reads each feed file under CORPORA/feeds-* with both (veille through its `feed_dump` example),
matches their items, and prints how many feeds each reads, how many of feedparser's items veille
finds, and how many titles, dates and authors agree. Every disagreement must be listed, with its
reason, in the allowlist (one per line: path, item, field, reason, tab-separated); a new one
fails the run (exit 1). `--write-allowlist FILE` writes the current disagreements (reason
"TODO") for review.
"""

import argparse
import calendar
import html
import json
import os
import re
import subprocess
import sys
import unicodedata

import feedparser

FEED_EXTENSIONS = (".xml", ".rss", ".atom", ".rdf", ".json", ".it")
NOT_FEEDS = (".serde.json", "expected.json")
TAG = re.compile(r"<[^>]*>")


def feed_files(corpora):
    """Every feed file of the corpora, relative to it, sorted."""
    found = []
    for folder in sorted(os.listdir(corpora)):
        if not folder.startswith("feeds-"):
            continue
        for root, _, names in os.walk(os.path.join(corpora, folder)):
            for name in names:
                if name.endswith(FEED_EXTENSIONS) and not name.endswith(NOT_FEEDS):
                    found.append(os.path.relpath(os.path.join(root, name), corpora))
    return sorted(found)


def norm(text):
    """Text compared: NFC, whitespace folded, trimmed; None and "" alike."""
    if not text:
        return ""
    return " ".join(unicodedata.normalize("NFC", text).split())


def fp_title(entry):
    title = entry.get("title", "")
    detail = entry.get("title_detail") or {}
    if detail.get("type") in ("text/html", "application/xhtml+xml"):
        title = html.unescape(TAG.sub("", title))
    return norm(title)


def fp_date(entry):
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        parsed = entry.get(key)
        if parsed:
            return calendar.timegm(parsed)
    return None


def fp_author(entry):
    detail = entry.get("author_detail") or {}
    name = detail.get("name") or entry.get("author") or ""
    return norm(html.unescape(TAG.sub("", name)))


def is_empty(entry):
    """An entry feedparser makes of an element that holds nothing veille could keep."""
    return not any(
        entry.get(key) for key in ("title", "link", "id", "summary", "content")
    )


def match(fp_entries, items):
    """Pairs (feedparser index, veille index): by position when both count as many, else by
    GUID, then by title, then by position among what is left."""
    if len(fp_entries) == len(items):
        return list(enumerate(range(len(items))))
    free = list(range(len(items)))
    pairs = []
    left = []
    for i, entry in enumerate(fp_entries):
        guid = entry.get("id") or None
        title = fp_title(entry)
        found = next((j for j in free if guid and items[j]["guid"] == guid), None)
        if found is None and title:
            found = next((j for j in free if norm(items[j]["title"]) == title), None)
        if found is None:
            left.append(i)
            continue
        free.remove(found)
        pairs.append((i, found))
    for i, j in zip(left, list(free)):
        pairs.append((i, j))
    return sorted(pairs)


def veille_items(dumper, corpora, files):
    out = subprocess.run(
        [dumper, *files], cwd=corpora, capture_output=True, text=True, check=False
    )
    if out.returncode != 0:
        sys.exit(f"feed-diff: {dumper} failed ({out.returncode}):\n{out.stderr}")
    parsed = {}
    for line in out.stdout.splitlines():
        record = json.loads(line)
        parsed[record["path"]] = record
    return parsed


def compare(corpora, dumper):
    files = feed_files(corpora)
    ours = veille_items(dumper, corpora, files)
    totals = dict.fromkeys(
        "files fp_reads v_reads both fp_items empty found titles titles_eq "
        "dates dates_eq authors authors_eq".split(),
        0,
    )
    totals["files"] = len(files)
    disagreements = []
    for path in files:
        with open(os.path.join(corpora, path), "rb") as f:
            data = f.read()
        theirs = feedparser.parse(data)
        mine = ours[path]
        fp_reads = bool(theirs.get("version")) or bool(theirs.entries)
        totals["fp_reads"] += fp_reads
        totals["v_reads"] += mine["ok"]
        totals["both"] += fp_reads and mine["ok"]
        if fp_reads and not mine["ok"]:
            disagreements.append((path, "*", "read", "read", mine["error"]))
        if not fp_reads:
            continue
        entries = [e for e in theirs.entries if not is_empty(e)]
        totals["empty"] += len(theirs.entries) - len(entries)
        totals["fp_items"] += len(entries)
        items = mine["items"]
        pairs = match(entries, items)
        totals["found"] += len(pairs)
        matched = {i for i, _ in pairs}
        for i, entry in enumerate(entries):
            if i not in matched and mine["ok"]:
                disagreements.append((path, str(i), "item", fp_title(entry), ""))
        for i, j in pairs:
            entry, item = entries[i], items[j]
            title = fp_title(entry)
            if title:
                totals["titles"] += 1
                if title == norm(item["title"]):
                    totals["titles_eq"] += 1
                else:
                    disagreements.append((path, str(i), "title", title, norm(item["title"])))
            totals["dates"] += 1
            if fp_date(entry) == item["published"]:
                totals["dates_eq"] += 1
            else:
                disagreements.append(
                    (path, str(i), "date", str(fp_date(entry)), str(item["published"]))
                )
            totals["authors"] += 1
            if fp_author(entry) == norm(item["author"]):
                totals["authors_eq"] += 1
            else:
                disagreements.append(
                    (path, str(i), "author", fp_author(entry), norm(item["author"]))
                )
    return totals, disagreements


def percent(part, whole):
    return f"{100.0 * part / whole:.2f} %" if whole else "-"


def summary(t):
    return "\n".join(
        [
            f"feeds: {t['files']} files; feedparser reads {t['fp_reads']}, veille reads "
            f"{t['v_reads']}, both {t['both']}",
            f"items: feedparser finds {t['fp_items']} (and {t['empty']} empty ones, left out); "
            f"veille finds {t['found']} of them ({percent(t['found'], t['fp_items'])})",
            f"titles equal: {t['titles_eq']}/{t['titles']} ({percent(t['titles_eq'], t['titles'])})",
            f"dates equal: {t['dates_eq']}/{t['dates']} ({percent(t['dates_eq'], t['dates'])})",
            f"authors equal: {t['authors_eq']}/{t['authors']} "
            f"({percent(t['authors_eq'], t['authors'])})",
        ]
    )


def read_allowlist(path):
    allowed = {}
    if not path or not os.path.exists(path):
        return allowed
    with open(path, encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            if not line.strip() or line.startswith("#"):
                continue
            parts = line.rstrip("\n").split("\t")
            if len(parts) < 4 or not parts[3].strip():
                sys.exit(f"{path}:{number}: want path, item, field and reason, tab-separated")
            allowed[tuple(parts[:3])] = parts[3]
    return allowed


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpora", required=True)
    parser.add_argument("--dumper", required=True, help="the feed_dump example binary")
    parser.add_argument("--allowlist")
    parser.add_argument("--write-allowlist")
    parser.add_argument("--details", action="store_true", help="print every disagreement")
    args = parser.parse_args()
    totals, disagreements = compare(args.corpora, os.path.abspath(args.dumper))
    print(summary(totals))
    allowed = read_allowlist(args.allowlist)
    new = [d for d in disagreements if d[:3] not in allowed]
    seen = {d[:3] for d in disagreements}
    fixed = [key for key in allowed if key not in seen]
    print(
        f"disagreements: {len(disagreements)}, allowlisted {len(disagreements) - len(new)}, "
        f"new {len(new)}; allowlist entries no longer seen: {len(fixed)}"
    )
    for d in disagreements if args.details else new:
        print("  " + "\t".join(d))
    for key in fixed:
        print("  no longer seen (remove it from the allowlist): " + "\t".join(key))
    if args.write_allowlist:
        with open(args.write_allowlist, "w", encoding="utf-8") as f:
            for d in disagreements:
                reason = allowed.get(d[:3], "TODO")
                f.write("\t".join([*d[:3], reason, f"feedparser: {d[3]!r}; veille: {d[4]!r}"]))
                f.write("\n")
    return 1 if new else 0


if __name__ == "__main__":
    sys.exit(main())
