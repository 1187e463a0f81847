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
_FIRST = np.zeros(1, dtype=np.int64)  # one segment from row 0, for reduceat


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
        # float16 in the file, (32000, 256); converted once here (exact: every float16 is a float32),
        # 33 MB instead of 16. A question's rows are then one gather of whole rows; converting them
        # at each call (by a table of the 65,536 bit patterns, or numpy's cast) cost 45 us of a
        # question's 130 in analyse(), where the 16 MB table and the lookup table left the cache
        self._table = load_file(str(root / _WEIGHTS))["embedding.weight"].astype(np.float32)

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
            rows = self._table[np.clip(ids, 0, len(self._table) - 1)]
            offsets = np.concatenate([[0], np.cumsum(lengths[present])[:-1]])
            vectors = np.add.reduceat(rows, offsets, axis=0) / lengths[present, None]
            norms = np.linalg.norm(vectors, axis=1, keepdims=True)
            out[start + present] = vectors / np.where(norms > 0, norms, 1.0)
        return out

    def embed_one(self, text: str) -> np.ndarray:
        """``embed([text])[0]`` bit for bit, for the one text of a question.

        ``embed`` hands even one text to the tokenizer's thread pool and pays for a batch's
        bookkeeping (lengths, offsets, ``reduceat``, a 2-D norm); a question's vector is taken on
        every call of ``analyse()``, once or twice. The steps here are the same operations on one
        row: the same float32 sum of the rows in order, the same division by an int64 length (in
        float64), the same norm (``linalg.norm`` of a row is ``sqrt(add.reduce(x * x))``), cast
        to float32 at the end as ``embed``'s assignment does.
        """
        ids = self._tokenizer.encode(text, add_special_tokens=False).ids
        if not ids:
            return np.zeros(self.dim, dtype=np.float32)
        positions = np.asarray(ids, dtype=np.int64)
        if max(ids) >= len(self._table):  # never for this tokenizer's ids; clipped as embed does
            positions = np.clip(positions, 0, len(self._table) - 1)
        rows = self._table[positions]
        # reduceat adds the rows one after another, as embed's does (add.reduce pairs them up)
        vector = np.add.reduceat(rows, _FIRST, axis=0)[0] / np.int64(len(ids))
        norm = np.sqrt(np.add.reduce(vector * vector))
        return (vector / (norm if norm > 0 else 1.0)).astype(np.float32)
