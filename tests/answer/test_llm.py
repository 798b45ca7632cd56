"""The LLM path against a scripted OpenAI-compatible server on 127.0.0.1 (real HTTP, real client)."""

from __future__ import annotations

import logging
from decimal import Decimal

import pytest
from llama_index.core import Settings as LlamaSettings

from index.core.settings import LLMSettings, Settings
from qa.answer.answerer import Delta, Final
from qa.answer.engine import AnswerEngine
from qa.answer.verify import NumberPool, numbers_in, parse_citations, verify_numbers
from qa.services import Services
from tests.fake_llm_server import FakeLLMServer

SECRET = "sk-test-do-not-log-7f3a"


@pytest.fixture(autouse=True)
def no_global_llm(monkeypatch):
    """Any fallback to llama-index's global Settings.llm fails loudly."""

    def refuse(self):
        raise AssertionError("llama-index global Settings.llm was used; pass llm= explicitly")

    monkeypatch.setattr(type(LlamaSettings), "llm", property(refuse))


@pytest.fixture
def server():
    with FakeLLMServer() as fake:
        yield fake


def engine_for(data_dir, server, timeout_s: float = 5.0) -> AnswerEngine:
    llm = LLMSettings(base_url=server.base_url, model="fake-chat", api_key=SECRET, timeout_s=timeout_s)
    return Services(Settings(data_dir=data_dir, llm=llm)).engine


# --- pure functions -------------------------------------------------------------------------

def test_parse_citations_drops_invented_ids():
    cited = parse_citations("设3个内设机构[1]。负责外事工作[2][7]。另见【3，9】。", n_sources=3)
    assert cited.text == "设3个内设机构[1]。负责外事工作[2]。另见[3]。"
    assert cited.source_ids == [1, 2, 3] and cited.dropped_ids == [7, 9]


def test_numbers_in_skips_years_enumerators_and_citations():
    assert numbers_in("1. 2020年收入预算7,955,559.34元[2]，增长11.55%。") == [
        (Decimal("7955559.34"), "元"), (Decimal("11.55"), "%"),
    ]


def test_verify_numbers_removes_unsupported_sentences():
    pool = NumberPool.from_texts(["2020年收入预算7,955,559.34元，增长11.55%。"], [(Decimal("326480.46"), "元")])
    text = "收入预算为7,955,559.34元[1]。约合795.56万元[1]。增长了12%[1]。运行经费326,480.46元。"
    verified = verify_numbers(text, pool)
    assert verified.text == "收入预算为7,955,559.34元[1]。约合795.56万元[1]。运行经费326,480.46元。"
    assert verified.removed == [("增长了12%[1]。", ["12%"])]


# --- through the engine and a real HTTP server ------------------------------------------------

def test_llm_answer_with_citations(sample_data_dir, server, caplog):
    caplog.set_level(logging.DEBUG)
    server.enqueue("区政府外办设3个内设机构：因公出入境管理科、国际交流科、涉外管理科[1]。它负责本区外事工作、港澳事务工作[1][8]。")
    engine = engine_for(sample_data_dir, server)
    events = list(engine.ask_stream("区政府外办有哪些内设机构？"))
    assert isinstance(events[-1], Final) and all(isinstance(e, Delta) for e in events[:-1]) and len(events) >= 2
    answer = events[-1].answer
    assert answer.status == "answered" and answer.method == "llm", answer.answer
    assert "[8]" not in answer.answer and "[1]" in answer.answer  # the invented source id is gone
    assert len(answer.citations) == 1
    first = answer.citations[0]
    assert first.document == "xicheng-waiban-2020.pdf" and first.page == 1
    # The request: one chat call, explicit model, the question and numbered sources, the key as bearer.
    (request,) = server.requests
    assert request["path"] == "/v1/chat/completions" and request["body"]["model"] == "fake-chat"
    user = request["body"]["messages"][-1]["content"]
    assert "区政府外办有哪些内设机构" in user and '<资料 编号="1"' in user and "因公出入境管理科" in user
    assert request["headers"]["Authorization"] == f"Bearer {SECRET}"
    assert SECRET not in caplog.text


def test_hallucinated_number_is_removed(sample_data_dir, server):
    server.enqueue("区政府外办设25个内设机构[1]。其中包括因公出入境管理科、国际交流科、涉外管理科[1]。")
    answer = engine_for(sample_data_dir, server).ask("区政府外办有哪些内设机构？")
    assert answer.method == "llm" and answer.status == "answered"
    assert "25" not in answer.answer.split("\n")[0]
    assert "因公出入境管理科" in answer.answer
    assert any("25个" in n for n in answer.notices)


def test_answer_with_only_unsupported_numbers_falls_back(sample_data_dir, server):
    server.enqueue("外办的三公经费为99,999.00元[1]。")
    answer = engine_for(sample_data_dir, server).ask("区政府外办有哪些内设机构？")
    assert answer.method == "retrieval" and "99,999" not in answer.answer
    assert "未通过核对" in answer.answer


def test_timeout_falls_back_to_extractive_answer(sample_data_dir, server):
    server.enqueue("太慢了[1]。", delay_s=3.0)
    answer = engine_for(sample_data_dir, server, timeout_s=0.5).ask("区政府外办有哪些内设机构？")
    assert answer.status == "answered" and answer.method == "retrieval"
    assert "超时" in answer.answer and "因公出入境管理科" in answer.answer
    assert answer.citations and answer.citations[0].document == "xicheng-waiban-2020.pdf"


def test_endpoint_error_falls_back(sample_data_dir, server):
    server.enqueue(status=500)
    answer = engine_for(sample_data_dir, server).ask("区政府外办有哪些内设机构？")
    assert answer.method == "retrieval" and "大模型" in answer.answer


def test_figures_never_go_through_the_llm(sample_data_dir, server):
    answer = engine_for(sample_data_dir, server).ask("外办2020年三公经费是多少？")
    assert answer.method == "lookup" and answer.value == "2217.48"
    assert server.requests == []
