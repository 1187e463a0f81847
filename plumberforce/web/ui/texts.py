"""The words of the user interface, in English and Italian (``texts.yaml``).

The language comes from the browser (``navigator.language``) the first time, then from the
selector at the top of the page, and is remembered in localStorage. Gradio's own ``gr.I18n``
does not apply custom translations in Gradio 6.31 (gradio-app/gradio#12542), so components are
created in English and registered with a :class:`Translator`, which produces the updates that
switch them to the chosen language. Handlers that build content (tables, badges, messages) take
the language as an input and use :func:`text` and :func:`columns`.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

import gradio as gr
import pandas as pd
import yaml

LANGUAGES = [("English", "en"), ("Italiano", "it")]
DETECT_JS = """(stored) => {
  if (stored === "en" || stored === "it") return [stored];
  const lang = (navigator.language || "en").toLowerCase();
  return [lang.startsWith("it") ? "it" : "en"];
}"""


@cache
def _words() -> dict[str, Any]:
    return yaml.safe_load((Path(__file__).with_name("texts.yaml")).read_text(encoding="utf-8"))


def lang_of(choice: str | None) -> str:
    return "it" if choice == "it" else "en"


def text(key: str, lang: str | None = "en", **values: object) -> str:
    """The text ``key`` in ``lang`` (English when the language is unknown), filled with ``values``."""
    words = _words()[lang_of(lang)]
    phrase = words[key]
    return phrase.format(**values) if values else phrase


def examples(lang: str | None) -> list[str]:
    return list(_words()[f"examples_{lang_of(lang)}"])


def columns(frame: pd.DataFrame, lang: str | None) -> pd.DataFrame:
    """``frame`` with its column headers in ``lang``."""
    names = _words()[f"columns_{lang_of(lang)}"]
    return frame.rename(columns={c: names.get(c, c) for c in frame.columns})


Value = str | Callable[[str], Any]


class Translator:
    """Components and which of their attributes show which text (a key of texts.yaml, or a
    function of the language for values that are not one text, such as example lists)."""

    def __init__(self) -> None:
        self.entries: list[tuple[Any, dict[str, Value]]] = []

    def __call__(self, component: Any, **attributes: Value) -> Any:
        """Register ``component`` (e.g. ``label="fb_rating"``) and return it."""
        self.entries.append((component, attributes))
        return component

    @property
    def components(self) -> list[Any]:
        return [component for component, _ in self.entries]

    def updates(self, lang: str) -> list[dict[str, Any]]:
        return [
            gr.update(**{attr: value(lang) if callable(value) else text(value, lang) for attr, value in attrs.items()})
            for _, attrs in self.entries
        ]
