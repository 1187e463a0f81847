"""Helpers of the browser tests (fixtures are in conftest.py)."""

from __future__ import annotations

import time
from typing import Any


def wait_js(page: Any, expression: str, timeout: float) -> None:
    """Poll a condition in the page (page.wait_for_function evaluates strings, which the CSP forbids)."""
    deadline = time.monotonic() + timeout
    while not page.evaluate(expression):
        if time.monotonic() > deadline:
            raise AssertionError(f"not within {timeout}s: {expression}")
        page.wait_for_timeout(50)


def ask(page: Any, question: str, timeout: float = 40_000) -> Any:
    """Type a question, send it with Enter, wait for its answer; the answer's bubble."""
    done = page.locator(".msg-assistant[data-state=done]")
    before = done.count()
    page.fill("#question", question)
    page.press("#question", "Enter")
    done.nth(before).wait_for(timeout=timeout)
    return page.locator(".msg-assistant").last
