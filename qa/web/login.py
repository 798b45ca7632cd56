"""The login that protects every route: our own gate in front of Gradio, not Gradio's page-level auth.

Gradio's own ``auth`` still renders a page whose embedded config lists the app's API (the dropdowns'
choices among them: every indexed department and year) and leaves routes such as ``/openapi.json``
open. This ASGI middleware answers every request itself until the client holds a session:

* ``GET /login`` is a small Chinese form (no Gradio asset, nothing about the documents);
  ``POST /login`` checks the password in constant time and sets an HttpOnly, SameSite=Strict cookie;
* any other path without a session: a page request is sent to ``/login``, anything else gets 401;
* failed attempts are counted per client: each failure is answered after a delay, and after
  ``FREE_ATTEMPTS`` failures the client must wait (doubling, up to ``MAX_LOCK_S``) before trying again;
* a weak password (short, one kind of character, the user name) is refused at start.

    >>> password_problem("admin", "admin")
    '密码至少需要 12 个字符'
"""

from __future__ import annotations

import asyncio
import hmac
import html
import secrets
import time
from dataclasses import dataclass, field
from urllib.parse import parse_qs

from starlette.responses import HTMLResponse, JSONResponse, PlainTextResponse, RedirectResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

COOKIE = "budget_qa_session"
SESSION_S = 12 * 3600
MIN_PASSWORD = 12
FREE_ATTEMPTS = 5
FAILURE_DELAY_S = 1.0
MAX_LOCK_S = 300.0
MAX_FORM_BYTES = 4096
# Gradio's launch() calls this itself, logged out, before it serves anything; it runs the app's startup
# events once and answers ``true``: nothing about the documents.
PUBLIC_PATHS = frozenset({"/gradio_api/startup-events"})


def password_problem(user: str, password: str) -> str | None:
    """Why a password is too weak to guard the app, or None."""
    if len(password) < MIN_PASSWORD:
        return f"密码至少需要 {MIN_PASSWORD} 个字符"
    if not password.strip() or len(set(password)) < 4:
        return "密码不能全是空格或少数几个重复字符"
    if password.lower() == user.lower() or user.lower() in password.lower():
        return "密码不能包含用户名"
    kinds = [any(c.isdigit() for c in password), any(c.isalpha() and c.isascii() for c in password),
             any(not c.isascii() or not c.isalnum() for c in password)]
    if sum(kinds) < 2:
        return "密码至少要包含两类字符（字母、数字、符号或中文）"
    return None


@dataclass
class _Attempts:
    failures: int = 0
    locked_until: float = 0.0


@dataclass
class Sessions:
    """Server-side sessions: a random token per login, forgotten at logout or expiry."""

    expires: dict[str, float] = field(default_factory=dict)

    def new(self) -> str:
        token = secrets.token_urlsafe(32)
        self.expires[token] = time.monotonic() + SESSION_S
        return token

    def valid(self, token: str | None) -> bool:
        expiry = self.expires.get(token or "")
        if expiry is None:
            return False
        if expiry < time.monotonic():
            self.expires.pop(token or "", None)
            return False
        return True

    def end(self, token: str | None) -> None:
        self.expires.pop(token or "", None)


def _form(message: str = "") -> str:
    note = f'<p class="note">{html.escape(message)}</p>' if message else ""
    return f"""<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>预算问答：请登录</title>
<style>body{{font-family:sans-serif;display:flex;justify-content:center;margin-top:12vh}}
form{{display:flex;flex-direction:column;gap:.8em;width:min(22em,90vw)}}input,button{{font-size:1.1em;padding:.4em}}
.note{{color:#b00}}</style></head><body><form method="post" action="/login">
<h2>预算问答：请登录</h2>{note}
<label>用户名 <input name="username" autocomplete="username" required></label>
<label>密码 <input name="password" type="password" autocomplete="current-password" required></label>
<button type="submit">登录</button></form></body></html>"""


class LoginGate:
    """ASGI middleware: nothing behind it is reachable without a session."""

    def __init__(self, app: ASGIApp, user: str, password: str):
        self.app = app
        self.user = user.encode()
        self.password = password.encode()
        self.sessions = Sessions()
        self.attempts: dict[str, _Attempts] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        path = scope.get("path", "")
        if scope["type"] == "http" and path.rstrip("/") in ("/login", "/gradio_api/login"):
            response = await self._login(scope, receive)
        elif scope["type"] == "http" and path.rstrip("/") == "/logout":
            self.sessions.end(_cookie(scope))
            response = RedirectResponse("/login", status_code=303)
            response.delete_cookie(COOKIE, path="/")
        elif self.sessions.valid(_cookie(scope)) or (scope.get("method") == "GET" and path in PUBLIC_PATHS):
            await self.app(scope, receive, send)
            return
        elif scope["type"] == "websocket":
            await send({"type": "websocket.close", "code": 4401})
            return
        elif scope.get("method") == "GET" and "text/html" in _header(scope, b"accept"):
            response = RedirectResponse("/login", status_code=303)
        else:
            response = PlainTextResponse("请先登录", status_code=401)
        await response(scope, receive, send)

    async def _login(self, scope: Scope, receive: Receive) -> Response:
        if scope.get("method") != "POST":
            return HTMLResponse(_form())
        client = (scope.get("client") or ("?", 0))[0]
        state = self.attempts.setdefault(client, _Attempts())
        wait = state.locked_until - time.monotonic()
        if wait > 0:
            return HTMLResponse(_form(f"尝试次数过多，请 {wait:.0f} 秒后再试。"), status_code=429)
        fields = parse_qs((await _body(receive)).decode("utf-8", "replace"))
        user = (fields.get("username") or [""])[0].encode()
        password = (fields.get("password") or [""])[0].encode()
        # Both compared, always: the time taken says nothing about which one was wrong.
        ok = hmac.compare_digest(user, self.user) & hmac.compare_digest(password, self.password)
        if not ok:
            state.failures += 1
            if state.failures >= FREE_ATTEMPTS:
                state.locked_until = time.monotonic() + min(MAX_LOCK_S, 2.0 ** (state.failures - FREE_ATTEMPTS + 1))
            await asyncio.sleep(FAILURE_DELAY_S)
            return HTMLResponse(_form("用户名或密码不正确。"), status_code=401)
        self.attempts.pop(client, None)
        # A browser's form is sent on to the app; an API client (gradio_client) expects 200 and the cookie.
        browser = "text/html" in _header(scope, b"accept")
        response = RedirectResponse("/", status_code=303) if browser else JSONResponse({"success": True})
        response.set_cookie(COOKIE, self.sessions.new(), max_age=SESSION_S, path="/", httponly=True, samesite="strict")
        return response


def _header(scope: Scope, name: bytes) -> str:
    return next((v.decode("latin-1") for k, v in scope.get("headers", []) if k.lower() == name), "")


def _cookie(scope: Scope) -> str | None:
    for part in _header(scope, b"cookie").split(";"):
        key, _, value = part.strip().partition("=")
        if key == COOKIE:
            return value
    return None


async def _body(receive: Receive) -> bytes:
    body = b""
    while True:
        message: Message = await receive()
        body += message.get("body", b"")
        if len(body) > MAX_FORM_BYTES or not message.get("more_body"):
            return body[:MAX_FORM_BYTES]
