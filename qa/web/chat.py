"""The 问答 tab: chat with streamed answers, a scope filter, example questions, and the evidence panel.

``ChatHandlers`` holds the event functions (plain Python, tested without a browser);
``build_chat_tab`` lays out the components and wires them to the handlers.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator

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
EVIDENCE_HINT = "点击回答下方的引用（[1]、[2] …）查看原文页面与所用的表格行。"


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
        """(page image, close-up image, evidence text) for the selected citation."""
        found = conversation.lookup(choice)
        if found is None:
            return None, None, EVIDENCE_HINT
        answer, citation = found
        text = format_evidence(answer, citation, answer.citations.index(citation))
        try:
            images = self.services.renderer.render(citation)
        except EvidenceError as exc:
            return None, None, f"{text}\n\n⚠️ {exc}"
        return str(images.page), (str(images.zoom) if images.zoom else None), text

    def select_turn(self, conversation: Conversation, event: gr.SelectData) -> dict:
        """Clicking an earlier answer lists that answer's citations."""
        index = event.index if isinstance(event.index, int) else event.index[0]
        choices = conversation.citation_choices(index // 2)
        return gr.update(choices=choices, value=choices[0][1] if choices else None)

    def clear(self) -> tuple:
        return [], Conversation(), gr.update(choices=[], value=None), None, None, EVIDENCE_HINT

    def on_load(self) -> tuple:
        """A new page sees the current documents (another process may have ingested some)."""
        self.services.refresh()
        return (
            gr.update(choices=department_choices(self.services)),
            gr.update(choices=year_choices(self.services)),
            gr.update(samples=[[q] for q in self.services.examples]),
            self.services.llm_notice(),
        )


def build_chat_tab(services: Services) -> dict:
    """Lay out the chat tab inside the current ``gr.Blocks``; returns components other tabs update."""
    handlers = ChatHandlers(services)
    conversation = gr.State(Conversation())
    notice = gr.Markdown(services.llm_notice(), elem_id="llm-notice")
    with gr.Row(equal_height=False):
        with gr.Column(scale=3, min_width=420):
            with gr.Row():
                departments = gr.Dropdown(
                    department_choices(services), multiselect=True, label="限定部门（不选 = 全部文档）", elem_id="scope-departments"
                )
                years = gr.Dropdown(year_choices(services), multiselect=True, label="限定年份", elem_id="scope-years")
            chatbot = gr.Chatbot(
                label="对话", height=480, elem_id="chat", buttons=["copy"], feedback_options=None,
                placeholder="可以问：某部门某年的收入预算、支出预算、基本支出、“三公”经费，同比增减、占比等。",
            )
            citations = gr.Radio([], label="引用（点击查看原文）", elem_id="citations")
            evidence_file = gr.DownloadButton("下载依据表格（Excel）", visible=False, elem_id="download-evidence")
            with gr.Row():
                question = gr.Textbox(
                    placeholder="输入问题，例如：区政府外办2020年收入预算是多少？", show_label=False, scale=5,
                    max_length=MAX_QUESTION_CHARS, elem_id="question", submit_btn=False,
                )
                send = gr.Button("提问", variant="primary", scale=1, elem_id="ask")
                clear = gr.Button("新对话", scale=1)
            readings = gr.Dataset(
                components=[question], samples=[], label="您是否想问（点击即问）", elem_id="readings", visible=False
            )
            examples = gr.Dataset(
                components=[question], samples=[[q] for q in services.examples], label="示例问题", elem_id="examples"
            )
        with gr.Column(scale=2, min_width=360):
            gr.Markdown("### 原文依据")
            evidence_text = gr.Markdown(EVIDENCE_HINT, elem_id="evidence-text")
            zoom = gr.Image(label="引用位置（放大）", type="filepath", interactive=False, height=200, elem_id="evidence-zoom")
            page = gr.Image(label="原文页面", type="filepath", interactive=False, height=720, elem_id="evidence-page")

    ask_inputs = [question, conversation, departments, years]
    ask_outputs = [chatbot, conversation, question, citations]
    # Public API (gradio_client): "ask" and "evidence"; the rest are the page's own events.
    send.click(handlers.respond, ask_inputs, ask_outputs, api_name="ask", concurrency_id="answer").then(
        handlers.readings, [conversation], [readings], queue=False, api_visibility="private")
    question.submit(handlers.respond, ask_inputs, ask_outputs, api_visibility="private", concurrency_id="answer").then(
        handlers.readings, [conversation], [readings], queue=False, api_visibility="private")
    examples.click(lambda sample: sample[0], examples, question, queue=False, api_visibility="private")
    # A reading is asked as soon as it is clicked, in the same conversation (it keeps the scope and context).
    readings.click(lambda sample: sample[0], readings, question, queue=False, api_visibility="private").then(
        handlers.respond, ask_inputs, ask_outputs, api_visibility="private", concurrency_id="answer").then(
        handlers.readings, [conversation], [readings], queue=False, api_visibility="private")
    citations.change(
        handlers.show_evidence, [citations, conversation], [page, zoom, evidence_text], api_name="evidence", concurrency_id="evidence"
    )
    # The answer's evidence tables follow the citations shown: a new answer, an earlier one clicked, a cleared chat.
    citations.change(Downloads(services).evidence, [citations, conversation], evidence_file, concurrency_id="export",
                     api_visibility="private")
    chatbot.select(handlers.select_turn, [conversation], [citations], queue=False, api_visibility="private")
    clear.click(
        handlers.clear, None, [chatbot, conversation, citations, page, zoom, evidence_text], queue=False, api_visibility="private"
    )
    return {
        "departments": departments, "years": years, "examples": examples, "notice": notice,
        "load": (handlers.on_load, [departments, years, examples, notice]),
    }
