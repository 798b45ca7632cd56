"""预算问答 web app: builds the Gradio UI from the engine and launches it (``budget-qa serve``).

The answering, evidence, upload and audit logic lives in ``qa``; this module only assembles the
tabs (``qa.ui_chat``, ``qa.ui_documents``) and starts the server with the safe options of
``qa.server``.
"""

from __future__ import annotations

import argparse
import sys

from index.settings import Settings
from qa.server import ServeRefused, apply_gradio_environment, launch_options

TITLE = "预算问答"
CSS = """
#citations label { font-size: 0.9em; }
#evidence-text p { margin: 0.2em 0; }
"""


def build_app(services):
    """The whole UI over ``services`` (a ``qa.services.Services``); not launched."""
    import gradio as gr

    from qa.ui_chat import build_chat_tab
    from qa.ui_documents import build_documents_tabs

    with gr.Blocks(title=TITLE, analytics_enabled=False, delete_cache=(3600, 24 * 3600)) as demo:
        gr.Markdown(f"## {TITLE}：政府部门预算/决算公开材料问答\n回答均附原文出处（文件、页码、表格、行、列）；计算类回答给出公式。")
        with gr.Tabs():
            with gr.Tab("问答", id="chat"):
                chat = build_chat_tab(services)
            documents = build_documents_tabs(services)
        chat_refresh, chat_outputs = chat["load"]
        docs_refresh, docs_outputs = documents["load"]
        demo.load(chat_refresh, None, chat_outputs, queue=False, api_visibility="private")
        demo.load(docs_refresh, None, docs_outputs, queue=False, api_visibility="private")
        for event in documents["changes"]:
            # New or deleted documents change the scope choices and the example questions.
            event.then(chat_refresh, None, chat_outputs, queue=False, api_visibility="private")
    # Answers run in worker threads; this many at once, the rest wait their turn in the queue.
    concurrency = services.settings.app.concurrency
    demo.queue(default_concurrency_limit=concurrency, max_size=max(64, 8 * concurrency), api_open=False)
    return demo


def command_serve(settings: Settings, args: argparse.Namespace) -> int:
    host = args.host or settings.app.host
    port = args.port or settings.app.port
    try:
        options = launch_options(settings, host, port)  # refuses unsafe binds and half-set logins
    except ServeRefused as exc:
        print(f"✗ {exc}", file=sys.stderr)
        return 2
    # Gradio reads these when components are created: set them before importing the UI.
    apply_gradio_environment(settings)
    from qa.services import Services

    services = Services.open(settings)
    if not services.documents():
        print(f"提示：数据目录 {settings.data_dir} 中还没有文档，可在“文档”页上传，或运行 budget-qa ingest。", file=sys.stderr)
    demo = build_app(services)
    try:
        demo.launch(**options, css=CSS, prevent_thread_lock=True)
    except OSError as exc:  # e.g. the port is taken
        print(f"✗ 无法在 {host}:{port} 启动网页界面 / cannot start the web app: {exc}", file=sys.stderr)
        return 2
    print(f"预算问答已启动：http://{'[' + host + ']' if ':' in host else host}:{port}（Ctrl+C 退出）", file=sys.stderr, flush=True)
    demo.block_thread()  # until Ctrl+C, then closes the server
    return 0
