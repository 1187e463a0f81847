"""What the remote engine's failures are: the error kind of an HTTP status, and what each kind
says to a person (English and Italian), naming the setting to change where one would help."""

from __future__ import annotations

import httpx2

from plumberforce import errors


def _retry_after(response: httpx2.Response | None) -> float | None:
    value = response.headers.get("retry-after") if response is not None else None
    try:
        return max(0.0, float(value)) if value is not None else None
    except ValueError:
        return None


def status_error(response: httpx2.Response | None) -> errors.EngineError:
    """The error kind of an HTTP error status."""
    status = response.status_code if response is not None else 0
    kind = {
        401: errors.EngineAuth,
        403: errors.EngineAuth,
        404: errors.ModelNotServed,
        429: errors.EngineRateLimited,
        503: errors.EngineOverloaded,
        502: errors.EngineOverloaded,
        504: errors.EngineTimeout,
    }.get(status, errors.BadResponse)
    return kind(f"HTTP {status}", retry_after=_retry_after(response))


def engine_error_messages(exc: errors.EngineError, model: str, base_url: str | None) -> tuple[str, str]:
    """English and Italian messages for an engine error of ``exc``'s kind."""
    where = base_url or "Hugging Face Inference Providers"
    table: dict[type[errors.EngineError], tuple[str, str]] = {
        errors.EngineAuth: (
            f"The model provider ({where}) refused our credentials. Check HF_TOKEN.",
            f"Il provider del modello ({where}) ha rifiutato le credenziali. Controlla HF_TOKEN.",
        ),
        errors.ModelNotServed: (
            f"The model '{model}' is not served by {where}. Change PLUMBERFORCE_MODEL "
            "(or PLUMBERFORCE_PROVIDER / PLUMBERFORCE_BASE_URL).",
            f"Il modello '{model}' non è servito da {where}. Cambia PLUMBERFORCE_MODEL "
            "(oppure PLUMBERFORCE_PROVIDER / PLUMBERFORCE_BASE_URL).",
        ),
        errors.EngineRateLimited: (
            "The model provider is rate-limiting us; please try again in a moment.",
            "Il provider del modello sta limitando le richieste; riprova tra poco.",
        ),
        errors.EngineOverloaded: (
            "The model is loading or overloaded; please try again in a moment.",
            "Il modello è in caricamento o sovraccarico; riprova tra poco.",
        ),
        errors.EngineUnavailable: (
            f"The model server ({where}) cannot be reached.",
            f"Il server del modello ({where}) non è raggiungibile.",
        ),
        errors.EngineTimeout: (
            "The model did not answer in time.",
            "Il modello non ha risposto in tempo.",
        ),
        errors.BadResponse: (
            "The model server sent a broken or interrupted response.",
            "Il server del modello ha inviato una risposta non valida o interrotta.",
        ),
    }
    return table.get(type(exc), ("The model could not answer.", "Il modello non ha potuto rispondere."))
