"""The built-in Salesforce knowledge base and its retrieval index."""

from plumberforce.knowledge.articles import Article, ArticleError, Source, load_articles
from plumberforce.knowledge.index import Hit, KnowledgeBase

__all__ = ["Article", "ArticleError", "Hit", "KnowledgeBase", "Source", "load_articles"]
