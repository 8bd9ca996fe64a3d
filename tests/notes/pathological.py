"""Notes that once made one note stop a whole index (issue 15, item 6): quadratic link scanning, huge
token streams, YAML alias bombs, impossible dates. Each is a file notelink may meet in a vault (all under the
default 5 MB cap). `tests/notes/test_note_budget.py` indexes each; `benchmarks/parse_budget.py` measures the
CPU time and memory of each against the budget (2 s of CPU, 256 MB).
"""

from __future__ import annotations

from collections.abc import Callable


def _bomb(key: str, levels: int = 9) -> str:
    """Billion laughs: 9 levels of 9 references each, 9**9 (387M) strings when expanded."""
    lines = ['l0: &l0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    lines += [f"l{i}: &l{i} [{','.join([f'*l{i - 1}'] * 9)}]" for i in range(1, levels)]
    return "---\n" + "\n".join(lines) + f"\n{key}: *l{levels - 1}\ntitle: Bomb\n---\nThe body survives.\n"


def _table(columns: int, rows: int) -> str:
    head = "|" + "|".join(f" c{i} " for i in range(columns)) + "|\n"
    rule = "|" + "|".join(["---"] * columns) + "|\n"
    body = "".join("|" + "|".join(f" v{r} " for _ in range(columns)) + "|\n" for r in range(rows))
    return head + rule + body


CASES: dict[str, Callable[[], str]] = {
    "1MB of [": lambda: "[" * 1_000_000,
    "200k of [[": lambda: "[[" * 100_000,
    "1MB of [[": lambda: "[[" * 500_000,
    "1MB of [[ with ]] at the end": lambda: "[[" * 500_000 + "]]",
    "1MB of %% between code spans": lambda: "%%`" * 333_333,
    "1MB of $$ between code spans": lambda: "$$`" * 333_333,
    "2MB of $ between code spans": lambda: "$x`" * 666_666,
    "[[ on 200k lines": lambda: "[[ x\n" * 200_000,
    "1MB of ![[": lambda: "![[" * 330_000,
    "1MB of ]][[": lambda: "]][[" * 250_000,
    "100k headings": lambda: "".join(f"# Heading {i}\n" for i in range(100_000)),
    "200k short lines": lambda: "".join(f"w{i}\n" for i in range(200_000)),
    "100k setext headings": lambda: "".join(f"Heading {i}\n===\n" for i in range(100_000)),
    "1000-column table": lambda: _table(1000, 200),
    "100k list items": lambda: "".join(f"- item {i}\n" for i in range(100_000)),
    "100k nested quotes": lambda: ">" * 100_000 + " deep\n",
    "50k nested brackets": lambda: "[" * 50_000 + "x" + "]" * 50_000,
    "1MB of backticks": lambda: "`" * 1_000_000,
    "1MB of emphasis": lambda: "*a _b " * 170_000,
    "1MB of <": lambda: "<a " * 330_000,
    "a.a.a. URL scan": lambda: "a." * 500_000,
    "one 4.5MB line": lambda: "word " * 900_000,
    "100k inline links": lambda: "".join(f"[l{i}](n{i}.md) " for i in range(100_000)),
    "100k wikilinks": lambda: "".join(f"[[Note {i}|alias {i}]] " for i in range(100_000)),
    "100k tags": lambda: "".join(f"#tag{i} " for i in range(100_000)),
    "alias bomb in aliases": lambda: _bomb("aliases"),
    "alias bomb in tags": lambda: _bomb("tags"),
    "alias bomb in title": lambda: _bomb("title"),
    "recursive front matter": lambda: "---\naliases: &a [x, *a]\ntags: &t {k: *t}\n---\nbody\n",
    "deep front matter": lambda: "---\ntags: " + "[" * 50_000 + "]" * 50_000 + "\n---\nbody\n",
    "impossible date": lambda: "---\ntitle: Kept\ndate: 2026-02-30\ntags: [a]\n---\nThe body is kept.\n",
    "1MB front matter": lambda: "---\n" + "".join(f"k{i}: v{i}\n" for i in range(80_000)) + "---\nbody\n",
    "front matter bigint": lambda: "---\naliases: [" + "7" * 5000 + "]\n---\nbody\n",
    # the densest notes under the 5 MB cap: a token, a line, a link or a tag every few characters
    "4.9MB of 'ab '": lambda: "ab " * 1_630_000,
    "4.9MB of short lines": lambda: "ab\n" * 1_630_000,
    "4.9MB of one-word paragraphs": lambda: "ab\n\n" * 1_220_000,
    "4.9MB of list items": lambda: "- ab\n" * 980_000,
    "4.9MB of headings": lambda: "# ab\n" * 980_000,
    "4.9MB of tags": lambda: "#ab " * 1_220_000,
    "4.9MB of wikilinks": lambda: "[[ab]] " * 700_000,
    "4.9MB of distinct words": lambda: " ".join(f"w{i:x}q" for i in range(700_000))[:4_900_000],
    "4.9MB of CJK": lambda: "".join(chr(0x4E00 + (i * 7919) % 20_000) for i in range(1_630_000)),
    "4.9MB of [[ lines": lambda: "[[ x\n" * 980_000,
    "4.9MB of fences": lambda: "```\n" * 1_220_000,
}
"""Name → a function making the note's text (made on demand: some are megabytes)."""
