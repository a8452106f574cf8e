"""The chat model: ``complete(messages) -> Reply``, one class per provider, and a bounded wrapper.

- ``OpenAIChatModel``: any OpenAI-compatible chat endpoint (DeepSeek, Qwen, GLM, Kimi, vLLM, Ollama,
  the llama.cpp server) through the ``openai`` client. It sends plain chat completions only: no
  ``response_format``, no tools, since local servers reject them.
- ``BoundedChatModel``: any chat model whose calls, from every thread, wait for one of N slots.

A chat model knows nothing of sections or drafts: the model writer (drafting/writing/model_writer.py)
builds the messages and reads the reply. Tests use an in-process fake with the same members.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from pydantic import BaseModel, Field

from ..errors import GongwenError
from ..i18n import N_, _
from .endpoint import CONNECT_SECONDS, EndpointError, check_url, configured, host_of, http_client, is_loopback

Message = dict[str, str]  # {"role": "system" | "user" | "assistant", "content": ...}

LOCAL_TIMEOUT = 600.0  # seconds for one reply from a model on this machine: CPU generation is slow
REMOTE_TIMEOUT = 120.0
# A local server's speed, assumed slow so that a call is never given up while the server still works
# on it (then sent again: 21 requests for 4 finished calls, measured): a slow office PC's CPU.
LOCAL_PROMPT_RATE = 10.0  # tokens/s
LOCAL_GENERATION_RATE = 4.0  # tokens/s
CHARS_PER_TOKEN = 1.5


@dataclass
class Reply:
    text: str
    model: str
    usage: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    finish_reason: str = "stop"


class LLMCallError(GongwenError):
    """A call that failed after the client's retries; the run can be resumed."""

    def __init__(self, endpoint: str, retries: int, reason: str, section: str = "") -> None:
        self.endpoint, self.retries, self.reason, self.section = endpoint, retries, reason, section
        where = _(" for section {section}").format(section=section) if section else ""
        super().__init__(_("LLM call{where} to {endpoint} failed after {retries} retries ({reason}); check the "
                           "endpoint, model and key (or raise --timeout / --max-retries)").format(
            where=where, endpoint=endpoint, retries=retries, reason=reason))

    def for_section(self, section: str) -> LLMCallError:
        return LLMCallError(self.endpoint, self.retries, self.reason, section)


class ChatModel(Protocol):
    """A chat model behind some endpoint: given messages, one reply."""

    @property
    def model(self) -> str: ...

    @property
    def endpoint(self) -> str: ...  # where the text goes, as run.json records it

    def complete(self, messages: Sequence[Message], *, max_tokens: int | None = None,
                 temperature: float | None = None) -> Reply: ...

    def parallel_slots(self) -> int | None: ...  # how many calls the server works on at once, if it says


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
    def local(self) -> bool:
        return is_loopback(host_of(self.base_url))

    @property
    def read_timeout(self) -> float:
        if self.timeout is not None:
            return self.timeout
        return LOCAL_TIMEOUT if self.local else REMOTE_TIMEOUT

    def call_timeout(self, messages: Sequence[Message], max_tokens: int | None) -> float:
        """Seconds to wait for one reply: the user's --timeout, or for a local server, what its slowest
        plausible CPU needs for this prompt and this many tokens; else REMOTE_TIMEOUT."""
        if self.timeout is not None or not self.local or max_tokens is None:
            return self.read_timeout
        prompt_tokens = sum(len(m["content"]) for m in messages) / CHARS_PER_TOKEN
        return 30 + prompt_tokens / LOCAL_PROMPT_RATE + max_tokens / LOCAL_GENERATION_RATE

    @classmethod
    def from_env(cls, **overrides: Any) -> OpenAISettings:
        values: dict[str, Any] = {"model": "", "base_url": "", **configured()}
        values.update({k: v for k, v in overrides.items() if v is not None})
        if not values["base_url"]:
            raise EndpointError(_("no endpoint named: pass --base-url or set OPENAI_BASE_URL (e.g. "
                                  "http://127.0.0.1:8080/v1 for a local llama.cpp server); gongwen never "
                                  "picks one for you, or draft with --backend offline"))
        if not values["model"]:
            raise GongwenError(_("no model named: set GONGWEN_MODEL or pass --model (e.g. deepseek-chat, "
                                 "qwen2.5:7b)"))
        check_url(values["base_url"], N_("the drafting endpoint"))
        return cls(**values)


class OpenAIChatModel:
    def __init__(self, settings: OpenAISettings) -> None:
        import openai

        self.settings = settings
        self._client = openai.OpenAI(
            base_url=settings.base_url, api_key=settings.api_key or "not-needed", max_retries=settings.max_retries,
            timeout=openai.Timeout(settings.read_timeout, connect=CONNECT_SECONDS),
            http_client=http_client(settings.base_url, N_("the drafting endpoint")))

    @property
    def model(self) -> str:
        return self.settings.model

    @property
    def endpoint(self) -> str:
        return self.settings.base_url

    def complete(self, messages: Sequence[Message], *, max_tokens: int | None = None,
                 temperature: float | None = None) -> Reply:
        import openai

        start = time.perf_counter()
        extra: dict[str, Any] = {} if max_tokens is None else {"max_tokens": max_tokens}
        try:
            response = self._client.chat.completions.create(
                model=self.model, messages=list(messages),  # type: ignore[arg-type]
                temperature=self.settings.temperature if temperature is None else temperature,
                timeout=openai.Timeout(self.settings.call_timeout(messages, max_tokens), connect=CONNECT_SECONDS),
                **extra)
        except openai.OpenAIError as exc:
            raise LLMCallError(self.endpoint, self.settings.max_retries, type(exc).__name__) from None
        choice = response.choices[0]
        usage = response.usage
        return Reply(
            text=choice.message.content or "",
            model=response.model or self.model,
            usage={"prompt_tokens": usage.prompt_tokens, "completion_tokens": usage.completion_tokens} if usage else {},
            seconds=time.perf_counter() - start,
            finish_reason=choice.finish_reason or "",
        )


    def parallel_slots(self) -> int | None:
        """How many requests the server works on at once, where it says so (llama.cpp's ``/props``).

        A one-slot server queues the rest: four sections at once meant minutes in its queue, client
        timeouts and the same requests sent again. None when the server does not say.
        """
        root = self.endpoint.rstrip("/").removesuffix("/v1")
        try:
            with http_client(self.endpoint, N_("the drafting endpoint")) as client:
                reply = client.get(f"{root}/props", timeout=3.0)
                slots = reply.json().get("total_slots") if reply.status_code == 200 else None
        except Exception:  # any answer but a count means "not said"
            return None
        return slots if isinstance(slots, int) and slots > 0 else None


class BoundedChatModel:
    """A chat model whose calls, from every thread, wait for one of ``limit`` slots."""

    def __init__(self, inner: ChatModel, limit: int) -> None:
        self.inner = inner
        self._slots = threading.BoundedSemaphore(max(1, limit))

    @property
    def model(self) -> str:
        return self.inner.model

    @property
    def endpoint(self) -> str:
        return self.inner.endpoint

    def complete(self, messages: Sequence[Message], *, max_tokens: int | None = None,
                 temperature: float | None = None) -> Reply:
        with self._slots:
            return self.inner.complete(messages, max_tokens=max_tokens, temperature=temperature)

    def parallel_slots(self) -> int | None:
        return self.inner.parallel_slots()


def openai_chat_model(**overrides: Any) -> OpenAIChatModel:
    """The OpenAI-compatible model the flags and environment name (an endpoint must be named)."""
    return OpenAIChatModel(OpenAISettings.from_env(**overrides))
