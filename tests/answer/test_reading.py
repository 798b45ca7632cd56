"""Readings: near misses offered (never guessed), everyday words read as budget words and said so, and
the LLM reading path against the scripted server.

Without a model, "公务接侍费" (one character off) is refused with "您是否想问：…公务接待费…"; everyday words
of the curated table (招待 → 接待, 欲算 → 预算, 一共花多少钱 → 支出总计) are answered from the question in
budget words, which the answer states first; with a model, its reading is accepted only in names it was
given, parsed back by the rules and checked like any answer.
"""

from __future__ import annotations

import json

import pytest
from llama_index.core import Settings as LlamaSettings

from index.core.settings import LLMSettings, Settings
from qa.answer.engine import AnswerEngine
from qa.services import Services
from tests.fake_llm_server import FakeLLMServer

TYPO = "外办2020年公务接侍费是多少"  # one character off: only a reading


@pytest.fixture(autouse=True)
def no_global_llm(monkeypatch):
    def refuse(self):
        raise AssertionError("llama-index global Settings.llm was used; pass llm= explicitly")

    monkeypatch.setattr(type(LlamaSettings), "llm", property(refuse))


@pytest.fixture(scope="module")
def rules_engine(facts_only_data_dir) -> AnswerEngine:
    return Services(Settings(data_dir=facts_only_data_dir)).engine


@pytest.fixture
def server():
    with FakeLLMServer() as fake:
        yield fake


def llm_engine(data_dir, server, timeout_s: float = 5.0) -> AnswerEngine:
    llm = LLMSettings(base_url=server.base_url, model="fake-chat", api_key="k", timeout_s=timeout_s)
    return Services(Settings(data_dir=data_dir, llm=llm)).engine


def reading(**fields) -> str:
    base = {"publisher": "外办", "year": 2020, "items": [], "columns": [], "operation": "lookup"}
    return json.dumps(base | fields, ensure_ascii=False)


def test_near_misses_are_offered_never_guessed(rules_engine):
    answer = rules_engine.ask(TYPO)
    assert answer.status == "refused" and answer.value is None, answer.answer
    assert "外办2020年公务接待费是多少" in answer.readings and "您是否想问" in answer.answer


@pytest.mark.parametrize("question, meant, value", [
    ("外办2020年公务招待费是多少", "外办2020年公务接待费是多少", "2217.48"),  # everyday synonym
    ("外办2020年出国的钱欲算多少", "外办2020年因公出国（境）费预算多少", "0.00"),  # everyday words and a slip
])
def test_everyday_words_are_read_as_budget_words_and_said(rules_engine, question, meant, value):
    plain = rules_engine.ask(meant)
    assert plain.status == "answered" and plain.value == value, plain.answer
    answer = rules_engine.ask(question)
    assert answer.status == "answered" and (answer.value, answer.unit) == (plain.value, plain.unit), answer.answer
    assert answer.answer.startswith(f"按“{meant}”理解作答")


def test_an_everyday_reading_that_fails_a_check_stays_refused(rules_engine):
    # 一共花多少钱 reads as 支出总计; asked of a year not disclosed, the reading is refused like the question.
    answer = rules_engine.ask("外办2019年一共花多少钱")
    assert answer.status == "refused" and answer.value is None, answer.answer


def test_a_good_reading_is_accepted_and_checked(facts_only_data_dir, server):
    server.enqueue(reading(items=["公务接待费"]))
    answer = llm_engine(facts_only_data_dir, server).ask(TYPO)
    assert answer.status == "answered" and (answer.value, answer.unit) == ("2217.48", "元"), answer.answer
    assert answer.method == "lookup" and "外办2020年公务接待费是多少" in answer.answer  # the reading is shown
    (request,) = server.requests
    user = request["body"]["messages"][-1]["content"]
    assert TYPO in user and "公务接待费" in user and "北京市西城区人民政府外事办公室" in user
    assert "xicheng-zfb" not in user and "47,320.24" not in user  # no figures are sent, only names


def test_a_hallucinated_item_is_rejected(facts_only_data_dir, server):
    server.enqueue(reading(items=["公务招待住宿费"]))
    answer = llm_engine(facts_only_data_dir, server).ask(TYPO)
    assert answer.status == "refused" and answer.value is None
    assert "外办2020年公务接待费是多少" in answer.readings  # the rules' readings still stand


def test_a_reading_of_another_publisher_is_rejected(facts_only_data_dir, server):
    server.enqueue(reading(publisher="北京市审计局", items=["公务接待费"]))
    assert llm_engine(facts_only_data_dir, server).ask(TYPO).status == "refused"


def test_a_timeout_falls_back_to_the_rules(facts_only_data_dir, server):
    server.enqueue(reading(items=["公务接待费"]), delay_s=3.0)
    answer = llm_engine(facts_only_data_dir, server, timeout_s=0.5).ask(TYPO)
    assert answer.status == "refused" and any("超时" in n for n in answer.notices)
    assert "外办2020年公务接待费是多少" in answer.readings


def test_bound_questions_never_reach_the_model(facts_only_data_dir, server):
    answer = llm_engine(facts_only_data_dir, server).ask("外办2020年公务接待费是多少")
    assert answer.value == "2217.48" and server.requests == []
