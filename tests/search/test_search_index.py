"""The retrieval index on real stores in temporary dirs: idempotent add, delete, filters, persistence, threads."""

from __future__ import annotations

import json
import os
import subprocess
import threading

import numpy as np
import pytest
from llama_index.core.postprocessor.types import BaseNodePostprocessor

from index.core.settings import EmbedSettings, Settings
from index.search.chunking import chunk_document, node_id_of
from index.search.embeddings import NgramEmbedding, build_embed_model
from index.search.publisher_scope import match_names
from index.search.search_index import SearchIndex
from index.store.facts import FactsStore
from tests.conftest import ROOT, WAIBAN, ZFB

BIN = ROOT / ".venv" / "bin"


@pytest.fixture
def opened(sample_copy):
    """(index, store, {file name: doc_id}) over a private copy of the ingested samples."""
    settings = Settings(data_dir=sample_copy)
    store = FactsStore(settings.db_path)
    ids = {d.file_name: d.doc_id for d in store.documents()}
    return SearchIndex(settings), store, ids


def vector_ids(index: SearchIndex, doc_id: str) -> list[str]:
    return index.collection.get(where={"document_id": doc_id}, include=[])["ids"]


def test_ingest_indexed_both_legs(opened):
    index, store, ids = opened
    assert index.indexed_doc_ids() == set(ids.values())
    for _name, doc_id in ids.items():
        chunks = chunk_document(doc_id, store.document_model(doc_id), index.settings.retrieval)
        assert sorted(vector_ids(index, doc_id)) == sorted(u.node_id for u in chunks.vector_units)
        assert index.store.node_ids(doc_id) == [n.node_id for n in chunks.nodes]


def test_chroma_keeps_vectors_and_ids_only(opened):
    """A unit's text and metadata are kept once, in the node store; Chroma keeps its vector and document."""
    index, _, ids = opened
    got = index.collection.get(include=["documents", "metadatas"])
    assert len(got["ids"]) == index.collection.count() > 0
    assert all(not text for text in got["documents"] or [])
    assert {json.dumps(m, sort_keys=True) for m in got["metadatas"] or []} == {
        json.dumps({"document_id": d}) for d in ids.values()}


def test_a_scoped_bm25_search_reads_only_its_documents(opened, monkeypatch):
    """Start-up reads no document's term counts; a search scoped to one document reads that one's."""
    index, _, ids = opened
    read: list[str] = []
    doc_terms = index.store.doc_terms
    monkeypatch.setattr(index.store, "doc_terms", lambda doc_id: read.append(doc_id) or doc_terms(doc_id))
    fresh = SearchIndex(index.settings)  # shares nothing with ``index`` but the files
    monkeypatch.setattr(fresh.store, "doc_terms", lambda doc_id: read.append(doc_id) or doc_terms(doc_id))
    assert read == []
    waiban = ids[WAIBAN.name]
    hits = fresh.search("公务接待费", k=5, mode="bm25", filters={"doc_id": [waiban]})
    assert hits and {h.metadata["doc_id"] for h in hits} == {waiban}
    assert read == [waiban]
    fresh.search("外办公务接待费", k=5, mode="bm25")  # names its publisher: scoped to the same document, cached
    assert read == [waiban]
    fresh.search("公务接待费", k=5, mode="bm25", auto_scope=False)  # the whole corpus: every document
    assert sorted(read[1:]) == sorted(ids.values())


def test_re_adding_a_document_leaves_exactly_one_copy(opened):
    index, store, ids = opened
    doc_id = ids[WAIBAN.name]
    before_vectors, before_nodes = sorted(vector_ids(index, doc_id)), index.store.node_ids(doc_id)
    total = index.collection.count()
    for _ in range(2):
        n = index.add_document(doc_id, store.get(doc_id), store.document_model(doc_id))
    assert n == len(before_nodes)
    assert sorted(vector_ids(index, doc_id)) == before_vectors
    assert index.store.node_ids(doc_id) == before_nodes
    assert index.collection.count() == total
    hits = index.search("外办公务接待费", k=20, mode="bm25")
    assert len({h.node_id for h in hits}) == len(hits)


def test_delete_removes_the_document_from_both_legs(opened):
    index, _, ids = opened
    gone, kept = ids[WAIBAN.name], ids[ZFB.name]
    assert index.search("外办公务接待费", mode="bm25", filters={"doc_id": gone})
    index.delete_document(gone)
    assert vector_ids(index, gone) == []
    assert index.store.node_ids(gone) == []
    assert index.indexed_doc_ids() == {kept}
    for mode in ("vector", "bm25", "fused"):
        hits = index.search("外办2020年公务接待费预算", k=20, mode=mode)
        assert hits and all(h.metadata["doc_id"] == kept for h in hits), mode
    # And a new process sees the same.
    assert SearchIndex(index.settings).store.node_ids(gone) == []


def test_failed_vector_write_leaves_nothing_of_the_document(opened):
    index, store, ids = opened
    doc_id = ids[WAIBAN.name]
    # 16-dimensional vectors into a 1024-dimensional collection: Chroma refuses the write.
    broken = SearchIndex(index.settings, embed_model=NgramEmbedding(dim=16))
    with pytest.raises(Exception, match="(?i)dimension"):
        broken.add_document(doc_id, store.get(doc_id), store.document_model(doc_id))
    assert vector_ids(index, doc_id) == []
    assert broken.store.node_ids(doc_id) == [] and index.store.node_ids(doc_id) == []
    assert doc_id not in index.indexed_doc_ids()


def test_filters(opened):
    index, _, ids = opened
    waiban, zfb = ids[WAIBAN.name], ids[ZFB.name]
    for mode in ("vector", "bm25", "fused"):
        hits = index.search("公务接待费预算", k=10, mode=mode, filters={"doc_id": zfb})
        assert hits and {h.metadata["doc_id"] for h in hits} == {zfb}, mode
        hits = index.search("公务接待费预算", k=10, mode=mode, filters={"department": "北京市西城区人民政府外事办公室", "year": 2020})
        assert hits and {h.metadata["doc_id"] for h in hits} == {waiban}, mode
        hits = index.search("公务接待费预算", k=30, mode=mode, filters={"doc_id": [waiban, zfb], "node_type": "table"})
        assert {h.metadata["doc_id"] for h in hits} == {waiban, zfb} and {h.metadata["node_type"] for h in hits} == {"table"}
        assert index.search("公务接待费预算", mode=mode, filters={"year": 2019}) == []
        assert index.search("公务接待费预算", mode=mode, filters={"doc_id": []}) == []
    hits = index.search("公务接待费", k=5, filters={"table_label": "表9"})
    assert hits and all(h.metadata["table_label"] == "表9" for h in hits)
    with pytest.raises(ValueError, match="未知的过滤字段：colour"):
        index.search("公务接待费", filters={"colour": "red"})
    with pytest.raises(ValueError, match="未知的检索模式：magic"):
        index.search("公务接待费", mode="magic")


def test_hits_carry_text_score_and_metadata(opened):
    index, _, ids = opened
    hits = index.search("外办2020年收入预算是多少", k=5)
    assert len(hits) == 5
    top = hits[0]
    assert top.metadata["file_name"] == WAIBAN.name and top.metadata["page_start"] == 1
    assert "7,955,559.34" in top.text and top.score > 0
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)
    assert json.loads(json.dumps(top.to_dict(), ensure_ascii=False))["node_id"] == top.node_id
    assert index.search("   ") == []


def test_persisted_index_answers_from_a_new_process(sample_copy):
    """A separate process (the CLI, another hash seed) loads the persisted vectors and finds the same nodes;
    a new instance reloads the BM25 corpus from SQLite."""
    settings = Settings(data_dir=sample_copy)
    first = SearchIndex(settings)
    expected = {mode: first.search("区政府办公室三公经费", k=3, mode=mode) for mode in ("vector", "bm25")}
    env = {k: v for k, v in os.environ.items() if not k.startswith("BUDGET_QA_")} | {"PYTHONHASHSEED": "123"}
    out = subprocess.run(
        [str(BIN / "budget-qa"), "search", "区政府办公室三公经费", "-k", "3", "--mode", "vector", "--json", "--data-dir", str(sample_copy)],
        capture_output=True, text=True, env=env, timeout=180, check=True,
    )  # fmt: skip
    lines = [json.loads(line) for line in out.stdout.splitlines()]
    assert [x["node_id"] for x in lines] == [h.node_id for h in expected["vector"]]
    assert [x["score"] for x in lines] == pytest.approx([h.score for h in expected["vector"]], rel=1e-4)
    assert lines[0]["metadata"]["file_name"] == ZFB.name
    again = SearchIndex(settings).search("区政府办公室三公经费", k=3, mode="bm25")
    assert [(h.node_id, h.score) for h in again] == [(h.node_id, h.score) for h in expected["bm25"]]


def test_cli_search_says_in_chinese_when_nothing_is_found(sample_copy, tmp_path, capsys):
    from qa.cli.main import main

    assert main(["search", "zzqqxx", "--mode", "bm25", "--data-dir", str(sample_copy)]) == 0
    assert capsys.readouterr().out == "没有找到相关内容\n"
    empty = tmp_path / "empty"
    assert main(["search", "外办三公经费", "--data-dir", str(empty)]) == 1
    assert capsys.readouterr().err == f"✗ 检索索引为空，请先导入：budget-qa ingest PDF --data-dir {empty}\n"


def test_ngram_embedding_is_a_unit_vector_of_hashed_ngrams():
    model = NgramEmbedding(64)
    vec = np.array(model.get_text_embedding("外办公务接待费2,217.48元"))
    assert vec.shape == (64,) and abs(np.linalg.norm(vec) - 1) < 1e-5
    assert np.allclose(vec, model.get_text_embedding("外办公务接待费2,217.48元"))
    same_topic = np.array(model.get_query_embedding("外办的公务接待费是多少"))
    other = np.array(model.get_query_embedding("住房公积金"))
    assert vec @ same_topic > vec @ other


def test_embed_factory_fails_clearly_without_a_local_model():
    assert isinstance(build_embed_model(EmbedSettings()), NgramEmbedding)
    with pytest.raises(RuntimeError, match="BUDGET_QA_EMBED__BASE_URL"):
        build_embed_model(EmbedSettings(model="openai:text-embedding-3-small"))
    with pytest.raises(RuntimeError, match="sentence-transformers|本地找不到嵌入模型"):
        build_embed_model(EmbedSettings(model="/nonexistent/model"))


def test_concurrent_searches_while_a_document_is_re_added(opened):
    index, store, ids = opened
    doc_id = ids[ZFB.name]
    errors: list[BaseException] = []
    results: list[str] = []

    def ask() -> None:
        try:
            for _ in range(5):
                hits = index.search("外办公务接待费预算", k=3, filters={"doc_id": ids[WAIBAN.name]})
                results.append(hits[0].metadata["file_name"])
        except BaseException as exc:  # collected and re-raised in the test thread
            errors.append(exc)

    threads = [threading.Thread(target=ask) for _ in range(6)]
    for t in threads:
        t.start()
    index.add_document(doc_id, store.get(doc_id), store.document_model(doc_id))
    for t in threads:
        t.join()
    assert not errors, errors
    assert results == [WAIBAN.name] * 30


def test_match_names_is_longest_first_and_strips_the_names():
    names = {"外事办公室": {"w"}, "办公室": {"z"}, "区政府办公室": {"z"}, "外办": {"w"}}
    assert match_names("外事办公室的公务接待费", names, 6) == ({"w"}, "的公务接待费")
    assert match_names("区政府办公室 三公经费", names, 6) == ({"z"}, "三公经费")
    docs, rest = match_names("外办和区政府办公室的三公经费", names, 6)
    assert docs == {"w", "z"} and rest.split() == ["和", "的三公经费"]
    assert match_names("住房公积金", names, 6) == (set(), "住房公积金")


def test_a_question_naming_a_publisher_is_scoped_to_its_documents(opened):
    index, _, ids = opened
    hits = index.search("外办的三公经费预算", k=10)
    assert hits and {h.metadata["doc_id"] for h in hits} == {ids[WAIBAN.name]}
    hits = index.search("区政府办公室的三公经费预算", k=10, mode="bm25")
    assert hits and {h.metadata["doc_id"] for h in hits} == {ids[ZFB.name]}
    # An explicit document filter wins over the name in the question.
    hits = index.search("外办的三公经费预算", k=5, filters={"doc_id": ids[ZFB.name]})
    assert hits and {h.metadata["doc_id"] for h in hits} == {ids[ZFB.name]}
    unscoped = index.search("外办的三公经费预算", k=20, auto_scope=False)
    assert {h.metadata["doc_id"] for h in unscoped} == set(ids.values())


def test_an_interrupted_write_is_reported_for_the_start_up_sweep(opened):
    """A crash after the pending mark (before the BM25 commit) leaves the document listed, so
    ``Ingestor.recover`` deletes whatever vectors it left; deleting clears the mark."""
    index, _, ids = opened
    index.store.mark_pending("crashed0000000000")
    assert "crashed0000000000" in index.indexed_doc_ids()
    assert "crashed0000000000" in SearchIndex(index.settings).indexed_doc_ids(), "the mark is persisted"
    index.delete_document("crashed0000000000")
    assert index.indexed_doc_ids() == set(ids.values())


class ReverseOrder(BaseNodePostprocessor):
    """A reranker plugged in at llama-index's documented hook: it reverses the fused order."""

    seen: list = []

    def _postprocess_nodes(self, nodes, query_bundle=None):
        self.seen.extend(n.node.node_id for n in nodes)
        return list(reversed(nodes))


def test_a_reranker_postprocessor_reorders_fused_candidates(opened):
    index, _, _ = opened
    plain = index.retriever(k=3, mode="fused").retrieve("外办的三公经费预算")
    reranker = ReverseOrder(seen=[])
    reranked = index.retriever(k=3, mode="fused", reranker=reranker).retrieve("外办的三公经费预算")
    assert reranker.seen[:3] == [n.node.node_id for n in plain], "the reranker gets the fused candidates in order"
    assert len(reranker.seen) > 3
    assert [n.node.node_id for n in reranked] == list(reversed(reranker.seen))[:3]


def test_exact_search_within_a_document_agrees_with_chroma(opened):
    """In a scope of a few documents the vector leg searches the store's float16 copy exactly;
    it must rank as Chroma does over the same document."""
    index, _, ids = opened
    query = "公务用车运行维护费"
    exact = index.search(query, k=5, mode="vector", filters={"doc_id": ids[ZFB.name]})
    embedding = index.embed_model.get_query_embedding(query)
    got = index.collection.query(query_embeddings=[embedding], n_results=40, where={"document_id": ids[ZFB.name]}, include=["distances"])
    chroma: dict[str, float] = {}
    for unit, distance in zip(got["ids"][0], got["distances"][0]):
        chroma.setdefault(node_id_of(unit), 1 - distance)
    assert [h.node_id for h in exact[:3]] == list(chroma)[:3]
    assert [h.score for h in exact] == pytest.approx([chroma[h.node_id] for h in exact], abs=2e-3)


def test_which_documents_text_holds_a_phrase_follows_writes_and_deletes(opened):
    """The trigram text index (a question naming no publisher but a project) answers what the bodies hold,
    a phrase as written (quotes included), and forgets a deleted document's text."""
    index, _, ids = opened
    waiban, zfb = ids["xicheng-waiban-2020.pdf"], ids["xicheng-zfb-2020.pdf"]
    assert index.holding("出入境业务管理系统升级改造") == {waiban}  # waiban p3, 政府采购预算说明
    assert index.holding("机要信息中心运维费") == {zfb}
    assert index.holding("项目支出") == {waiban, zfb}
    assert index.holding('出入境"管理') == set()
    index.delete_document(waiban)
    assert index.holding("出入境业务管理系统升级改造") == set()
    assert SearchIndex(index.settings).holding("项目支出") == {zfb}  # a new process reads the same


def test_a_query_finds_the_same_passages_whatever_words_were_learnt_before(opened):
    """Every document searched teaches the tokenizer its names ("部门预算", "2026年度"), and they cut a later
    query differently; the pieces of the query the index holds are asked for either way, so what a question
    finds does not depend on what was asked before it (北京政府办's 厅属事业单位 had drawn the 三公 definition
    by its 部门预算 once another document had taught that word)."""
    index, _, ids = opened
    waiban = ids[WAIBAN.name]
    query = "外事办公室2020年度部门预算中公务接待费是多少"
    tokenizer = index.keyword.tokenizer

    def found():
        scoped = index.search(query, k=8, mode="bm25", filters={"doc_id": [waiban]})
        corpus = index.search(query, k=8, mode="bm25", auto_scope=False)
        return [[(h.node_id, round(h.score, 6)) for h in hits] for hits in (scoped, corpus)]

    before = found()
    cut = tokenizer.tokenize(query)
    tokenizer.add_words(["年度部门预算中", "公务接待费是"])  # names other documents could teach
    assert tokenizer.tokenize(query) != cut  # the query is cut differently now
    assert found() == before
