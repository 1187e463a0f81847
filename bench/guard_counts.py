"""Counts of the guard with and without its learned part, on the dev set and the blind batches.

Run from the repository root: ``python bench/guard_counts.py [FILE...]`` (default: the dev set and
``eval/blind/*.jsonl``). For each file it prints counts only, never a line or an id: redirect lines
redirected and legitimate lines redirected, by the rules alone and by ``analyse()`` (the rules plus
the learned guard, ``plumberforce/knowledge/guard_model.py``).
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402

from plumberforce.knowledge import KnowledgeBase  # noqa: E402
from plumberforce.knowledge.evaluation import EVAL_PATH, load_questions  # noqa: E402


def main() -> None:
    paths = [Path(p) for p in sys.argv[1:]] or [EVAL_PATH, *sorted((ROOT / "eval" / "blind").glob("*.jsonl"))]
    kb = KnowledgeBase.load()
    for path in paths:
        questions = load_questions(path)
        rules = np.array([kb.guard_inputs(q.q)[0] != "on_topic" for q in questions])
        both = np.array([kb.analyse(q.q).redirect for q in questions])
        redirect = np.array([q.redirect for q in questions])
        n, m = int(redirect.sum()), int((~redirect).sum())
        print(
            f"{path.name}: redirect lines redirected {int((rules & redirect).sum())}/{n} rules alone, "
            f"{int((both & redirect).sum())}/{n} with the learned guard; legitimate redirected "
            f"{int((rules & ~redirect).sum())}/{m} rules alone, {int((both & ~redirect).sum())} with it"
        )


if __name__ == "__main__":
    main()
