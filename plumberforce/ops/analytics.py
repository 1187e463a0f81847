"""Summaries computed with pandas: pure functions, DataFrame in, DataFrame or dict out."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import asdict
from typing import Any

import pandas as pd

from plumberforce.stores.records import FEEDBACK_COLUMNS, FeedbackRecord, RequestRecord

RATINGS = [1, 2, 3, 4, 5]


def records_frame(records: Sequence[FeedbackRecord]) -> pd.DataFrame:
    """Feedback records as a DataFrame with the columns of :data:`FEEDBACK_COLUMNS`."""
    frame = pd.DataFrame([asdict(r) for r in records], columns=FEEDBACK_COLUMNS)
    frame["rating"] = frame["rating"].astype("Int64")
    return frame


def _num(value: Any, digits: int = 3) -> float | None:
    """A JSON-friendly number (None for NaN)."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return None
    return round(float(value), digits)


def _group(frame: pd.DataFrame, column: str) -> list[dict[str, Any]]:
    """Per value of ``column``: records, ratings, mean rating, thumbs up and down."""
    if frame.empty:
        return []
    data = frame.assign(
        key=frame[column].fillna("(none)"),
        up=(frame["thumb"] == "up").astype(int),
        down=(frame["thumb"] == "down").astype(int),
        rated=frame["rating"].notna().astype(int),
        rating_f=frame["rating"].astype("Float64"),
    )
    grouped = data.groupby("key", sort=True).agg(
        count=("message_id", "size"),
        ratings=("rated", "sum"),
        mean=("rating_f", "mean"),
        up=("up", "sum"),
        down=("down", "sum"),
    )
    return [
        {
            column: key,
            "count": int(r["count"]),
            "ratings": int(r["ratings"]),
            "mean": _num(r["mean"]),
            "up": int(r["up"]),
            "down": int(r["down"]),
        }
        for key, r in grouped.iterrows()
    ]


def feedback_summary(frame: pd.DataFrame) -> dict[str, Any]:
    """count, mean, distribution 1-5, thumbs, by engine, by topic, per day (UTC)."""
    ratings = frame["rating"].dropna().astype(int)
    distribution = ratings.value_counts().reindex(RATINGS, fill_value=0)
    per_day: list[dict[str, Any]] = []
    if not frame.empty:
        days = frame.assign(
            day=pd.to_datetime(frame["updated"], unit="s", utc=True).dt.strftime("%Y-%m-%d"),
            rating_f=frame["rating"].astype("Float64"),
        )
        daily = days.groupby("day").agg(count=("message_id", "size"), mean=("rating_f", "mean"))
        per_day = [{"day": day, "count": int(r["count"]), "mean": _num(r["mean"])} for day, r in daily.iterrows()]
    return {
        "count": int(len(frame)),
        "ratings": int(len(ratings)),
        "mean": _num(ratings.mean()) if len(ratings) else None,
        "distribution": {str(k): int(v) for k, v in distribution.items()},
        "thumbs": {"up": int((frame["thumb"] == "up").sum()), "down": int((frame["thumb"] == "down").sum())},
        "by_engine": _group(frame, "engine"),
        "by_topic": _group(frame, "topic"),
        "per_day": per_day,
    }


def lowest_rated(frame: pd.DataFrame, n: int = 10) -> pd.DataFrame:
    """The ``n`` worst answers (lowest rating, then thumbs down), newest first among equals."""
    if frame.empty:
        return pd.DataFrame(columns=["rating", "thumb", "question", "answer", "comment", "engine", "topic", "updated"])
    score = frame["rating"].astype("Float64").fillna(frame["thumb"].map({"down": 1.5, "up": 4.5}))
    worst = frame.assign(score=score).dropna(subset=["score"])
    worst = worst.sort_values(["score", "updated"], ascending=[True, False]).head(n)
    worst = worst.assign(answer=worst["answer"].str.slice(0, 300))
    return worst[["rating", "thumb", "question", "answer", "comment", "engine", "topic", "updated"]].reset_index(
        drop=True
    )


def _scores(frame: pd.DataFrame) -> pd.Series:
    """One score per record: the rating, or 1.5 for a thumb down and 4.5 for a thumb up."""
    return frame["rating"].astype("Float64").fillna(frame["thumb"].map({"down": 1.5, "up": 4.5}))


def lowest_rated_articles(frame: pd.DataFrame, titles: dict[str, str], n: int = 10) -> pd.DataFrame:
    """Knowledge-base articles by their answers' mean score (see :func:`_scores`), worst first:
    what to improve next. Only answers built on an article and rated count."""
    out_columns = ["article", "title", "ratings", "mean", "down"]
    if frame.empty or "article" not in frame:
        return pd.DataFrame(columns=out_columns)
    rated = frame.assign(score=_scores(frame)).dropna(subset=["score", "article"])
    if rated.empty:
        return pd.DataFrame(columns=out_columns)
    grouped = rated.groupby("article").agg(
        ratings=("score", "size"), mean=("score", "mean"), down=("thumb", lambda t: int((t == "down").sum()))
    )
    grouped = grouped.reset_index().sort_values(["mean", "down", "ratings"], ascending=[True, False, False]).head(n)
    grouped["mean"] = grouped["mean"].astype(float).round(2)
    grouped.insert(1, "title", grouped["article"].map(lambda a: titles.get(a, a)))
    return grouped[out_columns].reset_index(drop=True)


def requests_frame(records: Sequence[RequestRecord]) -> pd.DataFrame:
    columns = list(RequestRecord.__dataclass_fields__)
    return pd.DataFrame([asdict(r) for r in records], columns=columns)


def _percentiles(series: pd.Series) -> dict[str, float | None]:
    series = series.dropna()
    if series.empty:
        return {"p50": None, "p95": None, "p99": None}
    q = series.quantile([0.5, 0.95, 0.99])
    return {"p50": _num(q[0.5], 1), "p95": _num(q[0.95], 1), "p99": _num(q[0.99], 1)}


def request_summary(frame: pd.DataFrame) -> dict[str, Any]:
    """Latency and time-to-first-chunk percentiles overall and per engine, outcomes, cache."""
    if frame.empty:
        return {
            "requests": 0,
            "latency_ms": _percentiles(pd.Series(dtype=float)),
            "ttft_ms": _percentiles(pd.Series(dtype=float)),
            "by_engine": [],
            "outcomes": {},
            "cache_hit_ratio": None,
        }
    by_engine = [
        {
            "engine": engine,
            "requests": int(len(group)),
            "latency_ms": _percentiles(group["latency_ms"]),
            "ttft_ms": _percentiles(group["ttft_ms"]),
        }
        for engine, group in frame.groupby("engine", sort=True)
    ]
    return {
        "requests": int(len(frame)),
        "latency_ms": _percentiles(frame["latency_ms"]),
        "ttft_ms": _percentiles(frame["ttft_ms"]),
        "by_engine": by_engine,
        "outcomes": {k: int(v) for k, v in frame["outcome"].value_counts().sort_index().items()},
        "cache_hit_ratio": _num(frame["cached"].mean()),
    }


def latency_table(summary: dict[str, Any]) -> pd.DataFrame:
    """One row per engine (and "all"): requests and p50/p95/p99 of latency and first chunk."""
    rows = [("all", summary["requests"], summary["latency_ms"], summary["ttft_ms"])]
    rows += [(e["engine"], e["requests"], e["latency_ms"], e["ttft_ms"]) for e in summary["by_engine"]]
    return pd.DataFrame(
        [
            {
                "engine": name,
                "requests": n,
                "latency p50": lat["p50"],
                "latency p95": lat["p95"],
                "latency p99": lat["p99"],
                "first chunk p50": ttft["p50"],
                "first chunk p95": ttft["p95"],
                "first chunk p99": ttft["p99"],
            }
            for name, n, lat, ttft in rows
        ]
    )
