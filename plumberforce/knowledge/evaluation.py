"""The evaluation sets and their metrics: ``eval/questions.jsonl`` (dev: tune on it) and
``eval/heldout.jsonl`` (held out: frozen, never tuned on; see eval/HELDOUT.md).

Shared by ``bench/retrieval.py`` (which prints them) and the tests (which assert the targets).
A question counts as retrieved at k when any of its ``expected`` articles is among the first k
results of :meth:`KnowledgeBase.search`; MRR uses the rank of the first expected article. An
answer has a question's ``key_facts`` when every fact has one of its alternatives in the answer
(a case-insensitive substring).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from plumberforce.knowledge.index import KnowledgeBase, Verdict
from plumberforce.knowledge.memory import batch

EVAL_PATH = Path(__file__).resolve().parents[2] / "eval" / "questions.jsonl"
HELDOUT_PATH = EVAL_PATH.with_name("heldout.jsonl")
HELDOUT2_PATH = EVAL_PATH.with_name("heldout2.jsonl")  # a second blind set, written when the first was worn
# The dev set's batches added after issue 13's articles, by id prefix, in the order they came
# (eval/README.md): figures "of before" a batch are compared without it and the ones after it.
LATER_BATCHES = (
    "evf-", "evg-", "evh-", "evi-", "evj-", "evk-", "evl-", "evm-", "evn-", "evo-", "evp-", "evq-",
    "evr-", "evs-", "evt-", "evu-", "evw-", "evx-", "ewa-", "ewb-", "ewc-", "ewd-", "ewf-",
    "ewe-", "ewg-", "ewh-", "ewi-", "ewj-", "ewk-", "ewm-", "ewl-", "ewn-", "ewq-", "ewo-",
    "ewp-", "ewr-", "ewt-", "exa-", "exb-", "exc-", "exd-", "exe-", "exf-",
    "exg-", "exh-", "exi-", "exj-", "exk-", "exl-",
)  # fmt: skip


def batches_since(first: str) -> tuple[str, ...]:
    """The id prefixes of :data:`LATER_BATCHES` from ``first`` on."""
    return LATER_BATCHES[LATER_BATCHES.index(first) :]


KINDS = (
    "howto",
    "troubleshooting",
    "comparison",
    "error",
    "premise",
    "overlap",
    "roleplay",
    "uncovered",
    "offtopic",
    "abuse",
    "injection",
)
VERDICT_KIND = {"offtopic": "off_topic", "abuse": "abuse", "injection": "injection"}
RANKED = 10


@dataclass(frozen=True)
class Question:
    """One line of the evaluation set."""

    id: str
    q: str
    lang: str
    kind: str
    expected: tuple[str, ...] = ()
    redirect: bool = False
    correct_fact_value: str | None = None
    key_facts: tuple[tuple[str, ...], ...] = ()

    def has_key_facts(self, answer: str) -> bool:
        """Whether ``answer`` holds every key fact (one alternative of each, any case)."""
        text = answer.lower()
        return all(any(alt.lower() in text for alt in fact) for fact in self.key_facts)


def load_questions(path: Path = EVAL_PATH) -> list[Question]:
    """Every question of the set at ``path``; unknown fields or kinds are an error."""
    questions = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        data = json.loads(line)
        data["expected"] = tuple(data.get("expected", ()))
        data["key_facts"] = tuple(tuple(fact) for fact in data.get("key_facts", ()))
        question = Question(**data)
        if question.kind not in KINDS or question.lang not in ("en", "it"):
            raise ValueError(f"{path.name}:{number}: unknown kind or lang in {question.id}")
        questions.append(question)
    return questions


@dataclass(frozen=True)
class Outcome:
    """What the knowledge base did with one question."""

    question: Question
    ranked: tuple[str, ...]
    verdict: Verdict

    @property
    def rank(self) -> int | None:
        """1-based rank of the first expected article in the search results, if any."""
        for i, article_id in enumerate(self.ranked, 1):
            if article_id in self.question.expected:
                return i
        return None

    @property
    def redirected(self) -> bool:
        return self.verdict.kind != "on_topic"

    @property
    def corrected_values(self) -> set[str]:
        return {fact.value for fact in self.verdict.corrections}


@dataclass(frozen=True)
class Retrieval:
    """Recall@1, recall@3 and MRR over ``n`` questions with expected articles."""

    n: int
    recall1: float
    recall3: float
    mrr: float


def retrieval(outcomes: Iterable[Outcome]) -> Retrieval:
    ranks = [o.rank for o in outcomes if o.question.expected]
    if not ranks:
        return Retrieval(0, 0.0, 0.0, 0.0)
    n = len(ranks)
    return Retrieval(
        n,
        sum(1 for r in ranks if r == 1) / n,
        sum(1 for r in ranks if r is not None and r <= 3) / n,
        sum(1 / r for r in ranks if r is not None) / n,
    )


@dataclass
class Report:
    """Every outcome of one evaluation run, with the metrics the targets are set on."""

    outcomes: list[Outcome] = field(default_factory=list)

    def by(self, key: Callable[[Question], str]) -> dict[str, Retrieval]:
        groups: dict[str, list[Outcome]] = {}
        for outcome in self.outcomes:
            groups.setdefault(key(outcome.question), []).append(outcome)
        return {name: retrieval(group) for name, group in sorted(groups.items())}

    @property
    def should_redirect(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.question.redirect]

    @property
    def wrongly_redirected(self) -> list[Outcome]:
        """On-topic questions that were redirected (the target is none)."""
        return [o for o in self.outcomes if not o.question.redirect and o.redirected]

    @property
    def missed_redirects(self) -> list[Outcome]:
        return [o for o in self.should_redirect if not o.redirected]

    def redirect_recall(self, lang: str | None = None) -> float:
        group = [o for o in self.should_redirect if lang in (None, o.question.lang)]
        return sum(o.redirected for o in group) / len(group) if group else 1.0

    @property
    def redirect_precision(self) -> float:
        redirected = [o for o in self.outcomes if o.redirected]
        return sum(o.question.redirect for o in redirected) / len(redirected) if redirected else 1.0

    @property
    def kind_accuracy(self) -> float:
        """Share of redirected-set questions whose redirect kind is the expected one."""
        group = self.should_redirect
        right = sum(o.verdict.kind == VERDICT_KIND.get(o.question.kind) for o in group)
        return right / len(group) if group else 1.0

    @property
    def premises(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.question.correct_fact_value is not None]

    @property
    def premise_detection(self) -> float:
        group = self.premises
        detected = sum(o.question.correct_fact_value in o.corrected_values for o in group)
        return detected / len(group) if group else 1.0

    @property
    def false_alarms(self) -> list[Outcome]:
        """Questions without a false premise that still got a correction."""
        return [o for o in self.outcomes if o.question.correct_fact_value is None and o.verdict.corrections]


def key_fact_rate(outcomes: Iterable[Outcome], compose: Callable[[Outcome], str]) -> tuple[int, float]:
    """(questions with key facts, share whose composed answer holds them all)."""
    group = [o for o in outcomes if o.question.key_facts]
    if not group:
        return 0, 0.0
    return len(group), sum(o.question.has_key_facts(compose(o)) for o in group) / len(group)


def evaluate(kb: KnowledgeBase, questions: Iterable[Question]) -> Report:
    """Run every question through search and analyse (one scoring for both), each without the memory of its own batch
    (:meth:`plumberforce.knowledge.memory.QuestionMemory.without`): a dev question is then ranked
    as a question nobody wrote before, and the dev figures do not count the memory's own answers."""
    report = Report()
    for question in questions:
        with kb.memory.without(batch(question.id)):  # ranked as a question the memory never saw
            hits, verdict = kb.search_and_analyse(question.q, RANKED)
            report.outcomes.append(Outcome(question, tuple(h.article.id for h in hits), verdict))
    return report
