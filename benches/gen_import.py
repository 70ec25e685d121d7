#!/usr/bin/env python3
"""Writes a synthetic WordPress (WXR) or Disqus export of N comments for the
import benchmark, from the shared bench corpus: posts of about 40 comments,
a third of them replies to earlier ones, approval states
mixed as on a real blog, bodies in CDATA, authors with and without email.

    benches/gen_import.py wordpress|disqus N FILE [CORPUS_DIR]
"""
import json
import random
import sys
from datetime import datetime, timedelta
from xml.sax.saxutils import escape


def cdata(text):
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def main():
    source, n, path = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    corpus = sys.argv[4] if len(sys.argv) > 4 else "../shared/bench/corpus"
    rows = [json.loads(line) for line in open(f"{corpus}/comments.jsonl")]
    rng = random.Random(20261129)
    start = datetime(2016, 1, 1)
    per_post = 40
    with open(path, "w", encoding="utf-8") as out:
        (wordpress if source == "wordpress" else disqus)(out, rows, rng, n, per_post, start)


def pick(rows, rng, i):
    row = rows[i % len(rows)]
    name = row["author"] or f"Guest {rng.randrange(5000)}"
    email = row["email"] if row["email"] else ""
    return row, name, email


def state(rng):
    r = rng.random()
    return "1" if r < 0.80 else "spam" if r < 0.90 else "trash" if r < 0.95 else "0"


def wordpress(out, rows, rng, n, per_post, start):
    out.write('<?xml version="1.0" encoding="UTF-8" ?>\n<rss version="2.0" '
              'xmlns:content="http://purl.org/rss/1.0/modules/content/" '
              'xmlns:wp="http://wordpress.org/export/1.2/">\n<channel>\n')
    written = 0
    post = 0
    while written < n:
        post += 1
        out.write(f"<item>\n<title>Post {post}</title>\n<link>https://blog.example/p/{post}</link>\n"
                  f"<content:encoded>{cdata('<p>The post.</p>' * 20)}</content:encoded>\n"
                  f"<wp:post_id>{post}</wp:post_id>\n")
        first = written + 1
        for _ in range(min(per_post, n - written)):
            written += 1
            row, name, email = pick(rows, rng, written)
            parent = rng.randrange(first, written) if written > first and rng.random() < 0.33 else 0
            when = start + timedelta(minutes=written * 3)
            out.write(
                "<wp:comment>\n"
                f"<wp:comment_id>{written}</wp:comment_id>\n"
                f"<wp:comment_author>{cdata(name)}</wp:comment_author>\n"
                f"<wp:comment_author_email>{cdata(email)}</wp:comment_author_email>\n"
                f"<wp:comment_author_IP>{cdata(f'203.0.113.{written % 250}')}</wp:comment_author_IP>\n"
                f"<wp:comment_date>{cdata(str(when))}</wp:comment_date>\n"
                f"<wp:comment_date_gmt>{cdata(str(when))}</wp:comment_date_gmt>\n"
                f"<wp:comment_content>{cdata(row['text'])}</wp:comment_content>\n"
                f"<wp:comment_approved>{cdata(state(rng))}</wp:comment_approved>\n"
                "<wp:comment_type><![CDATA[comment]]></wp:comment_type>\n"
                f"<wp:comment_parent>{parent}</wp:comment_parent>\n"
                "</wp:comment>\n")
        out.write("</item>\n")
    out.write("</channel>\n</rss>\n")


def disqus(out, rows, rng, n, per_post, start):
    out.write('<?xml version="1.0" encoding="utf-8"?>\n<disqus xmlns="http://disqus.com" '
              'xmlns:dsq="http://disqus.com/disqus-internals">\n')
    threads = (n + per_post - 1) // per_post
    for t in range(1, threads + 1):
        out.write(f'<thread dsq:id="{t}">\n<id>article-{t}</id>\n'
                  f"<link>https://news.example/a/{t}</link>\n<title>{escape(f'Article {t}')}</title>\n"
                  "</thread>\n")
    for i in range(1, n + 1):
        row, name, email = pick(rows, rng, i)
        thread = (i - 1) // per_post + 1
        first = (thread - 1) * per_post + 1
        parent = rng.randrange(first, i) if i > first and rng.random() < 0.33 else 0
        r = rng.random()
        spam, deleted = ("true", "false") if r < 0.1 else ("false", "true") if r < 0.15 else ("false", "false")
        when = (start + timedelta(minutes=i * 3)).strftime("%Y-%m-%dT%H:%M:%SZ")
        out.write(
            f'<post dsq:id="{i}">\n<message>{cdata(row["text"])}</message>\n'
            f"<createdAt>{when}</createdAt>\n<isDeleted>{deleted}</isDeleted>\n<isSpam>{spam}</isSpam>\n"
            f"<author>\n<email>{escape(email)}</email>\n<name>{escape(name)}</name>\n</author>\n"
            f"<ipAddress>198.51.100.{i % 250}</ipAddress>\n"
            f'<thread dsq:id="{thread}" />\n'
            + (f'<parent dsq:id="{parent}" />\n' if parent else "")
            + "</post>\n")
    out.write("</disqus>\n")


if __name__ == "__main__":
    main()
