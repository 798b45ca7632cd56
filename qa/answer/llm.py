"""The one boundary to chat models: builds the OpenAI-compatible LLM from settings and calls it.

Nothing else imports a provider package. Errors and timeouts become ``LLMUnavailable`` so callers
fall back to the extractive answer. The API key is passed to the client and never logged.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import TYPE_CHECKING

import httpx

from index.core.settings import LLMSettings

if TYPE_CHECKING:  # the provider packages take a second or two to import: only once a model is configured
    from llama_index.core.llms import ChatMessage
    from llama_index.llms.openai_like import OpenAILike

log = logging.getLogger(__name__)


class LLMUnavailable(RuntimeError):
    """The model endpoint timed out or failed; safe to retry later, answer extractively now."""


def build_llm(settings: LLMSettings) -> OpenAILike | None:
    """An explicit llm object (never llama-index's global ``Settings.llm``), or None when not configured."""
    if not settings.configured or settings.model is None:
        return None
    from llama_index.llms.openai_like import OpenAILike

    api_key = settings.api_key.get_secret_value() if settings.api_key else "not-needed"
    return OpenAILike(
        model=settings.model,
        api_base=settings.base_url,
        api_key=api_key,
        is_chat_model=True,
        is_function_calling_model=False,
        context_window=32000,
        temperature=settings.temperature,
        timeout=settings.timeout_s,
        max_retries=0,  # a retry would double the wait the user sees; we fall back instead
    )


def describe(settings: LLMSettings) -> str:
    """For logs and the UI: endpoint and model, never the key."""
    return f"{settings.model} @ {settings.base_url}" if settings.configured else "未配置大模型"


class ChatModel:
    """Thin call wrapper that maps provider errors to ``LLMUnavailable``."""

    def __init__(self, settings: LLMSettings):
        self.settings = settings
        self.llm = build_llm(settings)

    @property
    def available(self) -> bool:
        return self.llm is not None

    def _messages(self, system: str, user: str) -> list[ChatMessage]:
        from llama_index.core.llms import ChatMessage, MessageRole

        return [ChatMessage(role=MessageRole.SYSTEM, content=system), ChatMessage(role=MessageRole.USER, content=user)]

    def complete(self, system: str, user: str) -> str:
        """The whole reply at once; raises ``LLMUnavailable`` on failure or timeout."""
        if self.llm is None:
            raise LLMUnavailable("未配置大模型")
        import openai  # loaded with the model (build_llm)

        try:
            return self.llm.chat(self._messages(system, user)).message.content or ""
        except (openai.APIError, httpx.HTTPError) as exc:
            log.warning("LLM call to %s failed: %s", describe(self.settings), type(exc).__name__)
            raise LLMUnavailable(_reason(exc)) from exc

    def stream(self, system: str, user: str) -> Iterator[str]:
        """Text deltas; raises ``LLMUnavailable`` on failure (possibly after some deltas)."""
        if self.llm is None:
            raise LLMUnavailable("未配置大模型")
        import openai  # loaded with the model (build_llm)

        try:
            for chunk in self.llm.stream_chat(self._messages(system, user)):
                if chunk.delta:
                    yield chunk.delta
        except (openai.APIError, httpx.HTTPError) as exc:
            log.warning("LLM stream from %s failed: %s", describe(self.settings), type(exc).__name__)
            raise LLMUnavailable(_reason(exc)) from exc


def _reason(exc: BaseException) -> str:
    import openai  # loaded with the model (build_llm)

    if isinstance(exc, (openai.APITimeoutError, httpx.TimeoutException)):
        return "大模型服务响应超时"
    if isinstance(exc, openai.APIStatusError):
        return f"大模型服务返回错误（HTTP {exc.status_code}）"
    return "无法连接大模型服务"
