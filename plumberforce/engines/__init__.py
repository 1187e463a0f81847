"""Engines: one async streaming interface (base), remote (huggingface_hub) and offline."""
