"""The Feedback tab: rate one of your recent answers; a summary table, the distribution and the
per-day mean, the lowest-rated answers and the knowledge-base articles with the lowest ratings
(what to improve next), in the UI's language. Answers are shown as short plain-text snippets."""

from __future__ import annotations

import re

import gradio as gr
import pandas as pd

from plumberforce.errors import PlumberforceError
from plumberforce.ops import analytics
from plumberforce.web.runtime import Runtime
from plumberforce.web.ui.chat_tab import ChatTab
from plumberforce.web.ui.formatting import notice
from plumberforce.web.ui.texts import Translator, columns, lang_of, text

SNIPPET = 80
ANSWER_SNIPPET = 160
_MARKUP = re.compile(r"```.*?```|[#>*_`|\[\]]|\(https?://[^)]*\)", re.S)


def plain(markdown: str, limit: int = ANSWER_SNIPPET) -> str:
    """A one-line plain-text snippet of a Markdown answer (code blocks, marks and URLs removed)."""
    line = " ".join(_MARKUP.sub(" ", markdown).split())
    return line if len(line) <= limit else line[: limit - 1].rsplit(" ", 1)[0] + "…"


async def _choices(runtime: Runtime, client_id: str | None) -> list[tuple[str, str]]:
    """(label, message_id) of the client's answers in the current conversation, newest first."""
    if not client_id:
        return []
    try:
        history = await runtime.service.history(client_id)
    except PlumberforceError:
        return []
    pairs = []
    for question, answer in zip(history, history[1:], strict=False):
        if question.role == "user" and answer.role == "assistant":
            label = question.content.replace("\n", " ")
            pairs.append((label[:SNIPPET] + ("…" if len(label) > SNIPPET else ""), answer.message_id))
    return pairs[::-1][:50]


def summary_tables(frame: pd.DataFrame, lang: str | None, titles: dict[str, str]) -> tuple:
    """(summary table, distribution, per-day mean, lowest rated, lowest-rated articles)."""
    summary = analytics.feedback_summary(frame)
    keys = ("count", "ratings", "mean", "up", "down")
    rows = [{"group": text("fb_all", lang), "count": summary["count"], "ratings": summary["ratings"],
             "mean": summary["mean"], "up": summary["thumbs"]["up"], "down": summary["thumbs"]["down"]}]  # fmt: skip
    rows += [
        {"group": text("fb_engine", lang, value=g["engine"]), **{k: g[k] for k in keys}} for g in summary["by_engine"]
    ]
    rows += [
        {"group": text("fb_topic", lang, value=g["topic"]), **{k: g[k] for k in keys}} for g in summary["by_topic"]
    ]
    distribution = pd.DataFrame(
        {"rating": [str(k) for k in summary["distribution"]], "count": list(summary["distribution"].values())}
    )
    trend = pd.DataFrame(summary["per_day"], columns=["day", "count", "mean"])
    lowest = analytics.lowest_rated(frame, 10)
    lowest = lowest.assign(
        answer=lowest["answer"].map(plain),
        question=lowest["question"].map(lambda q: plain(q, 120)),
        thumb=lowest["thumb"].map({"up": "👍", "down": "👎"}),
    )
    lowest = lowest[["question", "comment", "rating", "thumb", "answer", "engine"]]
    articles = analytics.lowest_rated_articles(frame, titles)
    return (
        columns(pd.DataFrame(rows, columns=["group", *keys]), lang),
        distribution,
        gr.update(value=trend, visible=not trend.empty),  # an empty plot is an empty strip
        columns(lowest, lang),
        columns(articles, lang),
    )


def build_feedback_tab(runtime: Runtime, chat: ChatTab, tab: gr.Tab, tr: Translator, lang: gr.Radio) -> None:
    with gr.Row():
        with gr.Column(scale=2):
            answer = tr(gr.Dropdown(label=text("fb_pick"), choices=[], elem_id="pf-fb-answer"), label="fb_pick")
            rating = tr(gr.Radio([1, 2, 3, 4, 5], label=text("fb_rating"), elem_id="pf-fb-rating"), label="fb_rating")
            comment = tr(
                gr.Textbox(
                    label=text("fb_comment"),
                    lines=3,
                    max_length=runtime.settings.max_comment_chars,
                    elem_id="pf-fb-comment",
                ),
                label="fb_comment",
            )
            with gr.Row():
                submit = tr(gr.Button(text("fb_submit"), variant="primary", elem_id="pf-fb-submit"), value="fb_submit")
                refresh = tr(gr.Button(text("fb_refresh"), elem_id="pf-fb-refresh"), value="fb_refresh")
            result = gr.Markdown(elem_id="pf-fb-result")
        with gr.Column(scale=3):
            summary = tr(
                gr.Dataframe(label=text("fb_summary"), interactive=False, wrap=True, elem_id="pf-fb-summary"),
                label="fb_summary",
            )
    with gr.Row():
        distribution = tr(
            gr.BarPlot(
                x="rating",
                y="count",
                label=text("fb_distribution"),
                x_title=text("fb_axis_rating"),
                y_title=text("fb_axis_count"),
                y_axis_format="d",
                elem_id="pf-fb-dist",
            ),
            label="fb_distribution",
            x_title="fb_axis_rating",
            y_title="fb_axis_count",
        )
        trend = tr(
            gr.BarPlot(
                x="day",
                y="mean",
                label=text("fb_trend"),
                x_title=text("fb_axis_day"),
                y_title=text("fb_axis_mean"),
                y_lim=[0, 5],
                visible=False,
                elem_id="pf-fb-trend",
            ),
            label="fb_trend",
            x_title="fb_axis_day",
            y_title="fb_axis_mean",
        )
    lowest = tr(
        gr.Dataframe(
            label=text("fb_lowest"),
            interactive=False,
            wrap=True,
            column_widths=["26%", "18%", "8%", "8%", "30%", "10%"],
            elem_id="pf-fb-lowest",
        ),
        label="fb_lowest",
    )
    articles = tr(
        gr.Dataframe(label=text("fb_articles"), interactive=False, wrap=True, elem_id="pf-fb-articles"),
        label="fb_articles",
    )

    def titles(choice: str | None) -> dict[str, str]:
        kb = runtime.kb
        return {a.id: a.title_for(lang_of(choice)) for a in kb.articles} if kb else {}

    async def load(client_id: str | None, choice: str):
        try:
            tables = summary_tables(await runtime.ratings.frame(), choice, titles(choice))
        except PlumberforceError as exc:
            return (gr.update(), notice(exc.message(lang_of(choice))), *(gr.update(),) * 5)
        choices = await _choices(runtime, client_id)
        picked = gr.Dropdown(choices=choices, value=choices[0][1] if choices else None, label=text("fb_pick", choice))
        return (picked, "" if choices else text("fb_none", choice), *tables)

    async def rate(client_id: str | None, message_id: str | None, stars: int | None, comment: str, choice: str):
        try:
            await runtime.ratings.submit(client_id, message_id, rating=stars, comment=comment)
        except PlumberforceError as exc:
            return (notice(exc.message(lang_of(choice))), *(gr.update(),) * 5)
        runtime.metrics.observe_feedback(stars, None)
        return (text("fb_thanks", choice), *summary_tables(await runtime.ratings.frame(), choice, titles(choice)))

    outputs = [answer, result, summary, distribution, trend, lowest, articles]
    private = dict(api_visibility="private")
    tab.select(load, [chat.client_id, lang], outputs, api_name="ui_feedback_load", **private)
    refresh.click(load, [chat.client_id, lang], outputs, api_name="ui_feedback_refresh", **private)
    submit.click(
        rate,
        [chat.client_id, answer, rating, comment, lang],
        outputs[1:],
        api_name="ui_feedback_submit",
        **private,
    )
