"""Dense sentence vectors from WordLlama's static token embeddings, with no network.

The ``wordllama`` wheel ships its default model inside the package: a Llama-2 tokenizer
(``tokenizers/l2_supercat_tokenizer_config.json``) and a 32,000 x 256 embedding table
(``weights/l2_supercat_256.safetensors``, 16 MB). A text's vector is the mean of its tokens'
rows, normalised, exactly as ``WordLlama.embed(norm=True)`` computes it. We read the two files
straight from the installed package (with ``tokenizers`` and ``safetensors``) instead of calling
``WordLlama.load``, which looks for the tokenizer in the wrong folder, falls back to downloading
it, and configures the root logger when imported. Loading takes about 0.15 s; one question's
vector about 0.1 ms.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from safetensors.numpy import load_file
from tokenizers import Tokenizer

MODEL = "l2_supercat_256"
_TOKENIZER = Path("tokenizers") / "l2_supercat_tokenizer_config.json"
_WEIGHTS = Path("weights") / f"{MODEL}.safetensors"
_CHUNK = 256  # texts pooled at once (bounds the memory of the gathered token rows)


def package_dir() -> Path:
    """Where the installed ``wordllama`` package lives (found without importing it)."""
    spec = importlib.util.find_spec("wordllama")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("the wordllama package is not installed (pip install wordllama)")
    return Path(next(iter(spec.submodule_search_locations)))


class Embedder:
    """Text -> unit vector (256 floats). Pickled without its tables; they reload from the package."""

    def __init__(self) -> None:
        self._load()

    def _load(self) -> None:
        root = package_dir()
        self._tokenizer = Tokenizer.from_file(str(root / _TOKENIZER))
        self._tokenizer.no_padding()
        self._tokenizer.no_truncation()
        self._table = load_file(str(root / _WEIGHTS))["embedding.weight"]  # float16, (32000, 256)
        # float16 -> float32 by a table of all 65,536 bit patterns: the same conversion, and a
        # gather costs a third of numpy's float16 cast
        self._bits = self._table.view(np.uint16)
        self._float32 = np.arange(2**16, dtype=np.uint32).astype(np.uint16).view(np.float16).astype(np.float32)

    def __getstate__(self) -> dict:
        return {}

    def __setstate__(self, state: dict) -> None:
        self._load()

    @property
    def dim(self) -> int:
        return int(self._table.shape[1])

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """One normalised float32 row per text (a zero row for a text without tokens)."""
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        encodings = self._tokenizer.encode_batch(list(texts), add_special_tokens=False)
        for start in range(0, len(encodings), _CHUNK):
            chunk = encodings[start : start + _CHUNK]
            lengths = np.array([len(e.ids) for e in chunk], dtype=np.int64)
            present = np.flatnonzero(lengths)
            if not len(present):
                continue
            ids = np.concatenate([np.asarray(chunk[i].ids, dtype=np.int64) for i in present])
            rows = self._float32[self._bits[np.clip(ids, 0, len(self._table) - 1)]]
            offsets = np.concatenate([[0], np.cumsum(lengths[present])[:-1]])
            vectors = np.add.reduceat(rows, offsets, axis=0) / lengths[present, None]
            norms = np.linalg.norm(vectors, axis=1, keepdims=True)
            out[start + present] = vectors / np.where(norms > 0, norms, 1.0)
        return out
