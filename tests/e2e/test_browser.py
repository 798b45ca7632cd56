"""A person's path through the app in headless Chromium: ask, read the figure, open its evidence, upload.

The app runs as a real ``budget-qa serve`` process over the ingested samples. Chromium is Debian's
package (``.ci/run`` installs it); Playwright only drives it (no ``playwright install``).
Screenshots are saved to tests/artifacts/ for people to look at: the first screen after a question on a
1366×768 laptop and a 390×844 phone, the evidence, the upload. An English-language browser sees no English.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from eval.app_process import ROOT, running_app
from tests.conftest import WAIBAN
from tests.e2e.visible import VISIBLE_STRINGS, english

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
    assert "第7页" in answer and "依据（" in answer  # the sources are folded under the answer

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
    assert "xicheng-waiban-2020.pdf" in evidence
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


SAMPLE_QUESTION, SAMPLE_FIGURE = "区政府外办2020年收入预算是多少？", "7,955,559.34"
SCREENS = {"laptop": {"width": 1366, "height": 768}, "phone": {"width": 390, "height": 844}}


def open_app(browser, url: str, viewport: dict, phone: bool = False):
    """A fresh browser profile whose language is English: the app must speak Chinese anyway."""
    context = browser.new_context(viewport=viewport, locale="en-US", is_mobile=phone, has_touch=phone)
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    page.goto(url)
    page.wait_for_selector("#question textarea")
    return context, page


def ask(page, question: str, figure: str) -> None:
    page.fill("#question textarea", question)
    page.click("#ask")
    page.wait_for_function("f => document.querySelector('#chat').innerText.includes(f)", arg=figure)
    page.wait_for_timeout(300)  # the answer's scroll into view runs after the chat is drawn


HEADLINE_IN_CHAT = """() => { const hs = document.querySelectorAll('#chat .message.bot h3');
    const h = hs[hs.length - 1], c = document.querySelector('#chat');
    if (!h || !c) return false;
    const r = h.getBoundingClientRect(), b = c.getBoundingClientRect();
    return r.height > 0 && b.top <= r.top && r.bottom <= b.bottom; }"""


def in_view(page, selector: str) -> bool:
    """The element's whole box is inside the viewport, and the page itself was not scrolled."""
    return page.evaluate(
        """s => { const r = document.querySelector(s).getBoundingClientRect();
                  return window.scrollY === 0 && r.height > 0 && r.top >= 0 && r.left >= 0
                         && r.bottom <= window.innerHeight && r.right <= window.innerWidth; }""",
        selector,
    )


@pytest.mark.parametrize("screen", SCREENS)
def test_first_screen_holds_the_question_box_and_the_answers_figure(browser, app_url, screen):
    url, _ = app_url
    context, page = open_app(browser, url, SCREENS[screen], phone=screen == "phone")
    try:
        # Nothing to show yet, so no empty image boxes.
        assert not page.locator("#evidence-page").is_visible() and not page.locator("#evidence-zoom").is_visible()
        assert in_view(page, "#question textarea") and in_view(page, "#ask")
        ask(page, SAMPLE_QUESTION, SAMPLE_FIGURE)
        headline = "#chat .message.bot h3"
        assert SAMPLE_FIGURE in page.inner_text(headline)  # the answer leads with its figure
        assert in_view(page, headline), "the answer's figure is not on the first screen"
        assert in_view(page, "#question textarea"), "the question box is not on the first screen"
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        width, height = SCREENS[screen]["width"], SCREENS[screen]["height"]
        page.screenshot(path=str(ARTIFACTS / f"browser-first-screen-{width}x{height}.png"))
    finally:
        context.close()


def test_a_long_conversation_keeps_the_new_answers_figure_in_view(browser, app_url):
    url, _ = app_url
    context, page = open_app(browser, url, SCREENS["laptop"])
    try:
        ask(page, "区政府外办有哪些内设机构？", "因公出入境管理科")
        ask(page, "区政府外办2020年收入预算是多少？", SAMPLE_FIGURE)
        ask(page, "区政府办公室2020年基本支出占支出预算的比例是多少？", "30.04%")
        last = "#chat .message.bot >> nth=-1"
        assert "30.04%" in page.locator(last).locator("h3").inner_text()
        # The scroll runs after two more server events; under load it can come later than ask()'s pause, so wait
        # for it (up to the page timeout) rather than sample once.
        page.wait_for_function(HEADLINE_IN_CHAT, timeout=TIMEOUT_MS)
        box = page.locator(last).locator("h3").bounding_box()
        chat = page.locator("#chat").bounding_box()
        assert box and chat and chat["y"] <= box["y"] and box["y"] + box["height"] <= chat["y"] + chat["height"]
    finally:
        context.close()


def test_an_english_browser_sees_no_english(browser, app_url, tmp_path):
    url, _ = app_url
    context, page = open_app(browser, url, {"width": 1366, "height": 900})
    seen: dict[str, list[str]] = {}
    try:
        seen["问答：空"] = page.evaluate(VISIBLE_STRINGS)
        ask(page, SAMPLE_QUESTION, SAMPLE_FIGURE)
        page.wait_for_selector("#evidence-page img")
        seen["问答：回答与原文"] = page.evaluate(VISIBLE_STRINGS)

        page.get_by_role("tab", name="文档").click()
        page.wait_for_selector("#upload")
        seen["文档"] = page.evaluate(VISIBLE_STRINGS)
        text = tmp_path / "说明.txt"
        text.write_text("不是 PDF")
        page.set_input_files("#upload input[type=file]", [str(text)])
        page.wait_for_function("document.querySelector('#upload').innerText.includes('说明')")
        seen["文档：选了非 PDF 文件"] = page.evaluate(VISIBLE_STRINGS)
        page.click("#ingest")
        page.wait_for_function("document.querySelector('#ingest-report').innerText.includes('说明.txt')")
        assert "只接受 .pdf" in page.inner_text("#ingest-report")
        seen["文档：导入报告"] = page.evaluate(VISIBLE_STRINGS)
        # Over the upload limit: Gradio refuses it in the browser, with a toast.
        big = tmp_path / "超大文件.pdf"
        with big.open("wb") as handle:
            handle.write(b"%PDF-1.4\n")
            handle.truncate(51 * 1024 * 1024)
        page.set_input_files("#upload input[type=file]", [str(big)])
        toast = page.locator(".toast-body").first
        toast.wait_for()
        assert "超过大小上限" in toast.inner_text()
        seen["文档：文件过大的提示"] = page.evaluate(VISIBLE_STRINGS)

        page.get_by_role("tab", name="核对").click()
        page.wait_for_selector("#audit-document")
        seen["核对"] = page.evaluate(VISIBLE_STRINGS)
    finally:
        context.close()
    found = {where: english(strings) for where, strings in seen.items() if english(strings)}
    assert found == {}, f"English in the UI: {found}"
    assert all(seen.values())  # the walk saw the page


def test_history_survives_a_reload_and_the_audit_page_follows_the_document(browser, app_url):
    url, _ = app_url
    context, page = open_app(browser, url, {"width": 1366, "height": 900})
    try:
        ask(page, SAMPLE_QUESTION, SAMPLE_FIGURE)
        page.reload()
        page.wait_for_selector("#question textarea")
        page.wait_for_function("f => document.querySelector('#chat').innerText.includes(f)", arg=SAMPLE_FIGURE)
        page.locator("#citations label").first.wait_for()
        # A follow-up still knows the previous question (the context came back with the history).
        ask(page, "那2019年呢？", "7,132,122.63")

        page.get_by_role("tab", name="核对").click()
        choose(page, "#audit-document", "xicheng-waiban-2020.pdf")
        page.get_by_role("button", name="核对", exact=True).click()
        page.wait_for_function("document.querySelector('#findings').innerText.includes('第')")
        page.locator("#findings").get_by_text(re.compile(r"^第\d+页 ")).locator("visible=true").first.click()
        page.wait_for_selector("#finding-page img")
        # The finding's figures side by side: a close-up of each cited cell, and the list naming them.
        page.wait_for_function("document.querySelectorAll('#finding-cells img').length >= 2")
        assert "文档" in page.inner_text("#finding-list") and "第" in page.inner_text("#finding-cells")
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.locator("#finding-cells").screenshot(path=str(ARTIFACTS / "browser-audit-cells.png"))
        choose(page, "#audit-document", "xicheng-zfb-2020.pdf")
        page.wait_for_function("() => !document.querySelector('#finding-page') || document.querySelector('#finding-page').offsetParent === null")
        assert "第" not in page.inner_text("#findings")  # the previous document's findings went with its page
    finally:
        context.close()


def choose(page, dropdown: str, option: str) -> None:
    page.click(f"{dropdown} input")
    page.get_by_role("option", name=option).first.click()
