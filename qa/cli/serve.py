"""``budget-qa serve``: the web app, bound safely (127.0.0.1 unless remote access is allowed)."""

from __future__ import annotations

import argparse
import sys

from qa.cli.output import error
from qa.services import Services


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("serve", help="启动网页界面")
    p.add_argument("--host", default=None,
                   help="监听地址（默认 127.0.0.1；其他地址须设置 BUDGET_QA_APP__ALLOW_REMOTE=true）")
    p.add_argument("--port", type=int, default=None, help="端口（默认 7860）")
    p.set_defaults(run=command_serve)


def command_serve(services: Services, args: argparse.Namespace) -> int:
    # The web side (gradio: ~2.5 s to import) only for this command: every other one starts without it.
    from qa.web.server import ServeRefused, apply_gradio_environment, launch_options
    from qa.web.uploads import sweep_stale_uploads

    settings = services.settings
    host = args.host or settings.app.host
    port = args.port or settings.app.port
    try:
        options = launch_options(settings, host, port)  # refuses unsafe binds and half-set logins
    except ServeRefused as exc:
        error(str(exc))
        return 2
    # Gradio reads these when components are created: set them before the UI (and gradio) is imported.
    apply_gradio_environment(settings)
    from qa.web.chinese import HEAD
    from qa.web.serve import CSS, build_app

    services.ingestor.housekeeping()
    sweep_stale_uploads(settings)
    services.refresh(force=True)
    if not services.documents():
        print(f"提示：数据目录 {settings.data_dir} 中还没有文档，可在“文档”页上传，或运行 budget-qa ingest。", file=sys.stderr)
    demo = build_app(services)
    try:
        demo.launch(**options, css=CSS, head=HEAD, prevent_thread_lock=True)
    except OSError as exc:  # e.g. the port is taken
        error(f"无法在 {host}:{port} 启动网页界面：{exc}（端口可能已被占用，可用 --port 换一个）")
        return 2
    shown = f"[{host}]" if ":" in host else host
    print(f"预算问答已启动：http://{shown}:{port}（Ctrl+C 退出）", file=sys.stderr, flush=True)
    demo.block_thread()  # until Ctrl+C, then closes the server
    return 0
