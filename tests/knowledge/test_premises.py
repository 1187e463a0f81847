"""False premises: the figure a question states wrongly comes back as a correction."""

from __future__ import annotations

import pytest

from plumberforce.knowledge import KnowledgeBase, correction_message
from plumberforce.knowledge.premises import parse_number

WRONG = [
    ("Confirm the SOQL limit is 1,000,000 per transaction", "100", "governor-limits"),
    ("è vero che posso fare 500 callout?", "100", None),
    ("The heap limit in synchronous Apex is 60 MB, right?", "6", None),
    ("Il limite di DML per transazione è 1.500, giusto?", "150", None),
    ("Is it true that a scratch org can last up to 90 days?", "30", "scratch-orgs"),
    ("Per il deploy basta il 50% di copertura, vero?", "75", None),
    ("a picklist can have max 500 values right?", "1000", "picklists-dependent-global-value-sets"),
    ("bulk api 2.0 lets us upload 100 million records per 24 hours, right?", "150000000", "bulk-api-2"),
    ("async apex is limited to 100,000 executions per 24 hours, correct?", "250000", None),
    ("The SOQL limit in a trigger is 102 queries, right?", "100", None),
    ("The heap limit in synchronous Apex is 7 MB, right?", "6", None),  # one past, but a size
    ("Is it 500 callouts per transaction?", "100", None),  # "is it" opening a question still claims
    # a figure reported as read, in either language, with no "right?" after it
    ("Ho letto che l'heap in Apex sincrono è 12 MB, quindi carico tutti i file in memoria", "6", None),
    ("I read that the synchronous Apex heap is 12 MB, so loading all the files is fine", "6", None),
    ("The coverage to deploy is 50%, is it?", "75", None),
    # "Import" in a tool's name is not a volume being imported
    ("Is the Data Import Wizard limit 250,000 records per file, right?", "50000", "data-loader"),
]
RIGHT = [
    "System.LimitException: Too many SOQL queries: 101",
    "Can a SOQL query return 50000 rows? That is the limit, right?",
    "In a Queueable I get 200 SOQL queries instead of 100, correct?",
    "Confermi che un trigger elabora i record in blocchi da 200?",
    "Compiled formula is too big to execute (5,873 characters). Maximum size is 5,000 characters.",
    "I have to load 40k records with Data Loader, how do I avoid lock errors?",
    "Is the async heap limit 12 MB?",
    # a version is not a figure, nor is the period a figure is counted over, nor a SOQL clause
    "bulk api 2.0 lets us upload 150 million records per 24 hours, right?",
    "async apex is limited to 250,000 executions per 24 hours, correct?",
    "my list pages with LIMIT 50 OFFSET x and after page 40 it throws NUMBER_OUTSIDE_VALID_RANGE, how do I page?",
    "With OAuth 2.0 is the JWT bearer flow allowed for an integration user, right?",
    # the count a limit exception reports (one past the limit) names the limit
    "How do I avoid hitting the SOQL 101 limit in a trigger?",
    "Come evito di superare il limite delle 151 DML nel trigger?",
    # a number of accounts counts records, not calls
    "Con il Data Loader carico 50.000 account e il trigger chiama un metodo @future per ogni record: come evito "
    "il limite delle chiamate future per transazione?",
    # a volume planned, a retry count, a number inside an identifier, a pasted log line
    "Is there a way to process 2 million Case rows in chunks of 400, each with its own limits?",
    "The callout retries up to 5 times and then writes a debug log entry, is that allowed?",
    "Querying Pricebook2 where IsStandard = true returns nothing in my test, is that the limit?",
    "*** Skipped 4000000 bytes of detailed log, is there a maximum I can raise?",
    # an HTTP status the other system sends, a debug log's usage line, a counter seen going up
    "The partner API returns a 429 when we call it too often: is there a limit on how fast Apex may retry?",
    "Debug log: Maximum CPU time: 10412 out of 10000, does the time of a callout count toward the limit?",
    "In execute() my counter keeps going up to 7 within the batch chunk but in finish() it is zero, is that the limit?",
    # how many things the question asks for
    "Quiz me: give me 4 questions about SOQL limits and then correct my answers",
    # code is not a claim ("SeeAllData=true"), nor is "is it" inside a sentence ("is IT followed by"), nor a
    # volume being imported
    "We are at 80% coverage and half the classes use SeeAllData=true: what should replace them?",
    "How do I check in Apex that a code is IT followed by 9 digits and pull the digits out?",
    "Quando importiamo 800 record il flow va in errore di limiti: come lo riscrivo?",
]


@pytest.mark.parametrize(("question", "value", "article"), WRONG)
def test_wrong_figures_are_corrected(kb: KnowledgeBase, question: str, value: str, article: str | None) -> None:
    verdict = kb.analyse(question)
    assert verdict.kind == "on_topic"
    assert value in [fact.value for fact in verdict.corrections]
    fact = next(f for f in verdict.corrections if f.value == value)
    assert value in fact.label.replace(",", "") and fact.label_for("it") == fact.label_it
    if article:
        assert verdict.hits[0].article.id == article


@pytest.mark.parametrize("question", RIGHT)
def test_right_figures_and_pasted_errors_are_not_false_alarms(kb: KnowledgeBase, question: str) -> None:
    assert kb.analyse(question).corrections == []


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("1,000,000", 1e6),
        ("1.000.000", 1e6),
        ("50k", 5e4),
        ("40mila", 4e4),
        ("67.0", 67.0),
        ("75%", 75.0),
        ("12,5", 12.5),
    ],
)
def test_parse_number(text: str, number: float) -> None:
    assert parse_number(text) == number


def test_a_stated_figure_lifts_its_article_clearly_first(kb: KnowledgeBase) -> None:
    hits = kb.analyse("Confirm the SOQL limit is 1,000,000 per transaction").hits
    # the margin is the fitted ranking's: 1.106 with the 14-feature weights, 1.08 after the refit
    # with passage_cover (four articles hold the SOQL limit; soql-vs-sosl's title names SOQL)
    assert hits[0].article.id == "governor-limits" and hits[0].score >= 1.05 * hits[1].score


def test_correction_message_states_the_right_figure(kb: KnowledgeBase) -> None:
    facts = kb.analyse("È vero che posso fare 500 callout?").corrections
    italian = correction_message(facts, "it")
    assert "correzione" in italian and "Callout per transazione: 100" in italian
    assert "Callouts per transaction: 100" in correction_message(facts, "en")
    assert correction_message([], "en") == ""
