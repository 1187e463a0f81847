"""CPU per call of ``KnowledgeBase.analyse()`` on the dev set, and a fingerprint of its results.

Run from the repository root, under the bench lock:

    flock /tmp/plumberforce-bench.lock nice -n -15 python bench/analyse_profile.py [--trees DIR,.]

For each source tree (``.`` is this one; another is e.g. ``git archive main | tar -x -C DIR``)
a worker process loads the knowledge base (cached under ``/tmp``), calls ``analyse()`` once on
every dev question (``eval/questions.jsonl`` only) for a warm-up, then ``--repeat`` timed passes;
the trees' passes are interleaved so that both see the same machine load. It prints per tree
the mean and p95 of the wall time per call, the mean CPU (thread time) per call and the total
CPU of the timed passes, and a fingerprint of everything ``analyse()`` returns for every question:
the verdict's kind, the article ranking with scores rounded to 1e-9, the corrections and the
passages chosen with their scores ("exact" hashes the verdicts' full repr, "features" the ranking
features of the articles with lexical evidence, which ``bench/learn_ranking.py`` fits on; the
index version hashes the articles' tokens, the lexicon and the weights). The
questions whose fingerprint differs from the first tree's are listed. ``--profile FILE`` writes
a cProfile of one pass of this tree instead.
"""

from __future__ import annotations

import argparse
import cProfile
import hashlib
import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CACHE = Path("/tmp/plumberforce-analyse-cache")


def _questions() -> list[tuple[str, str]]:
    from plumberforce.knowledge.evaluation import EVAL_PATH, load_questions

    return [(q.id, q.q) for q in load_questions(EVAL_PATH)]


def _load(tree: Path):
    from plumberforce.knowledge import KnowledgeBase

    cache = CACHE / hashlib.sha256(str(tree.resolve()).encode()).hexdigest()[:12]
    return KnowledgeBase.load_cached(cache)


def describe(verdict) -> list:
    """Everything a verdict says, with scores rounded to 1e-9."""
    return [
        verdict.kind,
        [(h.article.id, round(h.score, 9)) for h in verdict.hits],
        [f.label for f in verdict.corrections],
        [
            (p.article.id, p.passage.lang, p.passage.section, p.passage.order, round(p.score, 9))
            for p in verdict.passages
        ],
    ]


def _digest(value: object) -> str:
    return hashlib.sha256(json.dumps(value).encode()).hexdigest()[:16]


def worker(tree: Path) -> None:
    """Serve timing passes over stdin/stdout: "pass" times one pass, "prints" sends fingerprints."""
    kb = _load(tree)
    questions = _questions()
    for _, q in questions:
        kb.analyse(q)
    print("ready", flush=True)
    for line in sys.stdin:
        if line.strip() == "pass":
            walls, cpus = [], []
            for _, q in questions:
                start, cpu = time.perf_counter_ns(), time.thread_time_ns()
                kb.analyse(q)
                cpus.append((time.thread_time_ns() - cpu) / 1e6)
                walls.append((time.perf_counter_ns() - start) / 1e6)
            print(json.dumps({"wall": walls, "cpu": cpus}), flush=True)
        elif line.strip() == "prints":
            prints = {qid: _digest(describe(kb.analyse(q))) for qid, q in questions}
            exact = {qid: _digest(repr(kb.analyse(q))) for qid, q in questions}
            features = hashlib.sha256()
            for _, q in questions:
                rows, lexical = kb.features(q)
                features.update(lexical.tobytes() + rows[lexical].tobytes())
            result = {"prints": prints, "exact": exact, "features": features.hexdigest()[:16], "version": kb.version}
            print(json.dumps(result), flush=True)


class Tree:
    """A worker process running one source tree."""

    def __init__(self, path: Path):
        self.path = path.resolve()
        env = dict(os.environ, PYTHONPATH=str(self.path))
        self.proc = subprocess.Popen(
            [sys.executable, str(Path(__file__).resolve()), "--worker", str(self.path)],
            cwd=self.path,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        if self.proc.stdout.readline().strip() != "ready":
            raise RuntimeError(f"worker for {self.path} failed")
        self.wall: list[float] = []
        self.cpu: list[float] = []

    def ask(self, command: str) -> dict:
        self.proc.stdin.write(command + "\n")
        self.proc.stdin.flush()
        return json.loads(self.proc.stdout.readline())

    def close(self) -> None:
        self.proc.stdin.close()
        self.proc.wait()


def _p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[94]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trees", default=".", help="comma-separated source trees (. is this one)")
    parser.add_argument("--repeat", type=int, default=3, help="timed passes per tree")
    parser.add_argument("--profile", help="write a cProfile of one pass of this tree to this file")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        sys.path.insert(0, args.worker)
        worker(Path(args.worker))
        return 0
    if args.profile:
        sys.path.insert(0, str(ROOT))
        kb = _load(ROOT)
        questions = [q for _, q in _questions()]
        for q in questions:
            kb.analyse(q)
        profiler = cProfile.Profile()
        profiler.runcall(lambda: [kb.analyse(q) for q in questions])
        profiler.dump_stats(args.profile)
        return 0
    trees = [Tree(ROOT if t == "." else Path(t)) for t in args.trees.split(",")]
    for _ in range(args.repeat):
        for tree in trees:
            result = tree.ask("pass")
            tree.wall += result["wall"]
            tree.cpu += result["cpu"]
    prints = [tree.ask("prints") for tree in trees]
    for tree in trees:
        tree.close()
    n = len(prints[0]["prints"])
    print(f"analyse() over {n} dev questions, {args.repeat} passes per tree (interleaved), after a warm-up pass")
    heads = f"{'mean ms':>8s} {'p95 ms':>7s} {'cpu ms':>7s} {'cpu s':>6s}"
    print(f"{'tree':40s} {heads}  {'fingerprint':16s}  {'exact':16s}  {'features':16s}  index version")
    for tree, p in zip(trees, prints, strict=True):
        print(
            f"{str(tree.path)[-40:]:40s} {statistics.fmean(tree.wall):8.3f} {_p95(tree.wall):7.3f} "
            f"{statistics.fmean(tree.cpu):7.3f} {sum(tree.cpu) / 1000:6.2f}  "
            f"{_digest(p['prints'])}  {_digest(p['exact'])}  {p['features']}  {p['version']}"
        )
    base = prints[0]["prints"]
    for tree, p in zip(trees[1:], prints[1:], strict=True):
        differ = [qid for qid in base if p["prints"][qid] != base[qid]]
        exact = [qid for qid in base if p["exact"][qid] != prints[0]["exact"][qid]]
        if differ or exact:
            print(f"{tree.path} against {trees[0].path}: {len(differ)} differ, {len(exact)} not bit-identical")
            print("  " + " ".join(differ[:30]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
