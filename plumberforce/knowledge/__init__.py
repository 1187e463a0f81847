"""The built-in Salesforce knowledge base: articles, retrieval, topicality and false premises."""

from plumberforce.knowledge.articles import Article, ArticleError, CodeBlock, Fact, Review, Source, load_articles
from plumberforce.knowledge.index import Hit, KnowledgeBase, PassageHit, Verdict
from plumberforce.knowledge.passages import Passage
from plumberforce.knowledge.premises import correction_message
from plumberforce.knowledge.topicality import redirect_message

__all__ = [
    "Article",
    "ArticleError",
    "CodeBlock",
    "Fact",
    "Hit",
    "KnowledgeBase",
    "Passage",
    "PassageHit",
    "Review",
    "Source",
    "Verdict",
    "correction_message",
    "load_articles",
    "redirect_message",
]
