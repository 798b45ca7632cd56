"""The web app's behaviour without a browser: chat handlers over the real engine and stores, document
upload/delete/audit handlers, the built UI, and the serve command's bind/login refusals."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import gradio as gr
import pytest
from pydantic import SecretStr

from qa.cli.main import main as cli_main
from qa.evidence import cache_dir
from qa.web.conversation import Conversation
from qa.web.downloads import exports_dir
from qa.web.server import ServeRefused, check_bind, gradio_environment, launch_options, login
from tests.conftest import WAIBAN, make_settings

WAIBAN_DEPT = "北京市西城区人民政府外事办公室"
ZFB_DEPT = "北京市西城区人民政府办公室"


@pytest.fixture(scope="module")
def services(sample_data_dir, tmp_path_factory):
    from qa.services import Services

    data_dir = tmp_path_factory.mktemp("app") / "data"
    shutil.copytree(sample_data_dir, data_dir)
    return Services.open(make_settings(data_dir))


@pytest.fixture(scope="module")
def chat(services):
    from qa.web.chat import ChatHandlers

    return ChatHandlers(services)


@pytest.fixture(scope="module")
def docs(services):
    from qa.web.documents import DocumentHandlers

    return DocumentHandlers(services)


def ask(chat, conversation, question, departments=None, years=None):
    outputs = list(chat.respond(question, conversation, departments, years))
    messages, conversation, box, citations = outputs[-1]
    return outputs, messages[-1]["content"], conversation, citations


def test_engine_runs_without_the_ui():
    code = "import sys, qa.answer.engine; assert 'gradio' not in sys.modules, 'qa.answer.engine imported gradio'"
    subprocess.run([sys.executable, "-c", code], check=True, timeout=120)


def test_answer_streams_with_figure_citations_and_evidence(chat, services):
    conversation = Conversation()
    outputs, text, conversation, citations = ask(chat, conversation, "区政府外办2020年收入预算是多少？")
    assert outputs[0][0][-1]["content"] == "正在查找……" and outputs[0][2] == ""  # shown at once, box cleared
    # The figure leads; the sources follow, folded.
    assert text.startswith("### 7,955,559.34元\n") and "<details><summary>依据（" in text
    assert text.index("xicheng-waiban-2020.pdf") > text.index("<details>")
    choices = citations["choices"]
    assert len(choices) >= 2 and citations["value"] == choices[0][1] == "0:0"
    answer = conversation.turns[-1].answer
    assert answer.value == "7955559.34" and answer.citations[0].bbox is not None

    page, zoom, evidence = chat.show_evidence(citations["value"], conversation)
    assert "引用 [1]" in evidence and f"第{answer.citations[0].page}页" in evidence and "7,955,559.34" in evidence
    for image in (page, zoom):
        assert image["visible"] and cache_dir(services.settings) in Path(image["value"]).parents
    assert page["elem_classes"] == ["page-landscape"]  # 表2 is printed on a landscape page
    page2, _, evidence2 = chat.show_evidence(choices[1][1], conversation)
    assert "引用 [2]" in evidence2 and page2["visible"]
    for stale in ("9:9", "../etc"):  # stale or malformed selector values are harmless: nothing shown
        page, zoom, _ = chat.show_evidence(stale, conversation)
        assert not page["visible"] and page["value"] is None and not zoom["visible"]


def test_prose_citation_shows_its_sentence_boxed(chat):
    _, text, conversation, citations = ask(chat, Conversation(), "区政府外办有哪些内设机构？")
    assert "[1]" in text and not text.startswith("###")  # no figure to lead with
    page, zoom, evidence = chat.show_evidence(citations["value"], conversation)
    assert page["visible"] and page["elem_classes"] == ["page-portrait"] and zoom["visible"]
    assert "未能在页面上找到" not in evidence


def test_conversation_comes_back_after_a_reload(chat):
    _, _, conversation, _ = ask(chat, Conversation(), "区政府外办2020年收入预算是多少？")
    stored = json.loads(json.dumps(conversation.stored()))  # as the browser keeps it
    messages, restored, citations = chat.restore(stored)
    assert messages == conversation.messages() and [c for c in citations["choices"]]
    _, text, _, _ = ask(chat, restored, "那2019年呢？")  # the follow-up context came back too
    assert "7,132,122.63" in text
    for kept in (None, {}, {"turns": "nonsense"}, {"turns": [{"answer": 1}]}):  # nothing kept, or unreadable
        messages, fresh, _ = chat.restore(kept)
        assert messages == [] and fresh.turns == []


def test_follow_up_uses_the_previous_turn(chat):
    conversation = Conversation()
    _, _, conversation, _ = ask(chat, conversation, "区政府外办2020年收入预算是多少？")
    _, text, conversation, citations = ask(chat, conversation, "那2019年呢？")
    assert "7,132,122.63" in text
    assert citations["choices"] and citations["choices"][0][1].startswith("1:")
    # Clicking the first answer in the chat lists that answer's citations again.
    update = chat.select_turn(conversation, gr.SelectData(None, {"index": 1, "value": None}))
    assert update["value"] == "0:0"


def test_scope_restricts_the_documents(chat):
    _, text, _, citations = ask(chat, Conversation(), "区政府外办2020年收入预算是多少？", departments=[ZFB_DEPT])
    assert "7,955,559.34" not in text and "当前范围" in text and citations["choices"] == []
    _, text, _, _ = ask(chat, Conversation(), "区政府外办2020年收入预算是多少？", departments=[WAIBAN_DEPT], years=["2020"])
    assert "7,955,559.34" in text


def test_llm_answer_streams_into_the_chat_and_falls_back_with_a_notice(sample_data_dir):
    from qa.services import Services
    from qa.web.chat import ChatHandlers
    from tests.fake_llm_server import FakeLLMServer

    with FakeLLMServer() as server:
        llm = {"base_url": server.base_url, "model": "fake-chat", "timeout_s": 5.0}
        services = Services.open(make_settings(sample_data_dir, llm=llm))
        assert server.requests == []  # example questions never call the model
        chat = ChatHandlers(services)
        server.enqueue("区政府外办设3个内设机构：因公出入境管理科、国际交流科、涉外管理科[1]。它负责本区外事工作[1]。")
        outputs, text, conversation, citations = ask(chat, Conversation(), "区政府外办有哪些内设机构？")
        partials = [o[0][-1]["content"] for o in outputs[1:-1]]
        assert partials and "因公出入境管理科" in partials[-1]  # streamed before the final answer
        assert "大模型归纳" in text and "因公出入境管理科" in text and citations["choices"]
        server.enqueue(status=500)
        _, text, _, _ = ask(chat, Conversation(), "区政府外办有哪些内设机构？")
        assert "大模型" in text and "原文摘录" in text and "原文检索" in text  # extractive, and it says so
    assert len(server.requests) == 2


def test_document_text_cannot_inject_markup(chat):
    _, _, conversation, _ = ask(chat, Conversation(), "![x](http://example.invalid/a.png) <img src=x> 外办收入预算？")
    question = conversation.messages()[0]["content"]
    assert re.search(r"(?<!\\)[!<>\[\]()]", question) is None  # every markup character is escaped
    assert r"\!\[x\]" in question and r"\<img" in question


def test_empty_question_and_new_conversation(chat):
    conversation = Conversation()
    outputs = list(chat.respond("   ", conversation, None, None))
    assert len(outputs) == 1 and outputs[0][0] == [] and conversation.turns == []
    messages, fresh, citations, page, zoom, text = chat.clear()
    assert messages == [] and fresh.turns == [] and not page["visible"] and not zoom["visible"] and "点击" in text


def test_page_load_lists_scopes_examples_and_llm_notice(chat, services):
    departments, years, examples, notice = chat.on_load()
    assert {v for _, v in departments["choices"]} == {WAIBAN_DEPT, ZFB_DEPT}
    assert years["choices"] == ["2020"]
    samples = [s[0] for s in examples["samples"]]
    assert len(samples) >= 4 and any("外办" in s for s in samples)
    for question in samples:  # every example is answered from the tables
        assert services.engine.ask(question).status == "answered", question
    assert "未配置大模型" in notice and "抽取式" in notice


def test_llm_notice_when_configured(services):
    from qa.services import Services

    settings = make_settings(services.settings.data_dir, llm={"base_url": "http://127.0.0.1:9/v1", "model": "m"})
    configured = Services(settings)
    assert "大模型：m" in configured.llm_notice() and "抽取式" in configured.llm_notice()


def test_documents_tables_and_audit(docs):
    frame = docs.documents_frame()
    assert sorted(frame["文件"]) == ["xicheng-waiban-2020.pdf", "xicheng-zfb-2020.pdf"]
    assert list(frame.columns[:5]) == ["文件", "部门", "地区", "年份", "类型"]
    doc_id = next(v for label, v in docs.document_choices() if label.startswith("xicheng-waiban"))
    tables = docs.table_choices(doc_id)
    assert len(tables["choices"]) >= 10 and tables["value"] == "0"
    rows, caption = docs.table_frame(doc_id, "0")
    assert "表1" in caption and "单位：元" in caption
    assert list(rows.columns[:2]) == ["编码", "名称"] and rows.shape[0] > 5
    assert rows.to_string().count("7,955,559.34") >= 1
    assert docs.table_frame(doc_id, "999")[0].empty

    findings, summary, cited = docs.audit(doc_id)
    assert list(findings.columns) == ["级别", "位置", "说明", "类型"] and "xicheng-waiban-2020.pdf" in summary
    assert len(cited) == len(findings)
    assert all(cited)  # the sample's known inconsistencies are placed on their pages
    # 表2「行政运行」(2010301) 合计 3,573,232.28 ≠ 表3、表5、表7 3,556,912.28: the four cells side by side.
    row = next(i for i, m in enumerate(findings["说明"]) if m.startswith("表2「行政运行」(2010301) 合计 3,573,232.28"))
    listed, gallery, page = docs.audit_page(cited, gr.SelectData(None, {"index": [row, 0], "value": None}))
    assert page["visible"] and page["value"].endswith(".png") and page["elem_classes"]
    crops = gallery["value"]
    assert gallery["visible"] and len(crops) == len(cited[row]) == 4
    # A close-up of each cited cell; 表7 prints 行政运行 on 19 rows (by economic class): their sum, on its page.
    assert all(path.endswith("-zoom.png") for path, _ in crops[:3]) and not crops[3][0].endswith("-zoom.png")
    assert crops[0][1].startswith("① 3,573,232.28 · 第7页 表2「2010301 行政运行」")
    assert [caption.split(" · ")[0] for _, caption in crops[1:]] == ["② 3,556,912.28", "③ 3,556,912.28", "④ 3,556,912.28"]
    assert "（19行之和）" in crops[3][1]
    assert listed.count("3,556,912.28") == 3 and "| ① | 3,573,232.28 | xicheng-waiban-2020.pdf | 7 | 表2 |" in listed
    # Another document chosen: the previous one's findings, summary, figures and page are cleared.
    findings, summary, cited, listed, gallery, page = docs.audit_cleared()
    assert findings.empty and summary == "" and cited == [] and listed == ""
    assert not gallery["visible"] and not page["visible"] and page["value"] is None
    assert docs.audit(None)[1] == "请选择一个文档。"


def index_state(services):
    return (
        sorted(d.doc_id for d in services.store.documents()),
        len(services.store.facts()),
        sorted(services.ingestor.indexer.indexed_doc_ids()),
    )


def test_failed_upload_leaves_the_index_unchanged(docs, services):
    before = index_state(services)
    upload_dir = services.settings.data_dir / "cache" / "gradio" / "t"
    upload_dir.mkdir(parents=True, exist_ok=True)
    broken = upload_dir / "损坏的预算.pdf"
    broken.write_bytes(b"%PDF-1.4\n" + b"\x00garbage" * 500)
    not_pdf = upload_dir / "说明.pdf"
    not_pdf.write_bytes(b"just text")
    report, frame, *_ = docs.upload([str(broken), str(not_pdf)], progress=lambda *a, **k: None)
    assert "✗ 损坏的预算.pdf" in report and "✗ 说明.pdf" in report and "%PDF" in report
    assert index_state(services) == before and len(frame) == 2
    too_many = [str(not_pdf)] * (services.settings.app.max_uploads + 1)
    report, *_ = docs.upload(too_many, progress=lambda *a, **k: None)
    assert "一次最多上传" in report and index_state(services) == before
    assert not any((services.settings.data_dir / "uploads").iterdir())  # staging cleaned up


def test_delete_then_upload_again(docs, services, chat):
    waiban = next(d for d in services.store.documents() if d.file_name == WAIBAN.name)
    message, *_ = docs.delete(waiban.doc_id, False)
    assert "确认删除" in message and services.store.get(waiban.doc_id) is not None
    message, frame, *_ = docs.delete(waiban.doc_id, True)
    assert "已删除 xicheng-waiban-2020.pdf" in message and list(frame["文件"]) == ["xicheng-zfb-2020.pdf"]
    _, text, _, _ = ask(chat, Conversation(), "区政府外办2020年收入预算是多少？")
    assert "7,955,559.34" not in text  # the engine was reloaded: the deleted disclosure is gone

    upload_dir = services.settings.data_dir / "cache" / "gradio" / "again"
    upload_dir.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(WAIBAN, upload_dir / WAIBAN.name)
    steps = []
    report, frame, *_ = docs.upload([str(upload_dir / WAIBAN.name)], progress=lambda *a, **k: steps.append((a, k)))
    assert report.startswith("✓ xicheng-waiban-2020.pdf") and "张表" in report and len(frame) == 2
    assert steps and steps[-1][0][0] == (1, 1)  # the progress bar reached the end
    _, text, _, _ = ask(chat, Conversation(), "区政府外办2020年收入预算是多少？")
    assert "7,955,559.34" in text


def test_built_ui_and_queue(services, monkeypatch):
    for key, value in gradio_environment(services.settings).items():
        monkeypatch.setenv(key, value)
    from qa.web.serve import build_app

    demo = build_app(services)
    ids = {getattr(block, "elem_id", None) for block in demo.blocks.values()}
    assert {"chat", "question", "ask", "citations", "evidence-page", "evidence-zoom", "upload", "documents", "findings"} <= ids
    assert demo._queue.default_concurrency_limit == services.settings.app.concurrency > 1
    assert demo.analytics_enabled is False


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "::1", "127.0.0.2"])
def test_loopback_binds_are_allowed(settings, host):
    check_bind(host, settings)


@pytest.mark.parametrize("host", ["0.0.0.0", "192.168.1.5", "::", "example.org"])
def test_remote_binds_need_allow_remote(settings, host):
    with pytest.raises(ServeRefused, match="ALLOW_REMOTE"):
        check_bind(host, settings)
    settings.app.allow_remote = True
    check_bind(host, settings)


def test_login_needs_both_user_and_password(settings):
    assert login(settings) is None
    settings.app.auth_user = "staff"
    with pytest.raises(ServeRefused, match="AUTH_PASSWORD"):
        login(settings)
    settings.app.auth_password = SecretStr("s3cret")
    with pytest.raises(ServeRefused, match="密码太弱"):
        login(settings)
    settings.app.auth_password = SecretStr("预算-review-2020")
    assert login(settings) == ("staff", "预算-review-2020")
    options = launch_options(settings, "127.0.0.1", 7000)
    assert options["auth"] is None and options["share"] is False  # our LoginGate guards every route
    assert options["allowed_paths"] == [str(cache_dir(settings).resolve()), str(exports_dir(settings).resolve())]
    assert options["max_file_size"] == f"{settings.app.max_upload_mb}mb"
    assert options["mcp_server"] is False and options["run_history"] is False and options["enable_monitoring"] is False


def test_serve_refuses_a_remote_bind_before_starting(tmp_path, capsys, monkeypatch):
    assert cli_main(["serve", "--host", "0.0.0.0", "--data-dir", str(tmp_path / "d")]) == 2
    assert "拒绝绑定到 0.0.0.0" in capsys.readouterr().err
    monkeypatch.setenv("BUDGET_QA_APP__ALLOW_REMOTE", "true")
    monkeypatch.setenv("BUDGET_QA_APP__AUTH_USER", "staff")
    assert cli_main(["serve", "--host", "0.0.0.0", "--data-dir", str(tmp_path / "d")]) == 2
    assert "登录设置不完整" in capsys.readouterr().err


def test_identity_shown_with_sources_and_corrected_in_the_documents_tab(docs, services, chat):
    frame = docs.documents_frame()
    assert {"层级", "识别来源", "提示"} <= set(frame.columns)
    waiban = next(d for d in services.store.documents() if d.file_name == WAIBAN.name)
    card = docs.identity_card(waiban.doc_id)
    assert WAIBAN_DEPT in card and "2020年〔" in card

    message, frame, *_ = docs.correct(waiban.doc_id, "year", "2021")
    assert message.startswith("已更正") and "用户更正，原为 2020" in message
    assert frame.loc[frame["文件"] == WAIBAN.name, "年份"].item() == 2021
    docs.correct(waiban.doc_id, "year", "")
    # The engine was reloaded: answers are scoped by the corrected publisher.
    renamed = "北京市西城区人民政府外事侨务办公室"
    message, *_ = docs.correct(waiban.doc_id, "department", renamed)
    assert f"{renamed}〔用户更正，原为 {WAIBAN_DEPT}〕" in message
    _, text, _, _ = ask(chat, Conversation(), f"{renamed}2020年收入预算是多少？")
    assert "7,955,559.34" in text
    docs.correct(waiban.doc_id, "department", "")

    bad, *_ = docs.correct(waiban.doc_id, "kind", "通知")
    assert bad.startswith("✗") and "类型只能是" in bad
    assert docs.correct(None, "year", "2021")[0].startswith("请先")
    undone, *_ = docs.correct(waiban.doc_id, "year", "")  # an empty value undoes the correction
    assert undone.startswith("已撤销更正") and services.store.get(waiban.doc_id).year == 2020


def test_examples_name_the_publisher_never_the_file(services):
    from qa.examples import candidates

    docs = services.store.documents()
    named = candidates(services.engine, docs)
    publishers = tuple(d.short_name or d.department for d in docs)
    assert named and all(q.startswith(publishers) for q in named)
    assert not any(d.file_name.rsplit(".", 1)[0] in q for q in named for d in docs)
    # A document whose publisher could not be read gives no example rather than one phrased with its file name.
    anonymous = [d.model_copy(update={"department": None, "short_name": None}) for d in docs]
    assert candidates(services.engine, anonymous) == []
