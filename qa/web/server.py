"""How the web app is exposed: bind address, login, served files, and no outbound calls.

* Loopback only, unless ``app.allow_remote`` is set; a non-loopback bind without it is refused.
* Optional login (``app.auth_user`` + ``app.auth_password``): our own gate (``qa.web.login``) in front of every
  route, with a strength check at start and per-client rate limiting; Gradio's page-level auth is not used.
* Gradio keeps its uploads and output copies under ``data_dir/cache/gradio`` and may serve files only
  from there and from the evidence render cache: nothing else on disk is reachable over HTTP.
* No analytics, version check, share link, run history, MCP server or monitoring endpoint; and no route
  makes the server fetch a URL: ``/file=<url>``, its alias ``/file/<url>`` (in any encoding) and ``/proxy=`` are refused.
"""

from __future__ import annotations

import ipaddress
import logging
import os
import re
from pathlib import Path
from urllib.parse import unquote

from starlette.middleware import Middleware
from starlette.responses import PlainTextResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from index.core.settings import Settings
from qa.evidence import cache_dir as evidence_cache_dir
from qa.web.downloads import exports_dir
from qa.web.login import LoginGate, password_problem

log = logging.getLogger(__name__)
_URL_LIKE = re.compile(r"^\s*(?:[a-z][a-z0-9+.\-]*:|//|\\\\|/\\|\\/)", re.IGNORECASE)  # scheme:, //host, \\host
# Gradio's routes that read a file or a URL: /file=…, /file/…, /proxy=… (under /gradio_api or not).
_FILE_ROUTE = re.compile(r"/(?:file=|file/|proxy=)(?P<target>.*)$", re.IGNORECASE)


class ServeRefused(Exception):
    """The requested bind or login settings are unsafe; the message says how to proceed."""


def is_loopback(host: str) -> bool:
    if host.strip().lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False  # a host name other than localhost may resolve anywhere


def check_bind(host: str, settings: Settings) -> None:
    if is_loopback(host):
        return
    if not settings.app.allow_remote:
        raise ServeRefused(
            f"拒绝绑定到 {host}：默认只允许本机访问（127.0.0.1）。如需局域网访问，请设置 "
            "BUDGET_QA_APP__ALLOW_REMOTE=true（建议同时设置 BUDGET_QA_APP__AUTH_USER / BUDGET_QA_APP__AUTH_PASSWORD）"
        )
    if login(settings) is None:
        log.warning("serving on %s without a login (app.auth_user / app.auth_password not set)", host)


def login(settings: Settings) -> tuple[str, str] | None:
    user = settings.app.auth_user
    password = settings.app.auth_password.get_secret_value() if settings.app.auth_password else None
    if bool(user) != bool(password):
        raise ServeRefused(
            "登录设置不完整：需要同时设置 BUDGET_QA_APP__AUTH_USER 和 BUDGET_QA_APP__AUTH_PASSWORD"
        )
    if not (user and password):
        return None
    problem = password_problem(user, password)
    if problem:
        raise ServeRefused(f"登录密码太弱：{problem}。请修改 BUDGET_QA_APP__AUTH_PASSWORD 后再启动。")
    return user, password


def gradio_temp_dir(settings: Settings) -> Path:
    return settings.data_dir / "cache" / "gradio"


def gradio_environment(settings: Settings) -> dict[str, str]:
    """Environment Gradio reads when its components and app are created (set before building the UI)."""
    return {
        "GRADIO_ANALYTICS_ENABLED": "False",
        "HF_HUB_OFFLINE": "1",
        "HF_HUB_DISABLE_TELEMETRY": "1",
        "GRADIO_TEMP_DIR": str(gradio_temp_dir(settings).resolve()),
        "GRADIO_EXAMPLES_CACHE": str((settings.data_dir / "cache" / "examples").resolve()),
    }


def apply_gradio_environment(settings: Settings) -> None:
    for key, value in gradio_environment(settings).items():
        os.environ[key] = value
    gradio_temp_dir(settings).mkdir(parents=True, exist_ok=True)


def fetches_remote(raw_path: str) -> bool:
    """True for a request that would make the server fetch a URL: every Gradio file/proxy route whose
    target looks like one, however often it was percent-encoded; every ``/proxy=`` route."""
    path = raw_path
    for _ in range(4):  # %252F → %2F → /
        path = unquote(path)
    path = path.replace("\\", "/")
    match = _FILE_ROUTE.search(path)
    if match is None:
        return False
    target = match.group("target")
    return "/proxy=" in path.lower() or bool(_URL_LIKE.match(target)) or "://" in target or ":/" in target


class RefuseRemoteFiles:
    """ASGI middleware: no request makes this server fetch a remote URL."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            raw = scope.get("raw_path", b"").decode("latin-1") or scope.get("path", "")
            if fetches_remote(raw) or fetches_remote(scope.get("path", "")):
                response = PlainTextResponse("不提供外部文件", status_code=403)
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)


def launch_options(settings: Settings, host: str, port: int) -> dict:
    """Keyword arguments for ``Blocks.launch``."""
    check_bind(host, settings)
    credentials = login(settings)
    middleware = [Middleware(RefuseRemoteFiles)]
    if credentials:  # outermost: nothing, not even a refusal, is reachable before login
        middleware.insert(0, Middleware(LoginGate, user=credentials[0], password=credentials[1]))
    evidence = evidence_cache_dir(settings).resolve()
    evidence.mkdir(parents=True, exist_ok=True)
    exports = exports_dir(settings).resolve()  # the download buttons' workbooks
    exports.mkdir(parents=True, exist_ok=True)
    return {
        "server_name": host,
        "server_port": port,
        "auth": None,  # the LoginGate middleware guards every route, Gradio's own pages included
        "share": False,
        "inbrowser": False,
        "allowed_paths": [str(evidence), str(exports)],
        "blocked_paths": [str(settings.files_dir.resolve()), str(settings.db_path.resolve())],
        "max_file_size": f"{settings.app.max_upload_mb}mb",
        "show_error": False,
        "ssr_mode": False,
        "pwa": False,
        "mcp_server": False,
        "enable_monitoring": False,
        "run_history": False,
        "footer_links": [],
        "app_kwargs": {"middleware": middleware, "docs_url": None, "redoc_url": None, "openapi_url": None},
        "quiet": True,
    }
