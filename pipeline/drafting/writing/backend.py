"""Which section writer drafts, and how many sections at once: the backend and endpoint the user chose.

``offline`` is the composer; ``openai`` is any OpenAI-compatible endpoint the user named (by flag or
environment), through a chat model bounded to the calls its server serves at once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ...errors import GongwenError
from ...i18n import _
from ...llm.endpoint import host_of, is_loopback

if TYPE_CHECKING:
    from ...llm.chat import OpenAISettings
    from ..request import DraftOptions
    from .writers import SectionWriter

BACKENDS = ("offline", "openai")
STYLE_MODES = ("none", "patterns", "raw")  # how example paragraphs are shown to the model (model_writer)


@dataclass
class Endpoint:
    """The model the user named, by flag or environment; a resumed run fills the gaps from run.json."""

    backend: str | None = None
    model: str | None = None
    base_url: str | None = None
    api_key: str | None = field(default=None, repr=False)
    timeout: float | None = None
    max_retries: int | None = None

    def chosen_backend(self) -> str:
        """``offline`` or ``openai``; unset: openai when a key or an endpoint is configured."""
        if self.backend is not None:
            if self.backend not in BACKENDS:
                raise GongwenError(_("unknown backend '{backend}'; use offline or openai").format(backend=self.backend))
            return self.backend
        # A key alone also means "use a model": the openai backend then asks for the endpoint by name.
        from ...llm.endpoint import configured

        given = configured()
        named = given.get("api_key") or given.get("base_url") or self.api_key or self.base_url
        return "openai" if named else "offline"


DEFAULT_CONCURRENCY = 4


def fit_concurrency(requested: int | None, writer: SectionWriter) -> tuple[int, str]:
    """Sections at once, and why: as asked; else as many as the server says it serves (llama.cpp's
    /props); else one for a server on this machine (it queues the rest, and queued calls time out);
    else four."""
    if requested:
        return requested, _("as asked")
    slots = writer.parallel_slots()
    if slots:
        return slots, _("the server says it serves {slots} at once").format(slots=slots)
    if writer.endpoint and is_loopback(host_of(writer.endpoint)):
        return 1, _("a server on this machine works on one request at a time unless it says otherwise")
    return DEFAULT_CONCURRENCY, _("the default")


def prepare_writer(endpoint: Endpoint, options: DraftOptions, requested: int | None, *,
                   bounded: bool = False) -> SectionWriter:
    """The writer for the chosen backend, with ``options``' concurrency fitted to its endpoint (and why).
    ``bounded``: one bound on the calls in flight across every report drafted at once (a batch)."""
    writer = make_writer(endpoint, options.style_refs)
    options.concurrency, options.concurrency_why = fit_concurrency(requested, writer)
    return make_writer(endpoint, options.style_refs, bound=options.concurrency) if bounded else writer


def check_choice(endpoint: Endpoint, style_refs: str = "patterns") -> OpenAISettings | None:
    """What :func:`make_writer` refuses (a style mode, a backend, an endpoint not named or not allowed),
    found without importing the ``openai`` client (0.8 s) or the writers, so a command can say so before
    it says it is preparing. The endpoint's settings, or None for the offline composer."""
    from ...llm.chat import OpenAISettings

    if style_refs not in STYLE_MODES:
        raise GongwenError(_("'{value}': use none, patterns or raw").format(value=style_refs))
    if endpoint.chosen_backend() == "offline":
        return None
    return OpenAISettings.from_env(model=endpoint.model, base_url=endpoint.base_url, api_key=endpoint.api_key,
                                   timeout=endpoint.timeout, max_retries=endpoint.max_retries)


def make_writer(endpoint: Endpoint, style_refs: str = "patterns", bound: int | None = None) -> SectionWriter:
    """The section writer for the chosen backend; ``bound`` caps the calls in flight across threads."""
    from ...llm.chat import BoundedChatModel, ChatModel, OpenAIChatModel
    from .model_writer import LLMWriter
    from .writers import ComposerWriter

    settings = check_choice(endpoint, style_refs)
    if settings is None:
        return ComposerWriter()
    chat: ChatModel = OpenAIChatModel(settings)
    return LLMWriter(BoundedChatModel(chat, bound) if bound else chat, style_refs)
