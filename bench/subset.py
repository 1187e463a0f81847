"""Figures for one slice of the dev set, chosen by id prefix (``python bench/subset.py evj-``).

Why: ``bench/retrieval.py`` reports the whole dev set, so a batch of new questions (such as
``evj-``, written blind) is diluted in a thousand others; this prints that batch alone: R@1 and
R@3 per language, key facts present in the offline answer per language, the median answer
length, and the batch's rank misses, key-fact misses and wrong redirects. The offline answer is
composed exactly as ``bench/retrieval.py`` composes it (its ``answer()``). Dev set only: it never
loads the held-out file. ``--file batch.jsonl`` reads a new batch that is not in the dev set yet
(a blind batch measured as it came, before it is merged); the held-out files are refused.
A file under ``eval/blind/`` prints aggregates only (R@1, R@3, key facts, redirect counts; no
line ids) unless ``--misses`` is given: such a batch is a blind end.
"""

from __future__ import annotations

import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.retrieval import answer  # noqa: E402
from plumberforce.knowledge import KnowledgeBase  # noqa: E402
from plumberforce.knowledge.evaluation import evaluate, load_questions, retrieval  # noqa: E402


def main(prefixes: tuple[str, ...], path: Path | None = None, misses: bool = True) -> int:
    if path is not None and path.name.startswith("heldout"):
        raise SystemExit("the held-out sets are read only by bench/retrieval.py (eval/HELDOUT.md)")
    questions = [q for q in (load_questions(path) if path else load_questions()) if q.id.startswith(prefixes)]
    report = evaluate(KnowledgeBase.load(), questions)
    answers = {o.question.id: answer(o) for o in report.outcomes}
    print(f"{len(questions)} questions with ids starting {', '.join(prefixes)}")
    for lang in ("en", "it", None):
        group = [o for o in report.outcomes if lang in (None, o.question.lang)]
        r = retrieval(group)
        facts = [o for o in group if o.question.key_facts]
        present = sum(o.question.has_key_facts(answers[o.question.id]) for o in facts)
        rate = present / len(facts) if facts else 0.0
        print(
            f"{lang or 'all'}: n {r.n}  R@1 {r.recall1:.3f}  R@3 {r.recall3:.3f}  MRR {r.mrr:.3f}"
            f"  key facts {present}/{len(facts)} = {rate:.3f}"
        )
    for kind in sorted({q.kind for q in questions}):
        r = retrieval(o for o in report.outcomes if o.question.kind == kind)
        print(f"  {kind:16} n {r.n:3}  R@1 {r.recall1:.3f}  R@3 {r.recall3:.3f}")
    answered = [len(answers[o.question.id]) for o in report.outcomes if not o.verdict.redirect]
    print(f"median answer (chars): {statistics.median(answered) if answered else 0:.0f}")  # redirects left out
    redirect = [q for q in questions if q.redirect]
    missed = [o.question.id for o in report.missed_redirects]
    if not misses:  # a blind batch: counts only, so that nobody tunes on its lines
        print(f"redirect lines redirected: {len(redirect) - len(missed)}/{len(redirect)}")
        print(f"legitimate questions redirected: {len(report.wrongly_redirected)}")
        return 0
    print(f"redirect lines redirected: {len(redirect) - len(missed)}/{len(redirect)}  missed: {missed}")
    print("wrongly redirected:", [o.question.id for o in report.wrongly_redirected])
    for o in report.outcomes:
        if o.question.expected and o.rank != 1:
            q = o.question
            print(f"  rank {o.rank} {q.id} [{q.kind}] expected {q.expected} got {o.ranked[:3]}")
    for o in report.outcomes:
        if o.question.key_facts and not o.question.has_key_facts(answers[o.question.id]):
            text = answers[o.question.id].lower()
            missing = [f for f in o.question.key_facts if not any(a.lower() in text for a in f)]
            print(f"  facts {o.question.id} missing {missing}")
    return 0


if __name__ == "__main__":
    args = sys.argv[1:]
    batch = None
    misses = "--misses" in args
    if misses:
        args.remove("--misses")
    if "--file" in args:
        at = args.index("--file")
        batch = Path(args[at + 1])
        del args[at : at + 2]
    # a file under eval/blind/ is a batch nobody has tuned on: aggregates only unless --misses
    show = misses or batch is None or batch.resolve().parent != ROOT / "eval" / "blind"
    raise SystemExit(main(tuple(args) or (("",) if batch else ("evj-",)), batch, show))
