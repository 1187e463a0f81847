"""The discriminative question model (the ``model`` ranking feature): deterministic, useful on an
overlap question, and kept in the index cache."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from plumberforce.knowledge import KnowledgeBase
from plumberforce.knowledge.cache import forget_loaded
from plumberforce.knowledge.classifier import Examples, QuestionModel, Vocabulary, neighbours
from plumberforce.knowledge.ranking import FEATURES

# a dev overlap question (evf-008): "Stub API" and "callout" name neighbouring articles
OVERLAP_QUESTION = "How do I fake the HTTP response in an Apex test? Not the Stub API, just the callout."
OVERLAP_ARTICLE = "http-callout-mock"


def _subset(kb: KnowledgeBase, articles: int) -> tuple[Vocabulary, Examples, np.ndarray]:
    """The model's training examples of the first ``articles`` articles, on a vocabulary of their own."""
    vocabulary = Vocabulary()
    names = {i: token for token, i in kb.model_vocabulary.ids.items()}
    keep = [i for i, label in enumerate(kb.model_examples.labels) if label < articles]
    examples = vocabulary.examples(
        ([names[int(t)] for t in kb.model_examples.rows[i]], kb.model_examples.labels[i]) for i in keep
    )
    return vocabulary, examples, neighbours(kb._ranker.vectors[:articles], 8)


def test_training_is_deterministic(kb: KnowledgeBase) -> None:
    vocabulary, examples, candidates = _subset(kb, 30)
    first = QuestionModel.fit(vocabulary, examples, candidates)
    second = QuestionModel.fit(vocabulary, examples, candidates)
    question = ["trigger", "batch", "size"]
    assert first.log_probs(question).tobytes() == second.log_probs(question).tobytes()
    assert np.array_equal(first._weights, second._weights)


def test_the_model_tells_an_overlap_question_s_article_apart(kb: KnowledgeBase) -> None:
    question = OVERLAP_QUESTION
    log_probs = kb._model.log_probs(kb.question_tokens(question))
    assert kb.articles[int(np.argmax(log_probs))].id == OVERLAP_ARTICLE
    features, _ = kb.features(question)
    assert np.array_equal(features[:, FEATURES.index("model")], log_probs)
    assert kb.search(question, k=1)[0].article.id == OVERLAP_ARTICLE


def test_the_cache_round_trips_the_model(tmp_path: Path) -> None:
    built = KnowledgeBase.load_cached(tmp_path)
    forget_loaded()
    loaded = KnowledgeBase.load_cached(tmp_path)
    assert loaded is not built
    tokens = built.question_tokens(OVERLAP_QUESTION)
    assert loaded._model.log_probs(tokens).tobytes() == built._model.log_probs(tokens).tobytes()
