"""Chunking of the real sample disclosures: sections, sentence boundaries, heading paths, table nodes."""

from __future__ import annotations

import re

import pytest
from llama_index.core.schema import IndexNode

from index.core.lexicon import cut_at_sentence_ends
from index.core.settings import RetrievalSettings
from index.search.chunking import chunk_document, pack_sentences, sections
from index.store.nodes import METADATA_KEYS
from tests.conftest import WAIBAN, ZFB

SENTENCE_END = re.compile(r"[。；！？;!?]$")


def body(node) -> str:
    """Text of a text node without its identity line and heading path."""
    return node.text.split("\n", 2)[2]


@pytest.fixture(scope="module")
def waiban(parsed_samples):
    return parsed_samples[WAIBAN.name]


def test_text_nodes_follow_sections_with_heading_path(waiban):
    nodes = chunk_document("w", waiban, RetrievalSettings()).nodes
    income = [n for n in nodes if n.metadata["section_path"].endswith("（一）收入预算说明")]
    assert len(income) == 1
    node = income[0]
    lines = node.text.split("\n")
    assert lines[0] == "北京市西城区人民政府外事办公室（区政府外办）2020年部门预算"
    assert lines[1] == "二、部门预算收支及增减变化情况说明/（一）收入预算说明"
    assert "2020年收入预算7,955,559.34元" in lines[2]
    assert (node.metadata["page_start"], node.metadata["page_end"]) == (1, 1)
    # A section's text is not mixed with the next one's.
    assert "支出预算" not in lines[2]
    # Every section with text is one node (the default target is larger than any section here).
    with_text = [s for s in sections(waiban.blocks) if s.paragraphs]
    assert len([n for n in nodes if n.metadata["node_type"] == "text"]) == len(with_text)


def test_long_sections_split_only_at_sentence_ends(waiban):
    settings = RetrievalSettings(chunk_chars=80)
    nodes = [n for n in chunk_document("w", waiban, settings).nodes if n.metadata["node_type"] == "text"]
    performance = [n for n in nodes if n.metadata["section_path"].endswith("（四）绩效工作开展情况")]
    assert len(performance) > 3, "a 450-character section must be split at this target"
    paragraphs = [b.text for b in waiban.blocks if b.kind == "paragraph" and b.section_path[-1] == "（四）绩效工作开展情况"]
    assert "".join(body(n) for n in performance) == "".join(paragraphs), "nothing lost, nothing reordered"
    for node in performance:
        text = body(node)
        assert SENTENCE_END.search(text), f"cut mid-sentence: …{text[-20:]}"
        assert len(text) <= 80 or len(cut_at_sentence_ends(text)) == 1, "only a single over-long sentence may exceed the target"
        assert node.text.split("\n")[1] == "五、其他情况说明/（四）绩效工作开展情况"


def test_pack_sentences_keeps_an_overlong_sentence_whole_and_never_jumps_pages():
    sentences = [("短句。", 1), ("这是一个很长很长很长的句子。", 1), ("下一句。", 1), ("远处的一句。", 9)]
    groups = pack_sentences(sentences, target=8)
    assert [[s for s, _ in g] for g in groups] == [["短句。"], ["这是一个很长很长很长的句子。"], ["下一句。"], ["远处的一句。"]]
    assert pack_sentences(sentences[:1] + sentences[2:3], target=50) == [[("短句。", 1), ("下一句。", 1)]]
    assert len(pack_sentences([("a。", 1), ("b。", 5)], target=50)) == 2


def test_every_table_is_a_node_with_rows_as_name_column_value_lines(waiban):
    nodes = chunk_document("w", waiban, RetrievalSettings()).nodes
    tables = [n for n in nodes if n.metadata["node_type"] == "table"]
    assert len({n.metadata["table_label"] for n in tables if n.metadata["table_label"]}) == 12  # 表1–表12
    assert len(tables) >= len(waiban.tables)
    income = next(n for n in tables if n.metadata["table_label"] == "表2")
    assert income.metadata["table_title"] == "2020年部门收入总表"
    assert "表2 2020年部门收入总表（单位：元）" in income.text
    assert "2010301 行政运行 / 一般公共预算拨款收入 : 3,573,232.28" in income.text
    assert (income.metadata["page_start"], income.metadata["page_end"]) == (7, 8)


def test_large_table_split_by_row_groups_with_header_repeated(waiban):
    settings = RetrievalSettings(table_rows_per_node=10)
    nodes = chunk_document("w", waiban, settings).nodes
    detail = next(t for t in waiban.tables if t.label == "表7")
    parts = [n for n in nodes if n.metadata["table_label"] == "表7"]
    assert len(parts) == -(-len(detail.rows) // 10)
    headers = {n.text.split("\n（第")[0] for n in parts}
    assert len(headers) == 1, "every part repeats the same header"
    header = headers.pop()
    assert "表7 2020年部门预算明细表（单位：元）" in header and "栏目：预算金额" in header
    row_lines = [line for n in parts for line in n.text.split("\n") if " : " in line]
    expected = sum(1 for r in detail.rows for c in r.cells if c.text and c.text != r.name)
    assert len(row_lines) == expected, "each filled cell appears in exactly one part"
    assert sum(1 for line in row_lines if line.startswith("2010301 行政运行")) == sum(
        1 for r in detail.rows if r.code == "2010301" and any(c.text for c in r.cells)
    )
    for n in parts:
        assert detail.pages[0] <= n.metadata["page_start"] <= n.metadata["page_end"] <= detail.pages[-1]


def test_metadata_is_flat_and_complete(parsed_samples):
    for name, document in parsed_samples.items():
        for node in chunk_document("doc1", document, RetrievalSettings()).nodes:
            assert set(node.metadata) == set(METADATA_KEYS)
            assert all(isinstance(v, (str, int, float, bool)) for v in node.metadata.values())
            assert node.metadata["doc_id"] == "doc1" and node.metadata["file_name"] == name
            assert node.metadata["year"] == 2020 and node.metadata["kind"] == "部门预算"
            assert node.ref_doc_id == "doc1", "the vector store deletes by ref_doc_id"


def test_vector_units_stand_for_retrieval_nodes(parsed_samples):
    chunks = chunk_document("z", parsed_samples[ZFB.name], RetrievalSettings())
    ids = {n.node_id for n in chunks.nodes}
    parts = [u for u in chunks.vector_units if isinstance(u, IndexNode)]
    assert parts and all(p.index_id in ids for p in parts)
    texts = [u for u in chunks.vector_units if not isinstance(u, IndexNode)]
    assert {u.node_id for u in texts} == {n.node_id for n in chunks.nodes if n.metadata["node_type"] == "text"}
    # Every table node is covered by at least one embedded part.
    tables = {n.node_id for n in chunks.nodes if n.metadata["node_type"] == "table"}
    assert tables == {p.index_id for p in parts}
