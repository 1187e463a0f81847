"""Every knob of the Space, read from environment variables (and an optional ``.env`` file).

Our own variables are named ``PLUMBERFORCE_<FIELD>`` (``PLUMBERFORCE_MODEL``,
``PLUMBERFORCE_ENGINE``, ...); ``HF_TOKEN`` and ``PORT`` keep the names the ecosystem gives
them. One :class:`Settings` object is built at start-up and passed in explicitly; nothing else
reads ``os.environ``. A bad value stops start-up with a message that names the variable
(:func:`load_settings`).
"""

from __future__ import annotations

import re
import socket
from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

ENV_PREFIX = "PLUMBERFORCE_"
DEFAULT_MODEL = "mistralai/Mixtral-8x7B-Instruct-v0.1"


class Settings(BaseSettings):
    """Configuration of the Space backend. Field ``x`` is read from ``PLUMBERFORCE_X``."""

    model_config = SettingsConfigDict(
        env_prefix=ENV_PREFIX,
        env_file=".env",
        env_file_encoding="utf-8",
        extra="ignore",
        validate_default=True,
        populate_by_name=True,
    )

    # --- model ---------------------------------------------------------------------------
    engine: Literal["auto", "remote", "offline"] = Field(
        "auto",
        description="auto: remote when HF_TOKEN or a base URL is set, else the offline engine.",
    )
    model: str = Field(DEFAULT_MODEL, min_length=1, description="Model id on Inference Providers.")
    provider: str = Field("auto", min_length=1, description="Inference Provider, or 'auto'.")
    base_url: str | None = Field(None, description="Any OpenAI-compatible server (TGI, vLLM, ...).")
    hf_token: SecretStr | None = Field(None, validation_alias=AliasChoices("HF_TOKEN", "PLUMBERFORCE_HF_TOKEN"))
    max_new_tokens: int = Field(1024, ge=1, le=32768)
    temperature: float = Field(0.2, ge=0.0, le=2.0)
    request_timeout: float = Field(
        60.0, gt=0, le=600, description="Seconds to wait for the first chunk and between chunks."
    )
    stream_reader: Literal["fast", "hub"] = Field(
        "fast",
        description="Who reads the model's stream: fast (our own server-sent-events reader; huggingface_hub still "
        "builds the request) or hub (huggingface_hub's chat_completion and its chunk objects).",
    )
    retries: int = Field(2, ge=0, le=10, description="Retries on 429, 503 and timeouts.")
    retry_backoff: float = Field(1.0, ge=0, le=60, description="First backoff in seconds.")
    retry_max_wait: float = Field(20.0, ge=0, le=600, description="Cap on one wait (Retry-After).")

    # --- prompt and knowledge ------------------------------------------------------------
    history_budget_chars: int = Field(6000, ge=0, le=200_000)
    grounding_passages: int = Field(3, ge=0, le=10, description="Articles whose passages may ground the model.")
    grounding_chars: int = Field(
        4000, ge=0, le=100_000, description="Character budget of the grounding passages in the model's prompt."
    )
    max_question_chars: int = Field(4000, ge=1, le=100_000)
    offline_chunk_delay_ms: float = Field(
        8.0, ge=0, le=1000, description="Pause between chunks of an offline answer (streaming feel)."
    )

    # --- stores --------------------------------------------------------------------------
    data_dir: Path | None = Field(
        None,  # resolved by _default_data_dir: never None once the settings are built
        description="Where every store keeps its files. Default: <persistent_dir>/plumberforce on a Space "
        "with persistent storage, else ./data.",
    )
    index_dir: Path | None = Field(
        None,
        description="Where the built retrieval index is cached (default <data_dir>/index); several processes "
        "of one machine may share it: each file is named after the articles and the code it was built from.",
    )
    persistent_dir: Path = Field(
        Path("/data"), description="Where a Space's persistent storage is mounted (Hugging Face mounts it at /data)."
    )
    space_id: str | None = Field(
        None,
        validation_alias=AliasChoices("SPACE_ID", "PLUMBERFORCE_SPACE_ID"),
        description="Set by Hugging Face on a Space (user/name): the app is running on a Space.",
    )
    cache_ttl_seconds: int = Field(86_400, ge=0, description="0 disables the answer cache.")
    cache_size_mb: int = Field(256, ge=1, le=100_000)
    max_messages_per_client: int = Field(200, ge=2, le=10_000, description="Messages kept per conversation.")
    max_conversations_per_client: int = Field(
        50, ge=1, le=10_000, description="Conversations kept per client (the least recently used go first)."
    )
    conversation_idle_days: float = Field(30.0, gt=0, le=3650)
    max_comment_chars: int = Field(1000, ge=1, le=100_000)
    diagnostics_ring_size: int = Field(2000, ge=10, le=1_000_000, description="Requests kept for percentiles.")

    # --- shared stores (several replicas) ---------------------------------------------------
    redis_url: SecretStr | None = Field(
        None,
        description="redis:// or rediss:// URL: conversations, the answer cache, feedback and rate limits live "
        "in Redis, shared by every replica (unset: the embedded stores in the data directory).",
    )
    redis_password: SecretStr | None = Field(None, description="Redis password, when not in the URL.")
    redis_prefix: str = Field(
        "plumberforce:", min_length=1, max_length=64, description="Prefix of every Redis key (several apps, one Redis)."
    )
    redis_lease_seconds: float = Field(
        15.0,
        ge=1,
        le=600,
        description="A client's turn lock in Redis lapses this long after its replica died (renewed every third).",
    )
    replica_id: str = Field(
        default_factory=socket.gethostname,
        min_length=1,
        max_length=64,
        description="This replica's name in /metrics and /api/status (default: the host name).",
    )

    # --- serving -------------------------------------------------------------------------
    api_key: SecretStr | None = Field(None, description="When set, /api and /chat need it.")
    host: str = "0.0.0.0"
    port: int = Field(7860, ge=1, le=65535, validation_alias=AliasChoices("PORT", "PLUMBERFORCE_PORT"))
    stream_interval_ms: float = Field(
        50.0, ge=0, le=2000, description="Gradio streams send at most one update per interval (the first at once)."
    )
    stream_updates_per_second: float = Field(
        150.0, ge=0, description="Budget of Gradio stream updates per second, all chats together (0: no budget)."
    )
    sse_updates_per_second: float = Field(
        300.0,
        ge=0,
        description="Budget of REST server-sent events per second, all streams together: under load each "
        "stream's events carry more text (the first at once; 0: one event per chunk).",
    )
    model_reads_per_second: float = Field(
        500.0,
        ge=0,
        description="Budget of reads of the model's streams per second, all chats together: under load what the "
        "model sent meanwhile is read in one piece (the first at once; the end may come up to one pause later: "
        "0.4 s at 200 chats at once; 0: every network read).",
    )
    concurrency_limit: int = Field(512, ge=1, le=100_000, description="Chats that run at once (the work is I/O-bound).")
    queue_max_size: int = Field(1024, ge=1, le=1_000_000, description="Queued beyond that: busy.")
    chat_fast_path: bool = Field(
        True,
        description="Serve plain /chat joins past Gradio's queue (the messages still go out on Gradio's own event "
        "stream); off: Gradio's queue serves every /chat event.",
    )
    gradio_analytics: bool = False
    rate_limit_per_minute: float | None = Field(
        None, ge=0, description="Chats per client id per minute; unset: 20 on the remote engine, off offline."
    )
    ip_rate_limit_per_minute: float | None = Field(
        None, ge=0, description="Chats per IP address per minute; unset: 120 on the remote engine, off offline."
    )
    rate_limit_burst: int = Field(5, ge=1, le=10_000)
    forwarded_allow_ips: str = Field(
        "127.0.0.1", description="Proxies trusted for X-Forwarded-For (the client IP of the rate limit)."
    )
    cors_origins: list[str] = Field(default_factory=list, description="Origins allowed by CORS (JSON list).")

    @field_validator(
        "base_url", "api_key", "hf_token", "space_id", "data_dir", "redis_url", "redis_password", mode="before"
    )
    @classmethod
    def _blank_is_none(cls, value: object) -> object:
        if isinstance(value, str) and not value.strip():
            return None
        return value

    @field_validator("base_url")
    @classmethod
    def _check_url(cls, value: str | None) -> str | None:
        if value is not None and not re.match(r"^https?://[^\s/]+", value):
            raise ValueError("must be an http:// or https:// URL")
        return value.rstrip("/") if value else value

    @field_validator("redis_url")
    @classmethod
    def _check_redis(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and not re.match(r"^rediss?://[^\s/]", value.get_secret_value()):
            raise ValueError("must be a redis:// or rediss:// URL (for example redis://localhost:6379/0)")
        return value

    @field_validator("api_key")
    @classmethod
    def _check_key(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and len(value.get_secret_value()) < 16:
            raise ValueError("must be at least 16 characters long")
        return value

    @model_validator(mode="after")
    def _default_data_dir(self) -> Settings:
        if self.data_dir is None:
            from plumberforce.stores.location import default_data_dir

            self.data_dir = default_data_dir(self.space_id, self.persistent_dir)
        return self

    @model_validator(mode="after")
    def _remote_needs_endpoint(self) -> Settings:
        if self.engine == "remote" and self.hf_token is None and self.base_url is None:
            raise ValueError(
                "PLUMBERFORCE_ENGINE=remote needs HF_TOKEN (Inference Providers) or "
                "PLUMBERFORCE_BASE_URL (an OpenAI-compatible server)"
            )
        return self

    def rate_limits(self) -> tuple[float, float]:
        """(per client, per IP) chats per minute after defaults; 0 means off."""
        remote = self.engine_kind == "remote"
        client = self.rate_limit_per_minute if self.rate_limit_per_minute is not None else (20 if remote else 0)
        ip = self.ip_rate_limit_per_minute if self.ip_rate_limit_per_minute is not None else (120 if remote else 0)
        return client, ip

    @property
    def engine_kind(self) -> Literal["remote", "offline"]:
        """The engine actually used: ``auto`` resolves to remote when it has somewhere to go."""
        if self.engine == "auto":
            return "remote" if (self.hf_token or self.base_url) else "offline"
        return self.engine


class SettingsError(SystemExit):
    """Start-up stops: a setting has a bad value. The message names the variable."""


def _variable_name(loc: tuple[object, ...]) -> str:
    if not loc:
        return "settings"
    field = str(loc[0])
    info = Settings.model_fields.get(field)
    alias = getattr(info, "validation_alias", None) if info else None
    if isinstance(alias, AliasChoices):
        return str(alias.choices[0])
    if field.isupper():
        return field
    return ENV_PREFIX + field.upper()


def load_settings(**overrides: object) -> Settings:
    """Build the settings from the environment (and ``.env``), or stop with a clear message."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        lines = []
        for err in exc.errors():
            msg = err["msg"].removeprefix("Value error, ")
            lines.append(f"  {_variable_name(tuple(err['loc']))}: {msg}")
        raise SettingsError("Invalid configuration:\n" + "\n".join(lines)) from None
