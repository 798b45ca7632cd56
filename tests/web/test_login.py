"""The login guards every route, the app fetches no URL, and weak passwords are refused at start.

The server runs in this process (the real Gradio app over the sample data dir) so that its routes can
be enumerated from the app itself rather than from a hand-written list.
"""

from __future__ import annotations

import http.server
import re
import threading
import time
from collections.abc import Iterator

import httpx
import pytest

from eval.app_process import free_port
from qa.services import Services
from qa.web import login as login_module
from qa.web.login import password_problem
from qa.web.server import ServeRefused, fetches_remote, gradio_environment, launch_options
from tests.conftest import make_settings

USER, PASSWORD = "auditor", "西城-budget-2020!"
# Text that only an indexed document could put in a response.
DOCUMENT_MARKERS = ("西城", "外事办公室", "xicheng", "政府办公室", "2020")


@pytest.mark.parametrize(
    ("user", "password", "why"),
    [("reviewer", "short", "至少"), ("reviewer", " " * 14, "空格"), ("reviewer", "aaaaaaaaaaaaaa", "重复"),
     ("admin", "admin-admin-2020", "用户名"),
     ("reviewer", "abcdefghijklmn", "两类")],
)
def test_weak_passwords_are_refused_at_start(user, password, why, tmp_path):
    assert why in (password_problem(user, password) or "")
    settings = make_settings(tmp_path / "data", app={"auth_user": user, "auth_password": password})
    with pytest.raises(ServeRefused, match="密码太弱"):
        launch_options(settings, "127.0.0.1", 7860)


def test_a_strong_password_is_accepted(tmp_path):
    assert password_problem(USER, PASSWORD) is None
    settings = make_settings(tmp_path / "data", app={"auth_user": USER, "auth_password": PASSWORD})
    options = launch_options(settings, "127.0.0.1", 7860)
    assert options["auth"] is None and len(options["app_kwargs"]["middleware"]) == 2


@pytest.mark.parametrize(
    "path",
    [
        "/gradio_api/file=http://example.com/x", "/gradio_api/file/http://example.com/x",
        "/gradio_api/file/https:/example.com/x", "/gradio_api/file=//example.com/x",
        "/gradio_api/file%3Dhttp%3A%2F%2Fexample.com", "/gradio_api/file/http%253A%252F%252Fexample.com",
        "/gradio_api/file=\\\\example.com\\x", "/file=HTTP://example.com", "/gradio_api/proxy=https://example.com/x",
        "/gradio_api/file=ftp://example.com/x",
    ],
)
def test_every_form_of_the_remote_file_route_is_recognised(path):
    assert fetches_remote(path)


@pytest.mark.parametrize("path", ["/gradio_api/file=/tmp/cache/page.png", "/gradio_api/file/cache/evidence/a.png", "/"])
def test_local_file_routes_are_not_mistaken_for_remote(path):
    assert not fetches_remote(path)


@pytest.fixture(scope="module")
def guarded_app(sample_data_dir) -> Iterator[tuple[str, object]]:
    mp = pytest.MonkeyPatch()
    settings = make_settings(sample_data_dir, app={"auth_user": USER, "auth_password": PASSWORD})
    for key, value in gradio_environment(settings).items():
        mp.setenv(key, value)
    mp.setattr(login_module, "FAILURE_DELAY_S", 0.01)
    from qa.web.serve import build_app

    demo = build_app(Services.open(settings))
    port = free_port()
    demo.launch(**launch_options(settings, "127.0.0.1", port), prevent_thread_lock=True)
    try:
        yield f"http://127.0.0.1:{port}", demo
    finally:
        demo.close()
        mp.undo()


def concrete(path: str) -> str:
    return re.sub(r"\{[^}]+\}", "x", path)


def all_routes(routes, prefix: str = "") -> Iterator[tuple[str, set[str]]]:
    """Every (path, methods) of the app, mounted sub-apps and routers included."""
    for route in routes:
        path = prefix + (getattr(route, "path", None) or "")
        # Mounted apps keep .routes; FastAPI's included routers keep .original_router.routes.
        children = getattr(route, "routes", None) or getattr(getattr(route, "original_router", None), "routes", None)
        if children:
            yield from all_routes(children, path)
        elif getattr(route, "path", None) is not None:
            yield path, set(getattr(route, "methods", None) or {"GET"})


def test_no_route_answers_with_document_data_before_login(guarded_app):
    url, demo = guarded_app
    routes = list(all_routes(demo.server_app.routes))  # type: ignore[attr-defined]
    assert len(routes) > 40, f"the app's own routes, not a hand list: {len(routes)}"
    checked = 0
    with httpx.Client(base_url=url, follow_redirects=False, timeout=10) as client:
        for route_path, methods in routes:
            if route_path.rstrip("/").endswith("/login"):
                continue  # the login form itself: attempts there are the rate-limit test's business
            for method in sorted(methods):
                for prefix in ("", "/gradio_api"):
                    path = prefix + concrete(route_path)
                    response = client.request(method, path, headers={"accept": "text/html"})
                    checked += 1
                    allowed = (303, 401, 200) if path in login_module.PUBLIC_PATHS and method == "GET" else (303, 401)
                    assert response.status_code in allowed, (method, route_path, response.status_code)
                    assert not any(m in response.text for m in DOCUMENT_MARKERS), (method, route_path)
        for path in ("/", "/config", "/gradio_api/info", "/openapi.json", "/gradio_api/openapi.json"):
            assert client.get(path).status_code in (303, 401)
    assert checked > 80


def test_login_rate_limit_and_session(guarded_app):
    url, _ = guarded_app
    with httpx.Client(base_url=url, follow_redirects=False, timeout=10) as client:
        assert "请登录" in client.get("/login").text
        codes = [client.post("/login", data={"username": USER, "password": f"wrong-{i}"}).status_code for i in range(7)]
        assert codes[:5] == [401] * 5 and codes[5:] == [429, 429], codes
        locked = client.post("/login", data={"username": USER, "password": PASSWORD})
        assert locked.status_code == 429, "the right password waits out the lock too"
        time.sleep(4.2)  # the lock after 7 failures: 2 ** 3 = 8 s at most; wait for it to run out
        for _ in range(10):
            good = client.post("/login", data={"username": USER, "password": PASSWORD}, headers={"accept": "text/html"})
            if good.status_code == 303:
                break
            time.sleep(1)
        assert good.status_code == 303 and good.headers["location"] == "/"
        cookie = good.headers["set-cookie"]
        assert "httponly" in cookie.lower() and "samesite=strict" in cookie.lower()
        page = client.get("/")
        assert page.status_code == 200 and "gradio" in page.text.lower()
        client.get("/logout")
        assert client.get("/config").status_code == 401
        api = client.post("/gradio_api/login/", data={"username": USER, "password": PASSWORD})
        assert api.status_code == 200 and api.json() == {"success": True}, "gradio_client's login"
        assert client.get("/config").status_code == 200


class _Canary(http.server.BaseHTTPRequestHandler):
    hits: list[str] = []

    def do_GET(self):
        _Canary.hits.append(self.path)
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"canary")

    def log_message(self, *args):
        pass


def test_the_server_fetches_no_url(sample_data_dir, tmp_path):
    canary = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Canary)
    threading.Thread(target=canary.serve_forever, daemon=True).start()
    target = f"http://127.0.0.1:{canary.server_address[1]}/secret"
    mp = pytest.MonkeyPatch()
    settings = make_settings(sample_data_dir)
    for key, value in gradio_environment(settings).items():
        mp.setenv(key, value)
    from qa.web.serve import build_app

    demo = build_app(Services.open(settings))
    port = free_port()
    demo.launch(**launch_options(settings, "127.0.0.1", port), prevent_thread_lock=True)
    try:
        encoded = target.replace(":", "%3A").replace("/", "%2F")
        paths = [f"/gradio_api/file={target}", f"/gradio_api/file/{target}", f"/gradio_api/file={encoded}",
                 f"/gradio_api/file/{encoded.replace('%', '%25')}", f"/gradio_api/proxy={target}", f"/file={target}"]
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=10) as client:
            for path in paths:
                assert client.get(path).status_code == 403, path
        assert _Canary.hits == []
    finally:
        demo.close()
        canary.shutdown()
        mp.undo()
