"""The whole Gradio app over a ``Services``: the 问答 tab and the 文档/核对 tabs, queued and ready to launch.

Gradio reads its environment when components are created, so ``qa.web.server.apply_gradio_environment``
must run before this module is imported (``qa.cli.serve`` does it).
"""

from __future__ import annotations

import gradio as gr

from qa.services import Services
from qa.web.chat import build_chat_tab
from qa.web.documents import build_documents_tabs

TITLE = "预算问答"
CSS = """
#banner { gap: 0; }
#banner h1 { font-size: 1.25rem; margin: 0; }
#banner p, #llm-notice p { margin: 0; font-size: 0.85rem; }
/* The chat leaves room for the question box below it on the first screen, on a laptop and on a phone. */
#chat { height: clamp(240px, calc(100vh - 360px), 560px) !important; }
#chat h3 { margin: 0 0 0.2em; font-size: 1.35em; }
#evidence-zoom img { width: 100% !important; height: auto !important; max-height: none !important; }
#evidence-zoom .image-container { height: auto !important; }
#chat details summary { cursor: pointer; color: var(--body-text-color-subdued); }
#citations label { font-size: 0.9em; }
#evidence-text p { margin: 0.2em 0; }
/* A page image as wide as its column when landscape (tables), at most a screen tall when portrait. */
.page-landscape img { width: 100% !important; height: auto !important; max-height: none !important; }
.page-portrait img { width: auto !important; max-width: 100% !important; height: auto !important; max-height: 95vh !important; }
.page-landscape .image-container, .page-portrait .image-container { height: auto !important; }
@media (max-width: 640px) {
  #chat { height: clamp(240px, calc(100vh - 430px), 520px) !important; }
  #banner p { display: none; }
  #llm-notice p { font-size: 0.78rem; }
  #ask-row { flex-wrap: wrap; }
  #ask-row > .form { flex: 1 1 100% !important; }
}
"""


def build_app(services: Services) -> gr.Blocks:
    """The whole UI over ``services``; not launched."""
    with gr.Blocks(title=TITLE, analytics_enabled=False, delete_cache=(3600, 24 * 3600)) as demo:
        gr.Markdown(
            f"# {TITLE}\n政府部门预算/决算公开材料问答：回答均附原文出处（文件、页码、表格、行、列），计算类回答给出公式。",
            elem_id="banner",
        )
        with gr.Tabs():
            with gr.Tab("问答", id="chat"):
                chat = build_chat_tab(services)
            documents = build_documents_tabs(services)
        chat_refresh, chat_outputs = chat["load"]
        docs_refresh, docs_outputs = documents["load"]
        demo.load(chat_refresh, None, chat_outputs, queue=False, api_visibility="private")
        restore, restore_inputs, restore_outputs = chat["restore"]
        demo.load(restore, restore_inputs, restore_outputs, queue=False, api_visibility="private")
        demo.load(docs_refresh, None, docs_outputs, queue=False, api_visibility="private")
        for event in documents["changes"]:
            # New or deleted documents change the scope choices and the example questions.
            event.then(chat_refresh, None, chat_outputs, queue=False, api_visibility="private")
    # Answers run in worker threads; this many at once, the rest wait their turn in the queue.
    concurrency = services.settings.app.concurrency
    demo.queue(default_concurrency_limit=concurrency, max_size=max(64, 8 * concurrency), api_open=False)
    return demo
