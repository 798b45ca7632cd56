"""The 问答 tab: chat with streamed answers, a scope filter, example questions, and the evidence panel.

``ChatHandlers`` holds the event functions (plain Python, tested without a browser);
``build_chat_tab`` lays out the components and wires them to the handlers.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import gradio as gr

from qa.answer.answerer import Final
from qa.contract import Answer
from qa.evidence import EvidenceError
from qa.services import Services
from qa.understand.scope import Scope
from qa.web.conversation import Conversation, format_evidence
from qa.web.downloads import Downloads

log = logging.getLogger(__name__)

MAX_QUESTION_CHARS = 500
EVIDENCE_HINT = "提问后，这里列出回答的引用（[1]、[2] …）；点击引用查看原文页面与所用的表格行。"
HISTORY_KEY = "budget-qa-conversation"  # the browser's storage key for the conversation kept across reloads
# After an answer: scroll the chat so the last question and the start of its answer (the figure) are in view.
SHOW_LAST_ANSWER = """() => {
  const rows = document.querySelectorAll('#chat .message-row');
  const last = [...rows].reverse().find(r => r.classList.contains('user-row'));
  const box = last && last.closest('.bubble-wrap');
  if (box) box.scrollTop = last.offsetTop - box.offsetTop - 8;
}"""


def department_choices(services: Services) -> list[tuple[str, str]]:
    seen: dict[str, str] = {}
    for doc in services.documents():
        if doc.department and doc.department not in seen:
            seen[doc.department] = doc.short_name or doc.department
    return sorted(((label, dept) for dept, label in seen.items()), key=lambda x: x[0])


def year_choices(services: Services) -> list[str]:
    return [str(y) for y in sorted({d.year for d in services.documents() if d.year}, reverse=True)]


class ChatHandlers:
    def __init__(self, services: Services):
        self.services = services

    def respond(self, message: str, conversation: Conversation, departments: list[str] | None, years: list[str] | None) -> Iterator[tuple]:
        """Stream one turn. Yields (chat messages, conversation, question box, citation selector)."""
        question = (message or "").strip()[:MAX_QUESTION_CHARS]
        if not question:
            yield conversation.messages(), conversation, "", gr.update()
            return
        engine = self.services.engine
        scope = Scope(departments=list(departments or []), years=[int(y) for y in years or []])
        context = conversation.context
        turn = conversation.start(question)
        yield conversation.messages(), conversation, "", gr.update()  # citations change with the answer
        try:
            for event in engine.ask_stream(question, context, scope):
                if isinstance(event, Final):
                    turn.answer = event.answer
                    # The question as the engine read it is the next turn's context: no second parse.
                    conversation.context = event.parsed if event.parsed is not None else context
                else:
                    turn.partial += event.text
                    yield conversation.messages(), conversation, "", gr.update()
        except Exception:  # the session must survive an engine bug; it is logged with its traceback
            log.exception("answering %r failed", question)
            turn.answer = Answer(
                question=question, status="refused", method="lookup",
                answer="抱歉，回答这个问题时程序出错，未能给出答案。请换一种问法，或联系管理员查看日志。",
            )
        choices = conversation.citation_choices()
        first = choices[0][1] if choices else None
        yield conversation.messages(), conversation, "", gr.update(choices=choices, value=first)

    def readings(self, conversation: Conversation) -> dict:
        """The last refusal's readings (您是否想问), as clickable questions; hidden when there are none."""
        readings = conversation.readings()
        return gr.update(samples=[[r] for r in readings], visible=bool(readings))

    def show_evidence(self, choice: str | None, conversation: Conversation) -> tuple:
        """(page image, close-up image, evidence text) for the selected citation; an image without
        anything to show is hidden, a landscape page is shown wide."""
        found = conversation.lookup(choice)
        if found is None:
            return hidden_image(), hidden_image(), EVIDENCE_HINT
        answer, citation = found
        text = format_evidence(answer, citation, answer.citations.index(citation))
        try:
            images = self.services.renderer.render(citation)
        except EvidenceError as exc:
            return hidden_image(), hidden_image(), f"{text}\n\n⚠️ {exc}"
        if images.zoom is None:
            text += "\n\n<sub>未能在页面上找到引用的位置，页面未标注。</sub>"
        zoom = gr.update(value=str(images.zoom), visible=True) if images.zoom else hidden_image()
        return page_image(images.page, images.landscape), zoom, text

    def select_turn(self, conversation: Conversation, event: gr.SelectData) -> dict:
        """Clicking an earlier answer lists that answer's citations."""
        index = event.index if isinstance(event.index, int) else event.index[0]
        choices = conversation.citation_choices(index // 2)
        return gr.update(choices=choices, value=choices[0][1] if choices else None)

    def clear(self) -> tuple:
        return [], Conversation(), gr.update(choices=[], value=None), hidden_image(), hidden_image(), EVIDENCE_HINT

    def restore(self, stored: object) -> tuple:
        """A reloaded page gets its conversation back from the browser: (chat, conversation, citations)."""
        conversation = Conversation.restored(stored)
        choices = conversation.citation_choices()
        return conversation.messages(), conversation, gr.update(choices=choices, value=None)

    def on_load(self) -> tuple:
        """A new page sees the current documents (another process may have ingested some)."""
        self.services.refresh()
        return (
            gr.update(choices=department_choices(self.services)),
            gr.update(choices=year_choices(self.services)),
            gr.update(samples=[[q] for q in self.services.examples]),
            self.services.llm_notice(),
        )


def hidden_image() -> dict:
    return gr.update(value=None, visible=False)


def page_image(path: Path, landscape: bool) -> dict:
    """A page image sized to its orientation (the CSS classes are in ``qa.web.serve``)."""
    return gr.update(value=str(path), visible=True, elem_classes=["page-landscape" if landscape else "page-portrait"])


def build_chat_tab(services: Services) -> dict:
    """Lay out the chat tab inside the current ``gr.Blocks``; returns components other tabs update.

    Ask first: the chat and the question box fill the first screen (at 1366×768 and on a phone), the
    scope filter is folded under them; the evidence sits beside the chat (below it on a phone), and the
    whole cited page below both, as wide as the page needs.
    """
    handlers = ChatHandlers(services)
    conversation = gr.State(Conversation())
    history = gr.BrowserState(None, storage_key=HISTORY_KEY)
    notice = gr.Markdown(services.llm_notice(), elem_id="llm-notice")
    with gr.Row(equal_height=False):
        with gr.Column(scale=3, min_width=340):
            chatbot = gr.Chatbot(
                show_label=False, elem_id="chat", buttons=["copy"], feedback_options=None, autoscroll=False,
                placeholder="可以问：某部门某年的收入预算、支出预算、基本支出、“三公”经费，同比增减、占比等。",
            )
            with gr.Row(elem_id="ask-row"):
                question = gr.Textbox(
                    placeholder="输入问题，例如：区政府外办2020年收入预算是多少？", show_label=False, scale=5, min_width=160,
                    max_length=MAX_QUESTION_CHARS, elem_id="question", submit_btn=False,
                )
                send = gr.Button("提问", variant="primary", scale=1, min_width=64, elem_id="ask")
                clear = gr.Button("新对话", scale=1, min_width=64, elem_id="new-chat")
            readings = gr.Dataset(
                components=[question], samples=[], label="您是否想问（点击即问）", elem_id="readings", visible=False
            )
            examples = gr.Dataset(
                components=[question], samples=[[q] for q in services.examples], label="示例问题（点击填入）", elem_id="examples"
            )
            with gr.Accordion("限定范围：部门、年份（不选 = 全部文档）", open=False, elem_id="scope"):
                with gr.Row():
                    departments = gr.Dropdown(
                        department_choices(services), multiselect=True, label="部门", elem_id="scope-departments"
                    )
                    years = gr.Dropdown(year_choices(services), multiselect=True, label="年份", elem_id="scope-years")
        with gr.Column(scale=2, min_width=320, elem_id="evidence"):
            citations = gr.Radio([], label="引用（点击查看原文）", elem_id="citations")
            evidence_file = gr.DownloadButton("下载依据表格（电子表格）", visible=False, elem_id="download-evidence")
            evidence_text = gr.Markdown(EVIDENCE_HINT, elem_id="evidence-text")
            zoom = gr.Image(label="引用位置（放大）", type="filepath", interactive=False, visible=False,
                            buttons=[], elem_id="evidence-zoom")
    page = gr.Image(label="原文页面（整页，引用处已标出）", type="filepath", interactive=False, visible=False,
                    buttons=[], elem_id="evidence-page", elem_classes=["page-portrait"])

    ask_inputs = [question, conversation, departments, years]
    ask_outputs = [chatbot, conversation, question, citations]
    private: dict = {"queue": False, "api_visibility": "private"}

    def after_answer(event: Any) -> Any:
        """Readings offered, the conversation kept in the browser, the new answer's top scrolled into view."""
        return (
            event.then(handlers.readings, [conversation], [readings], **private)
            .then(Conversation.stored, [conversation], [history], **private)
            .then(None, None, None, js=SHOW_LAST_ANSWER, **private)
        )

    # Public API (gradio_client): "ask" and "evidence"; the rest are the page's own events.
    after_answer(send.click(handlers.respond, ask_inputs, ask_outputs, api_name="ask", concurrency_id="answer"))
    after_answer(question.submit(handlers.respond, ask_inputs, ask_outputs, api_visibility="private", concurrency_id="answer"))
    examples.click(lambda sample: sample[0], examples, question, **private)
    # A reading is asked as soon as it is clicked, in the same conversation (it keeps the scope and context).
    after_answer(readings.click(lambda sample: sample[0], readings, question, **private).then(
        handlers.respond, ask_inputs, ask_outputs, api_visibility="private", concurrency_id="answer"))
    citations.change(
        handlers.show_evidence, [citations, conversation], [page, zoom, evidence_text], api_name="evidence", concurrency_id="evidence"
    )
    # The answer's evidence tables follow the citations shown: a new answer, an earlier one clicked, a cleared chat.
    citations.change(Downloads(services).evidence, [citations, conversation], evidence_file, concurrency_id="export",
                     api_visibility="private")
    chatbot.select(handlers.select_turn, [conversation], [citations], **private)
    clear.click(handlers.clear, None, [chatbot, conversation, citations, page, zoom, evidence_text], **private).then(
        Conversation.stored, [conversation], [history], **private)
    return {
        "departments": departments, "years": years, "examples": examples, "notice": notice,
        "load": (handlers.on_load, [departments, years, examples, notice]),
        "restore": (handlers.restore, [history], [chatbot, conversation, citations]),
    }
