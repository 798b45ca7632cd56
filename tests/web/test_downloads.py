"""The download buttons' handlers over a real data dir and the real engine: the shown table, the whole document,
and an answer's evidence tables, each a workbook openpyxl reads; the buttons are in the built UI."""

from __future__ import annotations

import shutil

import pytest
from openpyxl import load_workbook

from qa.export import INDEX_SHEET, TIDY_SHEET
from qa.web.conversation import Conversation
from tests.conftest import ZFB, make_settings


@pytest.fixture(scope="module")
def services(facts_only_data_dir, tmp_path_factory):
    from qa.services import Services

    data_dir = tmp_path_factory.mktemp("downloads") / "data"
    shutil.copytree(facts_only_data_dir, data_dir)
    return Services(make_settings(data_dir))


@pytest.fixture(scope="module")
def downloads(services):
    from qa.web.downloads import Downloads

    return Downloads(services)


def zfb_id(services) -> str:
    (record,) = services.catalog.resolve(ZFB.name)
    return record.doc_id


def tables_listed(update: dict) -> list[tuple]:
    assert update["visible"] is True
    book = load_workbook(update["value"])
    assert book.sheetnames[0] == INDEX_SHEET and book.sheetnames[-1] == TIDY_SHEET
    return [(row[1], row[5]) for row in book[INDEX_SHEET].iter_rows(min_row=2, values_only=True)]


def test_shown_table_and_whole_document(services, downloads):
    doc_id = zfb_id(services)
    tables = services.store.document_model(doc_id).tables
    nine = next(i for i, t in enumerate(tables) if t.label == "表九")
    update = downloads.table(doc_id, str(nine))
    assert update["value"].endswith("xicheng-zfb-2020-表九.xlsx")
    assert tables_listed(update) == [(ZFB.name, "表九")]
    whole = downloads.document(doc_id)
    assert len(tables_listed(whole)) == len(tables)
    assert downloads.table(None, None)["visible"] is False and downloads.document("no-such-id")["visible"] is False


def test_answer_evidence_is_the_table_its_figures_come_from(services, downloads):
    conversation = Conversation()
    turn = conversation.start("区政府外办2020年收入预算是多少？")
    turn.answer = services.engine.ask(turn.question)
    # 表2 gives the figure, 表1 agrees; the narrative's citation has no table and adds none.
    cited = {(c.document, c.table) for c in turn.answer.citations if c.table}
    assert len(cited) >= 2 and len(cited) < len(turn.answer.citations), turn.answer
    update = downloads.evidence("0:0", conversation)
    assert set(tables_listed(update)) == cited
    assert downloads.evidence(None, conversation)["visible"] is False  # a cleared chat hides the button


def test_buttons_are_in_the_built_ui(services, monkeypatch):
    from qa.web.server import gradio_environment

    for key, value in gradio_environment(services.settings).items():
        monkeypatch.setenv(key, value)
    from qa.web.serve import build_app

    demo = build_app(services)
    ids = {getattr(block, "elem_id", None) for block in demo.blocks.values()}
    assert {"download-table", "download-document", "download-evidence"} <= ids
