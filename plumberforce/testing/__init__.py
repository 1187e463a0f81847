"""Test helpers shipped with Plumberforce (the OpenAI-compatible LLM test server lives here)."""
