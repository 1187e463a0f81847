"""Retrieval benchmark: quality on the evaluation set, redirects, false premises and latency.

Run from the repository root: ``python bench/retrieval.py`` (``--repeat N`` timing passes,
``--questions PATH`` another set). Prints plain-text tables: recall@1, recall@3 and MRR per
language and per question kind, redirect precision/recall, false-premise detection, and the
latency of ``search()`` and ``analyse()`` over the whole set, on the machine it runs on.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from importlib.metadata import version
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from plumberforce.knowledge import KnowledgeBase  # noqa: E402
from plumberforce.knowledge.evaluation import EVAL_PATH, Report, Retrieval, evaluate, load_questions  # noqa: E402

TARGETS = {"recall3": 0.95, "recall1": 0.85, "redirect": 0.95, "p50_ms": 2.0}


def table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """A plain-text table with right-aligned numbers."""
    cells = [[str(h) for h in headers]] + [[_cell(v) for v in row] for row in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(headers))]
    lines = []
    for n, row in enumerate(cells):
        padded = (c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(row, widths, strict=True)))
        lines.append("  ".join(padded))
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def _cell(value: object) -> str:
    return f"{value:.3f}" if isinstance(value, float) else str(value)


def _retrieval_rows(groups: dict[str, Retrieval]) -> list[list[object]]:
    return [[name, r.n, r.recall1, r.recall3, r.mrr] for name, r in groups.items() if r.n]


def latency(fn: Callable[[str], object], questions: Sequence[str], repeat: int) -> list[float]:
    """Milliseconds per call of ``fn`` over every question, ``repeat`` times, after one warm-up pass."""
    for q in questions:
        fn(q)
    times = []
    for _ in range(repeat):
        for q in questions:
            start = time.perf_counter()
            fn(q)
            times.append((time.perf_counter() - start) * 1000)
    return times


def percentiles(times: list[float]) -> tuple[float, float, float]:
    cuts = statistics.quantiles(times, n=100, method="inclusive")
    return cuts[49], cuts[94], cuts[98]


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    return (
        f"machine: {platform.platform()} | {cpu} | {os.cpu_count()} CPUs | Python {platform.python_version()} "
        f"| bm25s {version('bm25s')}"
    )


def report_text(report: Report, build_ms: float, kb: KnowledgeBase, repeat: int) -> str:
    questions = [o.question.q for o in report.outcomes]
    by_lang = report.by(lambda q: q.lang)
    overall = report.by(lambda q: "all")
    out = [machine(), f"knowledge base: {len(kb.articles)} articles, index built in {build_ms:.0f} ms"]
    out.append(f"evaluation set: {len(questions)} questions ({_count(report, 'it')} it, {_count(report, 'en')} en)")

    out += ["", "Retrieval by language (search, k=10)"]
    out.append(table(["lang", "n", "R@1", "R@3", "MRR"], _retrieval_rows(by_lang) + _retrieval_rows(overall)))
    out += ["", "Retrieval by kind"]
    out.append(table(["kind", "n", "R@1", "R@3", "MRR"], _retrieval_rows(report.by(lambda q: q.kind))))

    out += ["", "Redirects (analyse: off-topic, abuse, injection)"]
    rows = [
        ["recall (all)", len(report.should_redirect), report.redirect_recall()],
        ["recall (it)", sum(o.question.lang == "it" for o in report.should_redirect), report.redirect_recall("it")],
        ["recall (en)", sum(o.question.lang == "en" for o in report.should_redirect), report.redirect_recall("en")],
        ["precision", sum(o.redirected for o in report.outcomes), report.redirect_precision],
        ["right kind", len(report.should_redirect), report.kind_accuracy],
        ["on-topic redirected", len(report.outcomes) - len(report.should_redirect), len(report.wrongly_redirected)],
    ]
    out.append(table(["measure", "n", "value"], rows))
    out += ["", "False premises (analyse corrections)"]
    rows = [
        ["detected (right fact)", len(report.premises), report.premise_detection],
        ["false alarms (other questions)", len(report.outcomes) - len(report.premises), len(report.false_alarms)],
    ]
    out.append(table(["measure", "n", "value"], rows))

    search = percentiles(latency(kb.search, questions, repeat))
    analyse = percentiles(latency(kb.analyse, questions, repeat))
    out += ["", f"Latency over the whole set (ms; {repeat} passes x {len(questions)} questions, after a warm-up pass)"]
    out.append(table(["call", "p50", "p95", "p99"], [["search()", *search], ["analyse()", *analyse]]))

    out += ["", "Targets"]
    rows = []
    for key, label in (("recall3", "R@3"), ("recall1", "R@1")):
        for lang, r in by_lang.items():
            value = getattr(r, key)
            rows.append([f"{label} {lang} >= {TARGETS[key]}", value, _ok(value >= TARGETS[key])])
    redirected = report.redirect_recall()
    rows.append([f"redirected >= {TARGETS['redirect']}", redirected, _ok(redirected >= TARGETS["redirect"])])
    rows.append(["on-topic redirected == 0", len(report.wrongly_redirected), _ok(not report.wrongly_redirected)])
    rows.append([f"search p50 <= {TARGETS['p50_ms']} ms", search[0], _ok(search[0] <= TARGETS["p50_ms"])])
    out.append(table(["target", "value", "met"], rows))

    misses = [o for o in report.outcomes if o.question.expected and (o.rank is None or o.rank > 3)]
    misses += report.wrongly_redirected + report.missed_redirects
    if misses:
        out += ["", "Questions missing a target"]
        out += [f"  {o.question.id} [{o.question.kind}] {o.question.q[:80]!r} -> {o.ranked[:3]}" for o in misses]
    return "\n".join(out)


def _count(report: Report, lang: str) -> int:
    return sum(o.question.lang == lang for o in report.outcomes)


def _ok(met: bool) -> str:
    return "yes" if met else "NO"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--questions", type=Path, default=EVAL_PATH)
    parser.add_argument("--repeat", type=int, default=5, help="timing passes over the set")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    kb = KnowledgeBase.load()
    build_ms = (time.perf_counter() - start) * 1000
    report = evaluate(kb, load_questions(args.questions))
    print(report_text(report, build_ms, kb, args.repeat))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
