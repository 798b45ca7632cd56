"""A person's path through the app in headless Chromium: ask, read the figure, open its evidence, upload.

The app runs as a real ``budget-qa serve`` process over the ingested samples. Chromium is Debian's
package (``.ci/run`` installs it); Playwright only drives it (no ``playwright install``).
A screenshot is saved to tests/artifacts/ for people to look at.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from eval.app_process import ROOT, running_app
from tests.conftest import WAIBAN

pytestmark = pytest.mark.slow

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync",
]
ARTIFACTS = ROOT / "tests" / "artifacts"
TIMEOUT_MS = 30_000


@pytest.fixture(scope="module")
def app_url(sample_data_dir, tmp_path_factory):
    base = tmp_path_factory.mktemp("browser_app")
    data_dir = base / "data"
    shutil.copytree(sample_data_dir, data_dir)
    with running_app(data_dir, base / "serve.log") as url:
        yield url, data_dir


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed (/usr/bin/chromium); .ci/run installs it with apt-get")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, app_url):
    url, _ = app_url
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    outside: list[str] = []
    page.on("request", lambda r: outside.append(r.url) if not r.url.startswith((url, "data:", "blob:")) else None)
    page.goto(url)
    page.wait_for_selector("#question textarea")
    yield page
    context.close()
    assert outside == [], f"the page made requests outside the app: {outside}"


def image_src(page, selector: str) -> str | None:
    img = page.locator(f"{selector} img")
    return img.first.get_attribute("src") if img.count() else None


def test_ask_see_figure_open_evidence(page):
    assert "未配置大模型" in page.inner_text("#llm-notice")
    page.fill("#question textarea", "区政府外办2020年收入预算是多少？")
    page.click("#ask")
    page.wait_for_function("document.querySelector('#chat').innerText.includes('7,955,559.34')")
    answer = page.inner_text("#chat")
    assert "xicheng-waiban-2020.pdf" in answer and "第7页" in answer

    citations = page.locator("#citations label")
    citations.first.wait_for()
    assert citations.count() >= 2
    # The headline citation is selected with the answer; click another, then back to [1].
    page.wait_for_selector("#evidence-page img")
    first_src = image_src(page, "#evidence-page")
    citations.nth(1).click()
    page.wait_for_function(
        "s => { const i = document.querySelector('#evidence-page img'); return i && i.src !== s; }", arg=first_src
    )
    assert "引用 [2]" in page.inner_text("#evidence-text")
    citations.nth(0).click()
    page.wait_for_function(
        "s => { const i = document.querySelector('#evidence-page img'); return i && i.src === s && i.complete && i.naturalWidth > 500; }",
        arg=first_src,
    )
    evidence = page.inner_text("#evidence-text")
    assert "引用 [1]" in evidence and "第7页" in evidence and "7,955,559.34" in evidence
    assert "/gradio_api/file=" in first_src and "/cache/gradio/" in first_src
    page.wait_for_function("() => { const i = document.querySelector('#evidence-zoom img'); return i && i.complete && i.naturalWidth > 100; }")

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "browser-answer-evidence.png"), full_page=True)

    # A follow-up in the same session, then back to the first answer's citations by clicking it.
    first_labels = citations.all_inner_texts()
    page.fill("#question textarea", "那2019年呢？")
    page.click("#ask")
    page.wait_for_function("document.querySelector('#chat').innerText.includes('7,132,122.63')")
    labels = "() => Array.from(document.querySelectorAll('#citations label')).map(e => e.innerText.trim()).join('|')"
    first = "|".join(label.strip() for label in first_labels)
    page.wait_for_function(f"l => ({labels})() !== l && ({labels})() !== ''", arg=first)
    page.locator("#chat .message.bot").first.click()
    page.wait_for_function(f"l => ({labels})() === l", arg=first)


def test_example_question_and_documents_tab_upload(page, tmp_path):
    examples = page.locator("#examples button")
    examples.first.wait_for()
    assert examples.count() >= 2
    examples.first.click()
    page.wait_for_function("document.querySelector('#question textarea').value.endsWith('？')")

    page.get_by_role("tab", name="文档").click()
    page.wait_for_function("document.querySelector('#documents').innerText.includes('xicheng-waiban-2020.pdf')")
    fake = tmp_path / "伪装成PDF.pdf"
    fake.write_bytes(b"not a pdf at all")
    again = tmp_path / "外办-再次上传.pdf"
    again.write_bytes(WAIBAN.read_bytes())
    page.set_input_files("#upload input[type=file]", [str(fake), str(again)])
    page.wait_for_function("document.querySelector('#upload').innerText.includes('外办-再次上传')")  # uploaded
    page.click("#ingest")
    page.wait_for_function("document.querySelector('#ingest-report').innerText.includes('外办-再次上传.pdf')")
    report = page.inner_text("#ingest-report")
    assert "缺少 %PDF 文件头" in report
    assert "内容相同" in report  # the same disclosure again: recognised, nothing re-indexed
    assert page.inner_text("#documents").count(".pdf") == 2
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "browser-upload.png"), full_page=True)
