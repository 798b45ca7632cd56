"""The running app (``budget-qa serve`` as a real process, login enabled) under load and over HTTP:
20 users asking at once through ``gradio_client`` all get the right figures, and nothing but the
app's own rendered evidence can be fetched from the file route."""

from __future__ import annotations

import json
import shutil
import time
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal
from urllib.parse import quote

import httpx
import pytest

from eval.app_process import ROOT, running_app
from index.core.numbers import format_amount

pytestmark = pytest.mark.slow

AUTH = ("staff", "预算-test-pass")
# Questions from the samples' Q&A set: lookups, calculations and a cross-document sum, both departments.
CASE_IDS = (
    "wb-t01 wb-t09 wb-t16 wb-t25 wb-t29 wb-n01 wb-n15 wb-k01 wb-k03 wb-x05 "
    "zf-t01 zf-t13 zf-t19 zf-t28 zf-n01 zf-n08 zf-k01 zf-k07 xc-02 xc-07"
).split()


@pytest.fixture(scope="module")
def app(sample_data_dir, tmp_path_factory):
    base = tmp_path_factory.mktemp("load_app")
    data_dir = base / "data"
    shutil.copytree(sample_data_dir, data_dir)
    env = {"BUDGET_QA_APP__AUTH_USER": AUTH[0], "BUDGET_QA_APP__AUTH_PASSWORD": AUTH[1], "BUDGET_QA_APP__CONCURRENCY": "8"}
    with running_app(data_dir, base / "serve.log", env) as url:
        yield url, data_dir


def cases() -> list[dict]:
    rows = {}
    for line in (ROOT / "eval" / "qa" / "samples.jsonl").read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        rows[row["id"]] = row
    return [rows[i] for i in CASE_IDS]


def expected_text(case: dict) -> str:
    return format_amount(Decimal(case["answer_value"])) + case["unit"]


def answer_text(messages: list[dict]) -> str:
    content = messages[-1]["content"]
    return content if isinstance(content, str) else "".join(part.get("text", "") for part in content)


def test_twenty_concurrent_questions_all_answered_correctly(app):
    from gradio_client import Client

    url, _ = app
    started = time.perf_counter()

    def one(case: dict) -> tuple[dict, str, dict, float]:
        client = Client(url, auth=AUTH, verbose=False, download_files=False)  # one user, one session
        t0 = time.perf_counter()
        messages, box, citations = client.predict(case["question"], [], [], api_name="/ask")
        return case, answer_text(messages), citations, time.perf_counter() - t0

    with ThreadPoolExecutor(max_workers=20) as pool:
        results = list(pool.map(one, cases()))
    wall = time.perf_counter() - started
    wrong = [(c["id"], c["question"], expected_text(c), text[:120]) for c, text, _, _ in results if expected_text(c) not in text]
    assert wrong == [], wrong
    assert all(citations["choices"] for _, _, citations, _ in results)
    slowest = max(seconds for *_, seconds in results)
    print(f"20 concurrent questions: wall {wall:.1f}s, slowest answer {slowest:.2f}s")
    assert wall < 120


def test_session_keeps_its_own_conversation_and_serves_evidence(app):
    from gradio_client import Client

    url, data_dir = app
    client = Client(url, auth=AUTH, verbose=False, download_files=False)
    client.predict("区政府外办2020年收入预算是多少？", [], [], api_name="/ask")
    messages, _, citations = client.predict("那2019年呢？", [], [], api_name="/ask")
    assert "7,132,122.63元" in answer_text(messages)
    page, zoom, text = client.predict(citations["value"], api_name="/evidence")
    assert "引用 [1]" in text
    if isinstance(page, dict) and "__type__" in page:
        page = page["value"]  # the page image comes as an update (it is shown, sized to the page's orientation)
    served = page["url"] if isinstance(page, dict) else page
    assert "/gradio_api/file=" in served and str((data_dir / "cache" / "gradio").resolve()) in served
    with httpx.Client(base_url=url, timeout=10) as http:
        assert http.get(served).status_code in (401, 403)  # not without logging in
        assert http.post("/login", data={"username": AUTH[0], "password": AUTH[1]}).status_code == 200
        response = http.get(served)
        assert response.status_code == 200 and response.content.startswith(b"\x89PNG")


def test_file_route_serves_nothing_else(app):
    url, data_dir = app
    stored_pdf = next((data_dir / "files").glob("*.pdf"))
    evidence_dir = data_dir / "cache" / "evidence"
    refused = [
        "/etc/passwd",
        str(ROOT / "pyproject.toml"),
        str(ROOT / "tests" / "conftest.py"),
        str(data_dir / "facts.sqlite3"),
        str(stored_pdf),
        f"{data_dir / 'cache' / 'gradio'}/../../facts.sqlite3",
        f"{evidence_dir}/../../facts.sqlite3",
    ]
    with httpx.Client(base_url=url, timeout=10) as http:
        assert http.get("/gradio_api/file=/etc/passwd").status_code in (401, 403)  # not logged in
        assert http.post("/login", data={"username": AUTH[0], "password": "wrong"}).status_code >= 400
        assert http.post("/login", data={"username": AUTH[0], "password": AUTH[1]}).status_code == 200
        for path in refused:
            for route in (f"/gradio_api/file={path}", f"/gradio_api/file={quote(path)}"):
                response = http.get(route)
                assert response.status_code in (403, 404), (route, response.status_code)
                assert b"root:" not in response.content and b"SQLite" not in response.content[:16]
        for remote in ("http://example.com/x.png", "https://127.0.0.1:1/", "//example.com/x"):
            response = http.get(f"/gradio_api/file={remote}")
            assert response.status_code == 403 and "不提供外部文件" in response.text
        assert http.get("/gradio_api/info").status_code == 200  # logged in, the app itself answers
