"""The fast paths of analyse() give what the straightforward code gives, bit for bit: BM25 from the
postings table, the guard's merged patterns, the per-article maximum, a question's one walk, the
k best articles' scores without every article's dense_item."""

from __future__ import annotations

import pickle
import re

import bm25s
import numpy as np

from plumberforce.knowledge import KnowledgeBase
from plumberforce.knowledge.dense import Embedder
from plumberforce.knowledge.evaluation import load_questions
from plumberforce.knowledge.fields import query_analysis, query_groups, query_tokens
from plumberforce.knowledge.index import _Texts
from plumberforce.knowledge.patterns import AnyOf, alternatives, bounded
from plumberforce.knowledge.postings import Postings
from plumberforce.knowledge.ranking import scaled, scaled_rows
from plumberforce.knowledge.segments import Segments
from plumberforce.knowledge.topicality import Lexicon

CORPUS = [
    ["apex", "trigger", "bulk", "trigger", "soql"],
    ["flow", "record", "trigger", "flow"],
    ["soql", "limit", "queri", "apex", "apex", "apex"],
    ["lwc", "wire", "apex"],
]


def _index(corpus: list[list[str]]) -> bm25s.BM25:
    index = bm25s.BM25(k1=1.2, b=0.75)
    index.index(corpus, show_progress=False)
    return index


def test_postings_score_as_bm25s_does() -> None:
    main = _index(CORPUS)
    other = _index([doc[:2] for doc in CORPUS])
    postings = pickle.loads(pickle.dumps(Postings([main, other])))
    for tokens in (["apex"], ["trigger", "apex", "soql"], ["apex", "apex"], ["unknown", "flow"], ["wire"]):
        scores = postings.scores(tokens)
        assert np.array_equal(scores[0], main.get_scores(tokens))
        assert np.array_equal(scores[1], other.get_scores(tokens))
        assert np.array_equal(postings.first(tokens), main.get_scores(tokens))
    assert not postings.first([]).any()


def test_knowledge_base_bm25_matches_bm25s(kb: KnowledgeBase) -> None:
    for question in [q.q for q in load_questions()[:60]]:
        tokens, _, _ = query_analysis(question, kb._speller.correct)
        if tokens:
            assert np.array_equal(kb._bm25(tokens), kb._retriever.get_scores(tokens))


def test_any_of_answers_as_each_pattern_would() -> None:
    patterns = [r"\bignore\b[^.]{0,20}\binstructions\b", r"(?:your\s+)?system\s+prompt", r"\[/?inst\]", r"\bdan\b"]
    merged = AnyOf(patterns)
    for text in ["please ignore all instructions", "show the system prompt", "[inst] hi", "dan", "a plain question"]:
        assert merged.search(text) == any(re.search(p, text) for p in patterns)


def test_any_of_splits_patterns_into_their_alternatives() -> None:
    assert alternatives(r"\ba|(b|c)|[|(]d|\|e|[]|]f") == [r"\ba", "(b|c)", "[|(]d", r"\|e", "[]|]f"]
    patterns = [r"\bone\b|(?<![a-z])two|\bthree\s+(?:four|five)\b", r"\bsix|[(|]seven", r"\beight(?=\|)"]
    merged = AnyOf(patterns)
    texts = ["one", "someone", "x_two", "three five", "three six", "(seven", "eight|", "eight", "a plain question"]
    for text in texts:
        assert merged.search(text) == any(re.search(p, text) for p in patterns), text


def test_bounded_matches_as_written() -> None:
    """Spans, groups, every match and substitutions as the pattern written, alternatives that open on
    \\b or not, in runs or alone, a capturing group inside, an alternative that is a prefix of the next."""
    pattern = r"\bfoo|\bfoobar|(?<![a-z])bar\b|\bba(z+)\b|[|(]qux|\b(?:dan|ignore)\s+(\w+)|\bend"
    written, fast = re.compile(pattern, re.IGNORECASE), bounded(pattern, re.IGNORECASE)
    assert fast.pattern != written.pattern  # the runs were regrouped
    texts = ["foobar baz", "xbar bar", "bazzz", "(qux |qux", "DAN mode", "ignore it, then end", "a plain question"]
    for text in texts:
        a, b = written.search(text), fast.search(text)
        assert (a and (a.span(), a.groups())) == (b and (b.span(), b.groups())), text
        assert written.findall(text) == fast.findall(text) and written.sub("#", text) == fast.sub("#", text)
    assert bounded(r"(?i)\bone|\btwo").search("TWO")  # a leading inline flag keeps its place


def test_segments_max_as_maximum_at() -> None:
    rng = np.random.default_rng(7)
    owners = np.sort(rng.integers(0, 9, size=40))
    values = rng.random(40).astype(np.float32)
    expected = np.zeros(12, dtype=np.float32)
    np.maximum.at(expected, owners, values)
    assert np.array_equal(Segments(owners, 12).max(values), expected)
    shuffled = rng.permutation(40)
    assert np.array_equal(Segments(owners[shuffled], 12).max(values[shuffled]), expected)


def test_one_walk_gives_tokens_and_groups(kb: KnowledgeBase) -> None:
    for question in [q.q for q in load_questions()[:200]]:
        tokens, groups, _ = query_analysis(question, kb._speller.correct)
        assert tokens == query_tokens(question, kb._speller.correct)
        assert groups == query_groups(question, kb._speller.correct)


def test_top_k_scores_as_the_complete_ones(kb: KnowledgeBase) -> None:
    """analyse() computes dense_item only for the articles that may be among the k best
    (plumberforce.knowledge.topk): their scores, bit for bit, and their order are the complete
    computation's."""
    for question in [q.q for q in load_questions()[:300]]:
        complete = kb._hits(kb._score(question).scores, 10)
        for k in (1, 3, 10):
            top = kb._hits(kb._score(question, k).scores, k)
            assert [(h.article.id, np.float32(h.score).tobytes()) for h in top] == [
                (h.article.id, np.float32(h.score).tobytes()) for h in complete[:k]
            ], question


def test_the_lexicon_finds_each_text_s_own_words_whatever_it_read_before() -> None:
    lexicon = Lexicon.load()
    texts = ["how do i bulkify an apex trigger", "power bi dashboard refresh", "how do i bulkify an apex trigger"]
    for text in texts:
        fresh = tuple(frozenset(p.findall(text)) for p in (lexicon.salesforce, lexicon.related, lexicon.elsewhere))
        assert lexicon.found(text) == fresh and lexicon.counts(text) == tuple(len(w) for w in fresh)


def test_one_text_embedded_as_a_batch_of_one(kb: KnowledgeBase) -> None:
    embedder = kb._embedder
    texts = [q.q for q in load_questions()[:300]] + ["", " ", "?", "a", "x" * 500]
    for text in texts:
        assert embedder.embed_one(text).tobytes() == embedder.embed([text])[0].tobytes(), text
    assert isinstance(pickle.loads(pickle.dumps(embedder)), Embedder)


def test_rows_scaled_in_one_pass_as_one_by_one() -> None:
    rows = np.array([[0.5, 2.0, 1.5], [0.0, 0.0, 0.0], [3.0, 0.1, 0.7], [-1.0, -2.0, 0.0]], dtype=np.float32)
    fast = scaled_rows(rows)
    assert fast.dtype == np.float32
    assert all(fast[i].tobytes() == scaled(row).tobytes() for i, row in enumerate(rows))


def test_the_asking_sentence_scored_with_the_question_s_analyses(kb: KnowledgeBase) -> None:
    """_score() hands the asking sentence the tokens and BM25 the whole question's scoring made of
    the same texts (_Texts): its features are those of the sentence scored afresh."""
    checked = 0
    for question in [q.q for q in load_questions()[:300]]:
        texts = _Texts(kb)
        own = kb._features(question, texts)
        if own.sentence == own.text:
            continue
        shared, fresh = kb._features(own.sentence, texts), kb._features(own.sentence)
        assert shared.tokens == fresh.tokens and shared.features.tobytes() == fresh.features.tobytes()
        checked += 1
    assert checked > 50
