"""Pasted Salesforce errors find the article that explains them (issue 3, item 2)."""

from __future__ import annotations

import pytest

from plumberforce.knowledge import KnowledgeBase
from plumberforce.knowledge.error_lookup import normalise

ERRORS = [
    ("System.LimitException: Too many SOQL queries: 101", {"governor-limits", "trigger-bulkification"}),
    ("MIXED_DML_OPERATION", {"mixed-dml"}),
    ("UNABLE_TO_LOCK_ROW", {"record-locking"}),
    ("Apex CPU time limit exceeded", {"apex-cpu-time-limit"}),
    ("You have uncommitted work pending", {"callout-after-dml"}),
    ("System.NullPointerException: Attempt to de-reference a null object", {"null-pointer-exception"}),
]


@pytest.mark.parametrize(("error", "articles"), ERRORS)
def test_the_six_errors_of_the_issue(kb: KnowledgeBase, error: str, articles: set[str]) -> None:
    assert kb.search(error)[0].article.id in articles
    verdict = kb.analyse(error)
    assert verdict.kind == "on_topic"
    assert verdict.hits[0].article.id in articles


@pytest.mark.parametrize(("error", "articles"), ERRORS)
def test_errors_pasted_with_noise_and_in_italian(kb: KnowledgeBase, error: str, articles: set[str]) -> None:
    pasted = (
        f"ciao, mi esce questo errore: {error}\n"
        "Class.Acme_OrderService.sync: line 118, column 1\nTrigger.OrderTrigger: line 7, column 1\ncome lo risolvo?"
    )
    assert kb.search(pasted)[0].article.id in articles


def test_the_full_messages_with_other_ids_names_and_counts(kb: KnowledgeBase) -> None:
    cases = {
        "System.DmlException: Update failed. First exception on row 0 with id 0035g00000ZzYyXAAV; first error: "
        "UNABLE_TO_LOCK_ROW, unable to obtain exclusive access to this record or 3 records: []": "record-locking",
        "Update failed. MIXED_DML_OPERATION, DML operation on setup object is not permitted after you have "
        "updated a non-setup object (or vice versa): PermissionSetAssignment, original object: Contact": "mixed-dml",
        "Compiled formula is too big to execute (12,402 characters). Maximum size is 5,000 characters.": (
            "formula-fields"
        ),
        "System.LimitException: Apex heap size too large: 6291600": "heap-size-limit",
        "System.CalloutException: Methods defined as TestMethod do not support Web service callouts": (
            "http-callout-mock"
        ),
        "Didn't understand relationship 'Line_Items__c' in FROM part of query call. If you are attempting to use a "
        "custom relationship, be sure to append the '__r' after the custom relationship name.": "soql-relationships",
    }
    for error, article in cases.items():
        assert kb.search(error)[0].article.id == article, error


def test_normalise_drops_what_changes_between_pastes() -> None:
    a = normalise("Too many SOQL queries: 101\nClass.Foo.bar: line 27, column 1 on 0015g00000XyZabAAB")
    b = normalise("too many soql queries: 151   Class.Other.baz: line 3, column 9 on 001000000000001AAA")
    assert a == b == ["too", "many", "soql", "queries", "#", "on", "id"]
    assert normalise("Didn't understand relationship 'Foo__c'") == ["didnt", "understand", "relationship", "q"]
