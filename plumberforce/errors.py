"""The few errors Plumberforce shows to people.

Every error carries a ``code`` (stable, for programs), an HTTP ``status`` and a message in
Italian and English for people::

    PlumberforceError
    ├── InputError              400  bad question, client id, rating, ...
    ├── NotFound                404  unknown message id, ...
    ├── Unauthorized            401  missing or wrong API key
    ├── RateLimited             429  too many requests from one client (Retry-After)
    ├── Busy                    503  the queue is full
    ├── NotReady                503  starting up or shutting down (Retry-After)
    ├── StoreUnavailable        503  a shared store cannot be reached (Retry-After)
    └── EngineError             the model could not answer
        ├── EngineAuth          502  the provider refused our token
        ├── ModelNotServed      502  the provider does not serve the configured model
        ├── EngineRateLimited   503  the provider throttles us
        ├── EngineOverloaded    503  the model is loading or overloaded
        ├── EngineUnavailable   503  the server cannot be reached
        ├── EngineTimeout       504  no answer within the configured timeout
        └── BadResponse         502  the provider sent something we cannot read
"""

from __future__ import annotations

from typing import ClassVar, Literal

Lang = Literal["en", "it"]


class PlumberforceError(Exception):
    """An error whose message is meant for the person who made the request."""

    code: ClassVar[str] = "error"
    status: ClassVar[int] = 500

    def __init__(self, en: str, it: str | None = None, *, retry_after: float | None = None):
        super().__init__(en)
        self.messages: dict[str, str] = {"en": en, "it": it or en}
        self.retry_after = retry_after
        self.lang: str | None = None  # the language of the request, when known

    def message(self, lang: str | None = None) -> str:
        """The message in ``lang`` (default: the request's language, else English)."""
        return self.messages.get(lang or self.lang or "en", self.messages["en"])


class InputError(PlumberforceError):
    code = "invalid_input"
    status = 400


class NotFound(PlumberforceError):
    code = "not_found"
    status = 404


class Unauthorized(PlumberforceError):
    code = "unauthorized"
    status = 401


class RateLimited(PlumberforceError):
    code = "rate_limited"
    status = 429


class Busy(PlumberforceError):
    code = "busy"
    status = 503


class NotReady(PlumberforceError):
    """The runtime is not open (start-up not finished, or shutting down)."""

    code = "not_ready"
    status = 503

    def __init__(self) -> None:
        super().__init__(
            "Plumberforce is starting or stopping; try again in a moment.",
            "Plumberforce si sta avviando o arrestando; riprova tra poco.",
            retry_after=5,
        )


class StoreUnavailable(PlumberforceError):
    """A store the request needs cannot be reached (for example Redis is down)."""

    code = "store_unavailable"
    status = 503


class EngineError(PlumberforceError):
    """The model could not produce an answer. ``retryable`` errors are retried with backoff."""

    code = "engine_error"
    status = 502
    retryable: ClassVar[bool] = False


class EngineAuth(EngineError):
    code = "auth"


class ModelNotServed(EngineError):
    code = "model_not_served"


class EngineRateLimited(EngineError):
    code = "rate_limited"
    status = 503
    retryable = True


class EngineOverloaded(EngineError):
    code = "overloaded"
    status = 503
    retryable = True


class EngineUnavailable(EngineError):
    code = "unavailable"
    status = 503
    retryable = True


class EngineTimeout(EngineError):
    code = "timeout"
    status = 504
    retryable = True


class BadResponse(EngineError):
    code = "bad_response"
