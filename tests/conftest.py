"""Shared fixtures: every data path points at a temporary directory; real PDFs, real stores."""

from __future__ import annotations

import os
import shutil
import uuid
from decimal import Decimal
from pathlib import Path

import pytest

from index.core.settings import Settings
from index.ingest import Ingestor
from qa.services import Services

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_DIR = ROOT / "eval" / "corpus"
WAIBAN = SAMPLE_DIR / "xicheng-waiban-2020.pdf"
ZFB = SAMPLE_DIR / "xicheng-zfb-2020.pdf"
REAL_DIR = Path(os.environ.get("BUDGET_QA_REAL_DIR", ROOT.parent / "shared" / "real"))
# Servers the stores run on in ``make test-servers`` (tests/servers/run.py), read before any test clears the env.
SERVER_KEYS = ("BUDGET_QA_FACTS_URL", "BUDGET_QA_CHROMA__HOST", "BUDGET_QA_CHROMA__PORT")
SERVERS = {k: os.environ[k] for k in SERVER_KEYS if os.environ.get(k)}


WILD_DIR = Path(os.environ.get("BUDGET_QA_WILD_DIR", ROOT.parent / "shared" / "wild"))


def wild_pdfs(*names: str) -> list[Path]:
    """Third-party disclosures from ../shared/wild, or a skip saying which one is missing."""
    missing = [n for n in names if not (WILD_DIR / n).exists()]
    if missing:
        pytest.skip(f"{WILD_DIR} lacks {missing[0]}: the wild disclosures are third-party files, not committed")
    return [WILD_DIR / n for n in names]


def ingested(tmp_path_factory, paths: list[Path], name: str, group: str | None = None) -> Services:
    """These PDFs ingested into a fresh data dir (each must ingest), and the services over it."""
    data_dir = tmp_path_factory.mktemp(name) / "data"
    results = Ingestor(Settings(data_dir=data_dir)).ingest(paths, group=group)
    assert all(r.status == "ingested" for r in results), [r.summary() for r in results]
    return Services(Settings(data_dir=data_dir))


def answered(engine, question: str) -> tuple[Decimal, str, str]:
    """The engine's answer to a question that must be answered: its value, unit and text."""
    answer = engine.ask(question)
    assert answer.status == "answered", answer.answer
    assert answer.value is not None and answer.unit is not None
    return Decimal(answer.value), answer.unit, answer.answer


def real_pdf(name: str) -> Path:
    """A third-party disclosure from ../shared/real, or a skip saying why it is missing."""
    path = REAL_DIR / name
    if not path.exists():
        pytest.skip(f"real disclosure {name} not available: ../shared/real is absent (third-party files are not committed)")
    return path


@pytest.fixture(autouse=True)
def _isolate_env(tmp_path, monkeypatch):
    """Tests never touch the user's data dir or a configured LLM."""
    for key in list(os.environ):
        if key.startswith("BUDGET_QA_"):
            monkeypatch.delenv(key, raising=False)
    monkeypatch.setenv("BUDGET_QA_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.chdir(tmp_path)  # no stray .env is read
    monkeypatch.setenv("ANONYMIZED_TELEMETRY", "False")


def make_settings(data_dir: Path, **overrides) -> Settings:
    settings = Settings(data_dir=data_dir, **overrides)
    return settings


@pytest.fixture
def stores(monkeypatch) -> dict[str, str]:
    """Where this test's stores live, as environment (this process's and its children's): nothing (embedded,
    in the data dir) in ``make test``; in ``make test-servers`` a fresh PostgreSQL database and a fresh
    Chroma database on the servers, so that tests never see each other's documents."""
    if not SERVERS:
        return {}
    import chromadb
    import psycopg

    name = f"t_{uuid.uuid4().hex[:12]}"
    server_url = SERVERS["BUDGET_QA_FACTS_URL"]
    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    host, port = SERVERS["BUDGET_QA_CHROMA__HOST"], int(SERVERS["BUDGET_QA_CHROMA__PORT"])
    chromadb.AdminClient(chromadb.Settings(chroma_api_impl="chromadb.api.fastapi.FastAPI", chroma_server_host=host,
                                           chroma_server_http_port=port, anonymized_telemetry=False)).create_database(name)
    env = {**SERVERS, "BUDGET_QA_FACTS_URL": server_url.rsplit("/", 1)[0] + "/" + name, "BUDGET_QA_CHROMA__DATABASE": name}
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    return env


@pytest.fixture
def settings(tmp_path, stores) -> Settings:
    return make_settings(tmp_path / "data")


@pytest.fixture(scope="session")
def parsed_samples():
    """Both sample disclosures parsed once: file name → Document."""
    from index.read.parse import parse_pdf

    return {p.name: parse_pdf(p) for p in (WAIBAN, ZFB)}


@pytest.fixture(scope="session")
def facts_only_data_dir(tmp_path_factory) -> Path:
    """A data dir with both samples in the facts store (no retrieval index)."""
    from index.ingest import Ingestor

    data_dir = tmp_path_factory.mktemp("facts_only") / "data"
    Ingestor(Settings(data_dir=data_dir)).ingest([WAIBAN, ZFB])
    return data_dir


@pytest.fixture(scope="session")
def sample_data_dir(tmp_path_factory) -> Path:
    """A data dir with both samples fully ingested (facts, vectors, BM25), built once per session."""
    from index.ingest import Ingestor
    from index.search.search_index import SearchIndex
    from index.store.facts import FactsStore

    data_dir = tmp_path_factory.mktemp("samples") / "data"
    settings = Settings(data_dir=data_dir)
    results = Ingestor(settings, store=FactsStore(settings.db_path), indexer=SearchIndex(settings)).ingest([WAIBAN, ZFB])
    assert all(r.status == "ingested" for r in results), [r.summary() for r in results]
    return data_dir


@pytest.fixture
def sample_copy(sample_data_dir, tmp_path) -> Path:
    """A private, writable copy of the ingested sample data dir."""
    target = tmp_path / "data_copy"
    shutil.copytree(sample_data_dir, target)
    return target
