"""Plumberforce: a Salesforce technical assistant (the Space backend)."""

__version__ = "0.1.0"
