"""The offline Chinese embedding, its chromadb face, and the OpenAI-compatible one."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np

from pipeline.corpus.embedding import (
    HashingEmbedder,
    OpenAIEmbedder,
    chroma_embedding_function,
    embedder_from_env,
)
from tests.stub_openai import StubOpenAI


def _cos(a: np.ndarray, b: np.ndarray) -> float:
    return float(a @ b / (np.linalg.norm(a) * np.linalg.norm(b)))


def test_topic_nearness_in_chinese() -> None:
    query, near, far = HashingEmbedder().embed(["抓好党员发展和教育培训", "加强党员干部教育培训", "做好疫情防控工作"])
    assert _cos(query, near) > _cos(query, far) + 0.2


def test_vectors_are_unit_length_and_same_in_another_process() -> None:
    vec = HashingEmbedder().embed(["强化党建引领"])[0]
    assert abs(float(np.linalg.norm(vec)) - 1.0) < 1e-5
    code = ("import json; from pipeline.corpus.embedding import HashingEmbedder; "
            "print(json.dumps(HashingEmbedder().embed(['强化党建引领'])[0].tolist()))")
    other = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert np.allclose(json.loads(other), vec)


def test_numbers_do_not_change_the_topic() -> None:
    a, b = HashingEmbedder().embed(["召开党组会议12次", "召开党组会议36次"])
    assert _cos(a, b) > 0.99


def test_the_chroma_face_gives_the_same_vectors() -> None:
    embedder = HashingEmbedder()
    texts = ["加强基层组织建设", "压实管党治党责任"]
    expected = embedder.embed(texts)
    chroma_vectors = chroma_embedding_function(embedder)(texts)
    assert np.allclose(np.stack(chroma_vectors), expected)


def test_openai_compatible_endpoint_over_http(stub: StubOpenAI, monkeypatch) -> None:
    monkeypatch.setenv("GONGWEN_EMBEDDING", "openai:stub-embed")
    monkeypatch.setenv("OPENAI_BASE_URL", stub.base_url)
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test-secret")
    embedder = embedder_from_env()
    assert isinstance(embedder, OpenAIEmbedder) and embedder.identity == "openai:stub-embed"
    vectors = embedder.embed(["甲", "乙"])
    assert vectors.shape == (2, stub.dim)
    assert np.allclose(vectors[0], np.array(stub.vector("甲")) / np.linalg.norm(stub.vector("甲")))
    request = stub.requests[-1]
    assert request["path"] == "/v1/embeddings" and request["body"]["input"] == ["甲", "乙"]
    assert request["body"]["model"] == "stub-embed"
