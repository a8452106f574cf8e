"""Drafting backends: one interface, one class per provider.

- ``OfflineBackend``: the deterministic composer; the default when no API key is set.
- ``OpenAIBackend``: any OpenAI-compatible chat endpoint (DeepSeek, Qwen, GLM, Kimi, vLLM, Ollama, the
  llama.cpp server) through the ``openai`` client. It sends plain chat completions only: no
  ``response_format``, no tools, since local servers reject them.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from typing import Any, Protocol

from pydantic import BaseModel, Field

from ..drafting.compose import compose
from ..drafting.plan import Plan, Section
from ..errors import GongwenError
from .endpoint import CONNECT_SECONDS, EndpointError, check_url, host_of, http_client, is_loopback

MAX_CONTINUATIONS = 2
CONTINUE = "请从中断处接着写完本节，不要重复已经写出的内容，只输出续写的正文。"


class LLMCallError(GongwenError):
    """An LLM call that failed after the client's retries; the run can be resumed."""


@dataclass
class Reply:
    text: str
    model: str
    usage: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    finish_reason: str = "stop"


class Backend(Protocol):
    name: str
    model: str

    @property
    def endpoint(self) -> str: ...  # "" for the offline composer

    def complete(self, messages: list[dict[str, str]], plan: Plan, section: Section) -> Reply: ...


class OfflineBackend:
    """Composes each section from the outline without any model (see compose.py)."""

    name = "offline"
    model = "offline-composer"
    endpoint = ""

    def complete(self, messages: list[dict[str, str]], plan: Plan, section: Section) -> Reply:
        return Reply(compose(plan, section), self.model)


LOCAL_TIMEOUT = 600.0  # seconds for one reply from a model on this machine or the office LAN: CPUs are slow
REMOTE_TIMEOUT = 120.0


class OpenAISettings(BaseModel):
    """Settings of an OpenAI-compatible endpoint; flags override the environment.

    There is no default endpoint: text goes only where the user said (see endpoint.py).
    """

    model: str = Field(min_length=1)
    base_url: str = Field(min_length=1)
    api_key: str | None = Field(default=None, repr=False)
    timeout: float | None = Field(default=None, gt=0)  # None: sized to the endpoint
    max_retries: int = Field(default=3, ge=0, le=10)
    temperature: float = Field(default=0.3, ge=0, le=2)

    @property
    def read_timeout(self) -> float:
        if self.timeout is not None:
            return self.timeout
        return LOCAL_TIMEOUT if is_loopback(host_of(self.base_url)) else REMOTE_TIMEOUT

    @classmethod
    def from_env(cls, **overrides: Any) -> OpenAISettings:
        values: dict[str, Any] = {
            "model": os.environ.get("GONGWEN_MODEL", ""),
            "base_url": os.environ.get("OPENAI_BASE_URL") or "",
            "api_key": os.environ.get("OPENAI_API_KEY") or None,
        }
        values.update({k: v for k, v in overrides.items() if v is not None})
        if not values["base_url"]:
            raise EndpointError("no endpoint named: pass --base-url or set OPENAI_BASE_URL (e.g. "
                                "http://127.0.0.1:8080/v1 for a local llama.cpp server); gongwen never "
                                "picks one for you, or draft with --backend offline")
        if not values["model"]:
            raise GongwenError("no model named: set GONGWEN_MODEL or pass --model (e.g. deepseek-chat, qwen2.5:7b)")
        check_url(values["base_url"], "the drafting endpoint")
        return cls(**values)


class OpenAIBackend:
    name = "openai"

    def __init__(self, settings: OpenAISettings) -> None:
        import openai

        self.settings = settings
        self.model = settings.model
        self._client = openai.OpenAI(
            base_url=settings.base_url, api_key=settings.api_key or "not-needed", max_retries=settings.max_retries,
            timeout=openai.Timeout(settings.read_timeout, connect=CONNECT_SECONDS),
            http_client=http_client(settings.base_url, "the drafting endpoint"))

    @property
    def endpoint(self) -> str:
        return self.settings.base_url

    def complete(self, messages: list[dict[str, str]], plan: Plan, section: Section) -> Reply:
        """One section's reply; a reply cut off at the token limit is continued (up to twice)."""
        start = time.perf_counter()
        reply = self._call(messages, section)
        for _ in range(MAX_CONTINUATIONS):
            if reply.finish_reason != "length" or not reply.text:
                break
            more = self._call([*messages, {"role": "assistant", "content": reply.text},
                               {"role": "user", "content": CONTINUE}], section)
            usage = {k: reply.usage.get(k, 0) + more.usage.get(k, 0) for k in reply.usage.keys() | more.usage.keys()}
            reply = Reply(reply.text + more.text, more.model, usage, 0.0, more.finish_reason)
        reply.seconds = time.perf_counter() - start
        return reply

    def _call(self, messages: list[dict[str, str]], section: Section) -> Reply:
        import openai

        try:
            response = self._client.chat.completions.create(
                model=self.model, messages=messages,  # type: ignore[arg-type]
                temperature=self.settings.temperature)
        except openai.OpenAIError as exc:
            raise LLMCallError(
                f"LLM call for section {section.id} to {self.endpoint} failed after "
                f"{self.settings.max_retries} retries ({type(exc).__name__}); check the endpoint, model and key "
                "(or raise --timeout / --max-retries)") from None
        choice = response.choices[0]
        usage = response.usage
        return Reply(
            text=choice.message.content or "",
            model=response.model or self.model,
            usage={"prompt_tokens": usage.prompt_tokens, "completion_tokens": usage.completion_tokens} if usage else {},
            finish_reason=choice.finish_reason or "",
        )


def make_backend(name: str | None, **overrides: Any) -> Backend:
    """``offline``, ``openai``, or (None) openai when a key or endpoint is configured, else offline."""
    if name is None:
        # A key alone also means "use a model": the openai backend then asks for the endpoint by name.
        configured = (os.environ.get("OPENAI_API_KEY") or os.environ.get("OPENAI_BASE_URL")
                      or overrides.get("api_key") or overrides.get("base_url"))
        name = "openai" if configured else "offline"
    if name == "offline":
        return OfflineBackend()
    if name == "openai":
        return OpenAIBackend(OpenAISettings.from_env(**overrides))
    raise GongwenError(f"unknown backend '{name}'; use offline or openai")
