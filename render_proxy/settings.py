"""Every knob of the proxy, read from environment variables (and an optional ``.env`` file).

The two names the Space shares keep their names (``PLUMBERFORCE_SPACE``, ``PLUMBERFORCE_API_KEY``),
the ecosystem's keep theirs (``HF_TOKEN``, ``PORT``); everything that only the proxy reads is
``PLUMBERFORCE_PROXY_<FIELD>``, so the proxy and the Space can share one environment without
clashing (the Space's own ``PLUMBERFORCE_REQUEST_TIMEOUT`` is another knob). One
:class:`ProxySettings` is built at start-up and passed in; nothing else reads ``os.environ``.
"""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import AliasChoices, Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

ENV_PREFIX = "PLUMBERFORCE_PROXY_"
SPACE_ID = re.compile(r"^[A-Za-z0-9][\w.-]*/[\w.-]+$")


class ProxySettings(BaseSettings):
    """Configuration of the Render proxy. Field ``x`` is read from ``PLUMBERFORCE_PROXY_X``."""

    model_config = SettingsConfigDict(
        env_prefix=ENV_PREFIX,
        env_file=".env",
        env_file_encoding="utf-8",
        extra="ignore",
        validate_default=True,
        populate_by_name=True,
    )

    # --- the Space ---------------------------------------------------------------------------
    space: str = Field(
        "http://127.0.0.1:7860",
        validation_alias=AliasChoices("PLUMBERFORCE_SPACE", "space"),
        description="The Space: a URL (http[s]://...) or a Hugging Face Space id such as user/space; "
        "several replicas of it as a comma-separated list (a client's chats go to one of them).",
    )
    hf_token: SecretStr | None = Field(
        None, validation_alias=AliasChoices("HF_TOKEN", "hf_token"), description="For a private Space."
    )
    api_key: SecretStr | None = Field(
        None,
        validation_alias=AliasChoices("PLUMBERFORCE_API_KEY", "api_key"),
        description="The Space's API key, sent upstream as X-API-Key on every call.",
    )
    request_timeout: float = Field(120.0, gt=0, le=3600, description="Seconds one question may take, end to end.")
    call_timeout: float = Field(20.0, gt=0, le=600, description="Seconds for history, reset and feedback calls.")
    status_timeout: float = Field(2.0, gt=0, le=60, description="Seconds GET /status waits for the Space's health.")
    health_interval: float = Field(
        5.0, gt=0, le=3600, description="Seconds between health checks of each replica (several replicas only)."
    )
    max_chats: int = Field(1000, ge=1, le=100_000, description="Questions in flight through this proxy at once.")
    warm_streams: int = Field(
        256,
        ge=0,
        le=10_000,
        description="Space sessions kept with their event stream open for the next calls (created at start).",
    )
    queue_client: Literal["auto", "proxy", "gradio_client"] = Field(
        "auto",
        description="Who speaks the Space's Gradio queue protocol: the proxy's own driver (proxy; sse_v3 only), "
        "gradio_client's submit() (gradio_client; slower, threads), or auto: the proxy's when it speaks the "
        "protocol the Space advertises, else gradio_client.",
    )

    # --- serving -----------------------------------------------------------------------------
    host: str = "0.0.0.0"
    port: int = Field(8000, ge=1, le=65535, validation_alias=AliasChoices("PORT", "port"))
    cors_origins: Annotated[list[str], NoDecode] = Field(
        default_factory=list, description="Origins allowed to call the proxy cross-site (comma-separated)."
    )
    max_frame_bytes: int = Field(16_384, ge=256, le=1_048_576, description="Largest WebSocket message read.")
    rate_per_second: float = Field(5.0, gt=0, le=1000, description="Messages per second one connection may send.")
    rate_burst: int = Field(20, ge=1, le=10_000, description="Messages one connection may send at once.")
    flood_close_after: int = Field(
        100, ge=1, le=1_000_000, description="Messages refused for rate before the connection is closed (1008)."
    )
    max_inflight_per_connection: int = Field(3, ge=1, le=100, description="Questions one page may have open.")
    history_clients: int = Field(1000, ge=0, le=1_000_000, description="Conversations kept in the proxy's cache.")
    history_messages: int = Field(40, ge=2, le=10_000, description="Messages kept per cached conversation.")
    render_interval_ms: int = Field(
        250,
        ge=0,
        le=60_000,
        description="Send the answer rendered while it streams at most this often (0: only at done); "
        "slower in proportion beyond 25 answers in flight.",
    )
    forwarded_allow_ips: str = Field(
        "127.0.0.1", description="Front proxies trusted for X-Forwarded-For ('*' behind Render's load balancer)."
    )
    ws_impl: Literal["websockets-sansio", "websockets", "wsproto"] = Field(
        "websockets-sansio", description="uvicorn's WebSocket implementation (measured: see README)."
    )
    log_level: str = "info"

    @field_validator("hf_token", "api_key", mode="before")
    @classmethod
    def _blank_is_none(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("space")
    @classmethod
    def _check_space(cls, value: str) -> str:
        parts = [part.strip() for part in value.split(",") if part.strip()]
        if not parts:
            raise ValueError("must be an http(s):// URL or a Space id such as user/space")
        checked = []
        for part in parts:
            if re.match(r"^https?://[^\s/,]+", part):
                checked.append(part.rstrip("/") + "/")
            elif SPACE_ID.match(part):
                checked.append(part)
            else:
                raise ValueError(f"{part!r} is not an http(s):// URL or a Space id such as user/space")
        if len(set(checked)) != len(checked):
            raise ValueError("a replica is listed twice")
        return ",".join(checked)

    @field_validator("cors_origins", mode="before")
    @classmethod
    def _split_origins(cls, value: object) -> object:
        if isinstance(value, str):
            return [part.strip().rstrip("/") for part in value.split(",") if part.strip()]
        return value

    @field_validator("cors_origins")
    @classmethod
    def _check_origins(cls, value: list[str]) -> list[str]:
        for origin in value:
            if origin != "*" and not re.match(r"^https?://[^\s/]+$", origin):
                raise ValueError(f"{origin!r} is not an origin (scheme://host[:port])")
        return value

    @property
    def spaces(self) -> list[str]:
        """The replicas, in the order listed (one, unless ``PLUMBERFORCE_SPACE`` lists several)."""
        return self.space.split(",")

    def upstream_headers(self) -> dict[str, str]:
        """Headers sent on every call to the Space (the key, when configured)."""
        return {"X-API-Key": self.api_key.get_secret_value()} if self.api_key else {}


class SettingsError(SystemExit):
    """Start-up stops: a setting has a bad value. The message names the variable."""


def _variable(field: str) -> str:
    if field.isupper():
        return field
    info = ProxySettings.model_fields.get(field)
    alias = getattr(info, "validation_alias", None) if info else None
    if isinstance(alias, AliasChoices):
        return str(alias.choices[0])
    return ENV_PREFIX + field.upper()


def load_settings(**overrides: object) -> ProxySettings:
    """Build the settings from the environment (and ``.env``), or stop with a clear message."""
    try:
        return ProxySettings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        lines = []
        for err in exc.errors():
            name = _variable(str(err["loc"][0]) if err["loc"] else "settings")
            lines.append(f"  {name}: {err['msg'].removeprefix('Value error, ')}")
        raise SettingsError("Invalid proxy configuration:\n" + "\n".join(lines)) from None
