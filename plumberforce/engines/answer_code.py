"""The code an offline answer shows: one block of the best article's approach, the one closest to
the question, without comment-only lines and cut to a length (the whole block stays in the full
article, one link away)."""

from __future__ import annotations

import re
from functools import lru_cache

from plumberforce.knowledge.text import tokenize

CODE_LINES = 24  # lines of the approach's code kept (after comment-only lines are cut)
CODE_MARGIN = 2  # words of the question a later code block must share beyond the first to replace it


def closest_code(blocks: list[str], asked: set[str], margin: int = CODE_MARGIN) -> str:
    """Of a passage's code blocks, the one sharing most words with the question (the first on a
    tie), when it shares at least ``CODE_MARGIN`` more than the first: a paragraph followed by the
    class and then the lines that schedule it shows the lines when the question asks how to
    schedule."""
    overlap = [len(_words(block) & asked) for block in blocks]
    best = max(range(len(blocks)), key=lambda i: (overlap[i], -i))
    return blocks[best] if overlap[best] >= overlap[0] + margin else blocks[0]


@lru_cache(maxsize=2048)
def _words(block: str) -> frozenset[str]:
    """A code block's tokens: the articles' blocks are few and fixed, so each is tokenized once."""
    return frozenset(tokenize(block, None, bigrams=False))


_COMMENT = re.compile(r"^\s*(?://|#|<!--.*-->\s*$)")


def _uncommented(lines: list[str]) -> list[str]:
    """``lines`` without comment-only lines and block comments (``/* ... */`` over any lines)."""
    out, inside = [], False
    for line in lines:
        stripped = line.strip()
        if not inside and stripped.startswith("/*"):
            inside = True
        if inside:
            inside = "*/" not in stripped
            continue
        if not _COMMENT.match(line):
            out.append(line)
    return out


def trim_code(block: str, limit: int = CODE_LINES) -> str:
    """A code block without its comment-only lines (commented-out "bad" examples, step labels)
    and cut to ``limit`` lines, marked where cut; the whole block stays in the full article."""
    lines = block.splitlines()
    fence, close = lines[0], lines[-1]
    body = _uncommented(lines[1:-1])
    body = [line for i, line in enumerate(body) if line.strip() or (i and body[i - 1].strip())]
    if len(body) > limit:
        markup = any(name in fence for name in ("xml", "html"))
        hash_comments = any(name in fence for name in ("bash", "yaml", "python"))
        body = [*body[:limit], "<!-- … -->" if markup else "# …" if hash_comments else "// …"]
    return "\n".join([fence, *body, close])
