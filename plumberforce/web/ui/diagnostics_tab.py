"""The Diagnostics tab: figures, latency percentiles, errors and a latency plot, refreshed on a
timer (every 5 s while the tab is open) without reloading the page, in the UI's language.

The plot's time axis is "minutes ago" (relative to the server's clock when it is drawn), so it
never depends on the browser's time zone or on a 12-hour clock.
"""

from __future__ import annotations

import time

import gradio as gr
import pandas as pd

from plumberforce.ops import analytics
from plumberforce.ops.diagnostics import ReachabilityProbe, snapshot
from plumberforce.stores.location import StorageInfo
from plumberforce.web.runtime import Runtime
from plumberforce.web.ui.handler_errors import gradio_errors
from plumberforce.web.ui.texts import Translator, columns, text

REFRESH_SECONDS = 5
PLOT_MINUTES = 60


def figures_markdown(snap: dict, lang: str | None) -> str:
    engine = snap["engine"]
    remote = snap["remote"]
    reach = {True: "✅ " + text("dg_reachable", lang), False: "❌ " + text("dg_unreachable", lang), None: "—"}
    cache = snap["cache"]
    ratio = f"{cache['hit_ratio']:.0%}" if cache["hit_ratio"] is not None else "—"
    proc = snap["process"]
    cache_line = text(
        "dg_cache_line", lang, entries=cache["entries"], ratio=ratio, hits=cache["hits"], misses=cache["misses"]
    )
    rows = [
        ("dg_replica", f"`{snap['replica']}`"),
        ("dg_uptime", f"{snap['uptime_s']:.0f} s"),
        ("dg_memory", f"{proc['rss_mb']} MB"),
        ("dg_cpu", f"{proc['cpu_percent']:.1f} %"),
        ("dg_engine", f"`{engine['kind']}` / `{engine['model']}`"),
        ("dg_storage", storage_line(snap["storage"], lang)),
        ("dg_remote", remote_line(remote, reach, lang)),
        ("dg_conversations", str(snap["conversations"])),
        ("dg_chats", f"{snap['chats_running']} / {snap['queue_length']}"),
        ("dg_cache", cache_line),
        ("dg_requests", f"{snap['totals'].get('total', 0)} / {snap['window']['requests']}"),
    ]
    head = [f"| {text('dg_figure', lang)} | {text('dg_value', lang)} |", "|---|---|"]
    return "\n".join(head + [f"| {text(key, lang)} | {value} |" for key, value in rows])


def remote_line(remote: dict, reach: dict, lang: str | None) -> str:
    if remote["reachable"] is None:
        return "— (" + text("dg_no_remote", lang) + ")"
    return f"{reach[remote['reachable']]} ({remote['detail']})"


def storage_line(storage: dict, lang: str | None = "en") -> str:
    kept = text("dg_persistent", lang) if storage["persistent"] else f"**{text('dg_not_persistent', lang)}**"
    return f"`{storage['kind']}` {storage['where']} ({kept})"


def storage_banner(snap: dict, lang: str | None) -> dict:
    """A visible warning when a store is down, or the data does not survive a restart."""
    storage = snap["storage"]
    lines = [text("dg_" + p["code"], lang, where=storage["where"]) for p in snap.get("problems", [])]
    if not storage["persistent"]:
        info = StorageInfo(storage["kind"], False, storage["where"], storage.get("mount", "/data"))
        lines.append(info.warning(lang or "en") or "")
    if not lines:
        return gr.update(value="", visible=False)
    return gr.update(value="\n\n".join(f"> ⚠️ {line}" for line in lines), visible=True)


def errors_markdown(snap: dict, lang: str | None) -> str:
    errors = snap["totals"].get("errors", {})
    if not errors:
        return text("dg_no_errors", lang)
    frame = columns(pd.DataFrame({"kind": list(errors), "count": list(errors.values())}), lang)
    head = "| " + " | ".join(frame.columns) + " |\n|---|---:|"
    return head + "".join(f"\n| `{kind}` | {count} |" for kind, count in errors.items())


def latency_table(snap: dict, lang: str | None) -> pd.DataFrame:
    table = analytics.latency_table(snap["window"])
    table["engine"] = table["engine"].replace({"all": text("dg_all", lang)})
    return columns(table, lang)


def latency_plot_frame(frame: pd.DataFrame, now: float | None = None) -> pd.DataFrame:
    """Latency of the requests of the last hour against minutes ago (0 = now)."""
    now = time.time() if now is None else now
    if frame.empty:
        return pd.DataFrame({"minutes_ago": pd.Series(dtype=float), "latency_ms": [], "engine": []})
    recent = frame[frame["ts"] >= now - PLOT_MINUTES * 60].tail(500)
    return pd.DataFrame(
        {
            "minutes_ago": ((recent["ts"] - now) / 60).round(2),
            "latency_ms": recent["latency_ms"].round(1),  # the axis shows a lone value as it is
            "engine": recent["engine"],
        }
    )


def build_diagnostics_tab(
    runtime: Runtime, tab: gr.Tab, other_tabs: list[gr.Tab], tr: Translator, lang: gr.Radio
) -> None:
    probe = ReachabilityProbe(runtime)
    timer = gr.Timer(REFRESH_SECONDS, active=False)
    banner = gr.Markdown(visible=False, elem_id="pf-dg-storage")
    with gr.Row():
        with gr.Column(scale=3):
            figures = gr.Markdown(elem_id="pf-dg-figures")
            refresh = tr(gr.Button(text("dg_refresh"), size="sm", elem_id="pf-dg-refresh"), value="dg_refresh")
        with gr.Column(scale=2):
            tr(gr.Markdown(f"**{text('dg_errors')}**"), value=lambda choice: f"**{text('dg_errors', choice)}**")
            errors = gr.Markdown(elem_id="pf-dg-errors")
    latency = tr(
        gr.Dataframe(label=text("dg_latency"), interactive=False, wrap=True, elem_id="pf-dg-latency"),
        label="dg_latency",
    )
    plot = tr(
        gr.ScatterPlot(
            x="minutes_ago",
            y="latency_ms",
            color="engine",
            x_lim=[-PLOT_MINUTES, 0],
            label=text("dg_plot"),
            x_title=text("dg_minutes_ago"),
            y_title=text("dg_latency_ms"),
            color_title=text("dg_engine_legend"),
            elem_id="pf-dg-plot",
        ),
        label="dg_plot",
        x_title="dg_minutes_ago",
        y_title="dg_latency_ms",
        color_title="dg_engine_legend",
    )

    @gradio_errors
    async def load(choice: str | None):
        snap = await snapshot(runtime, probe)
        return (
            storage_banner(snap, choice),
            figures_markdown(snap, choice),
            latency_table(snap, choice),
            errors_markdown(snap, choice),
            latency_plot_frame(snap["frame"]),
        )

    outputs = [banner, figures, latency, errors, plot]
    private = dict(api_visibility="private")
    timer.tick(load, [lang], outputs, api_name="ui_diagnostics_tick", show_progress="hidden", **private)
    refresh.click(load, [lang], outputs, api_name="ui_diagnostics_refresh", **private)
    tab.select(load, [lang], outputs, api_name="ui_diagnostics_load", **private).then(
        lambda: gr.Timer(active=True), None, timer, api_name="ui_diagnostics_on", **private
    )
    for i, other in enumerate(other_tabs):
        other.select(lambda: gr.Timer(active=False), None, timer, api_name=f"ui_diagnostics_off_{i}", **private)
