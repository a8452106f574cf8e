"""Text embeddings: an offline Chinese embedding that needs no download, and an OpenAI-compatible one.

The offline embedding hashes character uni- and bigrams (the units Chinese meaning is carried by
when there is no word segmenter) into a fixed number of signed buckets, with sublinear term weights
and a down-weighted set of function characters. It is deterministic across machines and processes
(no Python ``hash``), fast enough for tens of thousands of reports, and good at the job it has here:
finding example paragraphs about the same topic as a section being drafted.

Each embedder is exposed two ways: as an :class:`Embedder` (what the index uses) and as a chromadb
``EmbeddingFunction``.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import Any, Protocol

import numpy as np

from ..errors import GongwenError
from ..i18n import N_, _
from ..llm.endpoint import CONNECT_SECONDS, EndpointError, check_url, configured, http_client

OFFLINE_DIM = 512  # at 10k reports (~100k chunks) chromadb holds 100k of these in memory to search
GENRE_WEIGHT = 0.5


class Embedder(Protocol):
    """Maps texts to unit vectors. ``identity`` names the embedding so an index can check it."""

    @property
    def identity(self) -> str: ...

    def embed(self, texts: Sequence[str]) -> np.ndarray: ...


# --- The offline embedding ------------------------------------------------------------------------

# Bigrams that occur in over a quarter of the paragraphs of 述职报告 (counted once on the bundled
# examples and frozen here, so the embedding never changes with the corpus): they say "this is a
# report", not what a paragraph is about, and get a low weight, like a fixed IDF.
_GENRE_BIGRAMS = [
    "工作", "党建", "组织", "党员", "建工", "基层", "党组", "落实", "教育", "制度",
    "开展", "加强", "干部", "层党", "领导", "建设", "学习", "一是", "二是", "管理",
    "三是", "要求", "责任", "活动", "作用", "发挥", "作的", "书记", "作为", "支部",
    "问题", "党的", "认真", "主题", "思想", "精神", "结合", "坚持", "服务", "提高",
]
_FUNCTION_CHARS = "的了和与及在是对为等把将其并从以于也都而或被由中上下个之这那有我们你他她它着过"
_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)
_BIGRAM_SALT = np.uint64(0x9E3779B97F4A7C15)


def _mix(x: np.ndarray) -> np.ndarray:
    """splitmix64's finaliser: a fast, well-spread 64-bit hash, vectorised."""
    x = (x ^ (x >> np.uint64(30))) * _M1
    x = (x ^ (x >> np.uint64(27))) * _M2
    mixed: np.ndarray = x ^ (x >> np.uint64(31))
    return mixed


def _bigram_keys(pairs: np.ndarray) -> np.ndarray:
    keys: np.ndarray = (pairs[:, 0] << np.uint64(21)) ^ pairs[:, 1] ^ _BIGRAM_SALT
    return keys


def _is_word_char(codes: np.ndarray) -> np.ndarray:
    return (
        ((codes >= 0x4E00) & (codes <= 0x9FFF))
        | ((codes >= 0x3400) & (codes <= 0x4DBF))
        | ((codes >= ord("0")) & (codes <= ord("9")))
        | ((codes >= ord("A")) & (codes <= ord("Z")))
        | ((codes >= ord("a")) & (codes <= ord("z")))
    )


class HashingEmbedder:
    """Character n-gram feature hashing for Chinese text. Offline, deterministic, no model."""

    def __init__(self, dim: int = OFFLINE_DIM) -> None:
        self.dim = dim
        self._function = np.array([ord(c) for c in _FUNCTION_CHARS], dtype=np.uint64)
        self._genre = _bigram_keys(np.array([[ord(b[0]), ord(b[1])] for b in _GENRE_BIGRAMS], dtype=np.uint64))

    @property
    def identity(self) -> str:
        return f"gongwen-hash-ngram-v1/{self.dim}"

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Embed a batch in one pass of numpy: the texts are joined by a newline (not a word
        character, so no n-gram spans two texts) and each feature is counted in its text's row."""
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        codes = np.frombuffer("\n".join(texts).encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
        rows = np.repeat(np.arange(len(texts)), [len(t) + 1 for t in texts])[: len(codes)]
        digits = (codes >= ord("0")) & (codes <= ord("9"))
        codes = np.where(digits, np.uint64(ord("0")), codes)  # numbers differ, topics do not
        word = _is_word_char(codes)
        uni = codes[word]
        uni_weight = np.where(np.isin(uni, self._function), 0.15, 0.5)
        pair = word[:-1] & word[1:]
        bi = _bigram_keys(np.stack([codes[:-1][pair], codes[1:][pair]], axis=1))
        bi_weight = np.where(np.isin(bi, self._genre), GENRE_WEIGHT, 1.0)
        keys = _mix(np.concatenate([uni, bi]))
        weights = np.concatenate([uni_weight, bi_weight])
        owner = np.concatenate([rows[word], rows[:-1][pair]])
        buckets = (keys % np.uint64(self.dim)).astype(np.int64) + owner * self.dim
        signs = np.where((keys >> np.uint64(63)) == 1, -1.0, 1.0)
        counts = np.bincount(buckets, weights=signs * weights, minlength=len(texts) * self.dim)
        # The rest touches only the filled buckets: most of each row is zero.
        filled = np.flatnonzero(counts)
        values = np.sign(counts[filled]) * np.log1p(np.abs(counts[filled]))  # a repeated word is not ten
        norms = np.sqrt(np.bincount(filled // self.dim, weights=values * values, minlength=len(texts)))
        out = np.zeros(len(texts) * self.dim, dtype=np.float32)
        out[filled] = values / norms[filled // self.dim]
        return out.reshape(len(texts), self.dim)


# --- An OpenAI-compatible embeddings endpoint -----------------------------------------------------


class OpenAIEmbedder:
    """Embeddings from a named OpenAI-compatible ``/v1/embeddings`` endpoint, through the openai client."""

    def __init__(self, model: str, base_url: str, api_key: str | None = None,
                 timeout: float = 60.0, batch: int = 64) -> None:
        self.model = model
        self.base_url = check_url(base_url, N_("the embedding endpoint"))
        self._api_key = api_key
        self.timeout = timeout
        self.batch = batch

    @property
    def identity(self) -> str:
        return f"openai:{self.model}"

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        import openai

        client = openai.OpenAI(base_url=self.base_url, api_key=self._api_key or "not-needed",
                               timeout=openai.Timeout(self.timeout, connect=CONNECT_SECONDS),
                               http_client=http_client(self.base_url, N_("the embedding endpoint")))
        rows: list[list[float]] = []
        with client:
            for start in range(0, len(texts), self.batch):
                try:
                    reply = client.embeddings.create(model=self.model, input=list(texts[start:start + self.batch]))
                except openai.OpenAIError as exc:
                    raise GongwenError(_("embeddings endpoint {url} failed: {error}").format(
                        url=self.base_url, error=type(exc).__name__)) from None
                rows.extend(item.embedding for item in sorted(reply.data, key=lambda d: d.index))
        matrix = np.asarray(rows, dtype=np.float32)
        norms = np.linalg.norm(matrix, axis=1, keepdims=True)
        return matrix / np.where(norms == 0, 1, norms)


def embedder_from_env() -> Embedder:
    """The configured embedder.

    ``GONGWEN_EMBEDDING`` is ``offline`` (the default) or ``openai:MODEL``; the endpoint is
    ``GONGWEN_EMBEDDING_BASE_URL`` (else ``OPENAI_BASE_URL``) with ``OPENAI_API_KEY``. There is no
    default endpoint: without one the embedding is refused.
    """
    choice = os.environ.get("GONGWEN_EMBEDDING", "offline").strip()
    if choice in ("", "offline"):
        return HashingEmbedder()
    if choice.startswith("openai:") and len(choice) > len("openai:"):
        given = configured()
        base_url = os.environ.get("GONGWEN_EMBEDDING_BASE_URL") or given.get("base_url")
        if not base_url:
            raise EndpointError(_("GONGWEN_EMBEDDING={choice} names no endpoint: set GONGWEN_EMBEDDING_BASE_URL "
                                  "(or OPENAI_BASE_URL); gongwen never picks one for you").format(choice=choice))
        return OpenAIEmbedder(model=choice.split(":", 1)[1], base_url=base_url,
                              api_key=given.get("api_key"))
    raise GongwenError(_("GONGWEN_EMBEDDING={choice!r} is not understood; use 'offline' or 'openai:MODEL'").format(
        choice=choice))


# --- The same embedders as chromadb sees them ----------------------------------------------------


def _chroma_function_class() -> type:
    from chromadb.api.types import Documents, EmbeddingFunction
    from chromadb.utils.embedding_functions import register_embedding_function

    @register_embedding_function
    class GongwenEmbeddingFunction(EmbeddingFunction[Documents]):
        """A chromadb EmbeddingFunction over a gongwen :class:`Embedder`."""

        def __init__(self, embedder: Embedder | None = None) -> None:
            self.embedder = embedder or embedder_from_env()

        def __call__(self, input: Documents) -> list[np.ndarray]:
            return list(self.embedder.embed(list(input)))

        @staticmethod
        def name() -> str:
            return "gongwen"

        def default_space(self) -> Any:
            return "cosine"

        def get_config(self) -> dict[str, Any]:
            return {"identity": self.embedder.identity}

        @staticmethod
        def build_from_config(config: dict[str, Any]) -> GongwenEmbeddingFunction:
            return GongwenEmbeddingFunction()

    return GongwenEmbeddingFunction


_chroma_class: type | None = None


def chroma_embedding_function(embedder: Embedder | None = None) -> Any:
    """A chromadb ``EmbeddingFunction`` for ``embedder`` (default: the configured one)."""
    global _chroma_class
    if _chroma_class is None:
        _chroma_class = _chroma_function_class()
    return _chroma_class(embedder)
