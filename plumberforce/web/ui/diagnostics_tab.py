"""The Diagnostics tab: figures, latency percentiles, errors and a latency plot, refreshed on a
timer (every 5 s while the tab is open) without reloading the page."""

from __future__ import annotations

import gradio as gr
import pandas as pd

from plumberforce.ops import analytics
from plumberforce.ops.diagnostics import ReachabilityProbe, snapshot
from plumberforce.stores.location import StorageInfo
from plumberforce.web.runtime import Runtime
from plumberforce.web.ui.handler_errors import gradio_errors
from plumberforce.web.ui.texts import Translator, text

REFRESH_SECONDS = 5


def figures_markdown(snap: dict) -> str:
    engine = snap["engine"]
    remote = snap["remote"]
    reach = {True: "✅ reachable", False: "❌ unreachable", None: "—"}[remote["reachable"]]
    cache = snap["cache"]
    ratio = f"{cache['hit_ratio']:.0%}" if cache["hit_ratio"] is not None else "—"
    proc = snap["process"]
    return "\n".join(
        [
            "| | |",
            "|---|---|",
            f"| uptime | {snap['uptime_s']:.0f} s |",
            f"| memory (RSS) | {proc['rss_mb']} MB |",
            f"| CPU | {proc['cpu_percent']:.1f} % |",
            f"| engine / model | `{engine['kind']}` / `{engine['model']}` |",
            f"| storage | {storage_line(snap['storage'])} |",
            f"| remote server | {reach} ({remote['detail']}) |",
            f"| active conversations | {snap['conversations']} |",
            f"| chats running / queued | {snap['chats_running']} / {snap['queue_length']} |",
            f"| answer cache | {cache['entries']} entries, hit ratio {ratio} "
            f"({cache['hits']} hits, {cache['misses']} misses) |",
            f"| requests (all time / window) | {snap['totals'].get('total', 0)} / {snap['window']['requests']} |",
        ]
    )


def storage_line(storage: dict) -> str:
    kept = "persistent" if storage["persistent"] else "**not persistent**"
    return f"`{storage['kind']}` {storage['where']} ({kept})"


def storage_banner(storage: dict, lang: str | None) -> gr.Markdown:
    """A visible warning when the data does not survive a restart (see stores/location.py)."""
    if storage["persistent"]:
        return gr.Markdown(value="", visible=False)
    info = StorageInfo(storage["kind"], False, storage["where"], storage.get("mount", "/data"))
    return gr.Markdown(value=f"> ⚠️ {info.warning(lang or 'en')}", visible=True)


def errors_table(snap: dict) -> pd.DataFrame:
    errors = snap["totals"].get("errors", {})
    return pd.DataFrame({"kind": list(errors), "count": list(errors.values())}, columns=["kind", "count"])


def latency_plot_frame(frame: pd.DataFrame) -> pd.DataFrame:
    if frame.empty:
        return pd.DataFrame({"time": pd.Series(dtype="datetime64[ns]"), "latency_ms": [], "engine": []})
    return pd.DataFrame(
        {"time": pd.to_datetime(frame["ts"], unit="s"), "latency_ms": frame["latency_ms"], "engine": frame["engine"]}
    ).tail(500)


def build_diagnostics_tab(
    runtime: Runtime, tab: gr.Tab, other_tabs: list[gr.Tab], tr: Translator, lang: gr.BrowserState
) -> None:
    probe = ReachabilityProbe(runtime)
    timer = gr.Timer(REFRESH_SECONDS, active=False)
    banner = gr.Markdown(visible=False, elem_id="pf-dg-storage")
    with gr.Row():
        with gr.Column(scale=2):
            figures = gr.Markdown(elem_id="pf-dg-figures")
            refresh = tr(gr.Button(text("dg_refresh"), size="sm", elem_id="pf-dg-refresh"), value="dg_refresh")
        with gr.Column(scale=3):
            latency = tr(
                gr.Dataframe(label=text("dg_latency"), interactive=False, elem_id="pf-dg-latency"), label="dg_latency"
            )
            errors = tr(
                gr.Dataframe(label=text("dg_errors"), interactive=False, elem_id="pf-dg-errors"), label="dg_errors"
            )
    plot = tr(
        gr.LinePlot(x="time", y="latency_ms", color="engine", label=text("dg_plot"), elem_id="pf-dg-plot"),
        label="dg_plot",
    )

    @gradio_errors
    async def load(choice: str | None):
        snap = await snapshot(runtime, probe)
        return (
            storage_banner(snap["storage"], choice),
            figures_markdown(snap),
            analytics.latency_table(snap["window"]),
            errors_table(snap),
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
