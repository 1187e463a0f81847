"""The Feedback tab: rate one of your recent answers; summary table, plots, lowest-rated answers."""

from __future__ import annotations

import gradio as gr
import pandas as pd

from plumberforce.errors import PlumberforceError
from plumberforce.ops import analytics
from plumberforce.web.runtime import Runtime
from plumberforce.web.ui.chat_tab import ChatTab
from plumberforce.web.ui.handler_errors import gradio_errors
from plumberforce.web.ui.texts import Translator, text

SNIPPET = 80


async def _choices(runtime: Runtime, client_id: str | None) -> list[tuple[str, str]]:
    """(label, message_id) of the client's answers, newest first."""
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


def summary_tables(frame: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """(summary table, distribution, per-day trend, lowest rated) for the tab."""
    summary = analytics.feedback_summary(frame)
    rows = [
        {
            "group": "all",
            "count": summary["count"],
            "ratings": summary["ratings"],
            "mean": summary["mean"],
            "up": summary["thumbs"]["up"],
            "down": summary["thumbs"]["down"],
        }
    ]
    rows += [
        {"group": f"engine: {g['engine']}", **{k: g[k] for k in ("count", "ratings", "mean", "up", "down")}}
        for g in summary["by_engine"]
    ]
    rows += [
        {"group": f"topic: {g['topic']}", **{k: g[k] for k in ("count", "ratings", "mean", "up", "down")}}
        for g in summary["by_topic"]
    ]
    distribution = pd.DataFrame(
        {"rating": [str(k) for k in summary["distribution"]], "count": list(summary["distribution"].values())}
    )
    trend = pd.DataFrame(summary["per_day"], columns=["day", "count", "mean"])
    lowest = analytics.lowest_rated(frame, 10)
    return pd.DataFrame(rows), distribution, trend, lowest


def build_feedback_tab(runtime: Runtime, chat: ChatTab, tab: gr.Tab, tr: Translator, lang: gr.BrowserState) -> None:
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
                gr.Dataframe(label=text("fb_summary"), interactive=False, elem_id="pf-fb-summary"), label="fb_summary"
            )
    with gr.Row():
        distribution = tr(
            gr.BarPlot(x="rating", y="count", label=text("fb_distribution"), elem_id="pf-fb-dist"),
            label="fb_distribution",
        )
        trend = tr(gr.LinePlot(x="day", y="mean", label=text("fb_trend"), elem_id="pf-fb-trend"), label="fb_trend")
    lowest = tr(
        gr.Dataframe(label=text("fb_lowest"), interactive=False, wrap=True, elem_id="pf-fb-lowest"), label="fb_lowest"
    )

    @gradio_errors
    async def load(client_id: str | None, choice: str):
        table, dist, per_day, worst = summary_tables(await runtime.ratings.frame())
        choices = await _choices(runtime, client_id)
        return (
            gr.Dropdown(choices=choices, value=choices[0][1] if choices else None),
            "" if choices else text("fb_none", choice),
            table,
            dist,
            per_day,
            worst,
        )

    @gradio_errors
    async def rate(client_id: str | None, message_id: str | None, stars: int | None, comment: str, choice: str):
        await runtime.ratings.submit(client_id, message_id, rating=stars, comment=comment)
        runtime.metrics.observe_feedback(stars, None)
        return (text("fb_thanks", choice), *summary_tables(await runtime.ratings.frame()))

    outputs = [answer, result, summary, distribution, trend, lowest]
    private = dict(api_visibility="private")
    tab.select(load, [chat.client_id, lang], outputs, api_name="ui_feedback_load", **private)
    refresh.click(load, [chat.client_id, lang], outputs, api_name="ui_feedback_refresh", **private)
    submit.click(
        rate,
        [chat.client_id, answer, rating, comment, lang],
        [result, summary, distribution, trend, lowest],
        api_name="ui_feedback_submit",
        **private,
    )
