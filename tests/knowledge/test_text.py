"""The tokenizer: stems per language, collisions kept apart, synonyms, identifiers, typos."""

from __future__ import annotations

from plumberforce.knowledge import KnowledgeBase
from plumberforce.knowledge.index import query_tokens
from plumberforce.knowledge.text import fold, tokenize


def test_finalizer_and_finally_do_not_meet() -> None:
    assert set(tokenize("Finalizer", "en")).isdisjoint(tokenize("finally", "en"))
    assert "finalizer" in tokenize("i Finalizer dei queueable", "it")


def test_italian_words_meet_english_ones() -> None:
    assert "loop" in tokenize("ciclo", "it")
    assert "limit" in tokenize("limiti", "it")
    assert set(tokenize("schedule", "en")) & set(tokenize("pianificare", "it"))
    assert set(tokenize("lifecycle hook", "en")) & set(tokenize("ciclo di vita", "it"))


def test_identifiers_are_split_and_kept_whole() -> None:
    tokens = tokenize("System.LimitException MIXED_DML_OPERATION", "en")
    assert {"system.limitexception", "system", "limit", "mixed_dml_operation", "dml", "oper"} <= set(tokens)


def test_comparisons_and_phrases_get_their_own_tokens() -> None:
    assert set(tokenize("Flow or Apex?", "en")) & set(tokenize("Apex vs Flow", "en"))
    assert "withoutsharing" in tokenize("a class without sharing", "en")
    assert "1000000" in tokenize("1,000,000 rows", "en") and "40000" in tokenize("40mila record", "it")


def test_accents_are_folded() -> None:
    assert fold("perché è così") == "perche e cosi"


def test_typos_are_corrected_towards_article_vocabulary(kb: KnowledgeBase) -> None:
    assert "trigger" in query_tokens("come bulkifico un trigegr?", kb._speller.correct)
    assert kb.search("queuable chaining with a finalizer")[0].article.id == "queueable-apex"
    assert kb._speller.correct("indirizzo") is None  # an ordinary word the articles do not use


def test_the_vocabulary_s_own_words_are_never_corrected(kb: KnowledgeBase) -> None:
    # "condivido" is one edit from the articles' "condiviso" but vocabulary.yaml reads it as sharing
    assert kb._speller.correct("condivido") is None
    assert "sharing" in query_tokens("Come condivido un report?", kb._speller.correct)
    assert kb.search("Come condivido un report?", k=1)[0].article.id == "dashboards-running-user"


def test_finally_and_finalizer_questions_find_different_articles(kb: KnowledgeBase) -> None:
    assert kb.search("does the finally block run after a return in apex?")[0].article.id == "apex-exception-handling"
    assert kb.search("come uso un Finalizer per riaccodare un job fallito?")[0].article.id == "queueable-apex"
