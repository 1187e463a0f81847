"""Durable stores, each a small class over one directory (diskcache by default)."""
