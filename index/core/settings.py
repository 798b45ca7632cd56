"""The one settings object. Built once at the program's edge (CLI, app, eval) and passed down.

Environment variables are prefixed ``BUDGET_QA_``; nested fields use ``__``
(e.g. ``BUDGET_QA_LLM__TIMEOUT_S``). The documented flat names ``BUDGET_QA_LLM_BASE_URL``,
``BUDGET_QA_LLM_MODEL``, ``BUDGET_QA_LLM_API_KEY`` and ``BUDGET_QA_EMBED_MODEL`` are accepted too.
"""

from __future__ import annotations

import os
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


def usable_cores() -> int:
    """Cores this process may run on (a container or ``taskset`` may allow fewer than the machine has)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


class IngestSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    max_file_mb: int = Field(default=100, description="Largest PDF accepted, in MiB.")
    max_pages: int = Field(default=2000, description="Largest page count accepted.")
    parse_timeout_s: float = Field(default=120.0, description="Seconds one file may take to parse (at least).")
    parse_timeout_per_page_s: float = Field(default=2.0, description="More seconds per page, for long files.")
    parse_memory_mb: int = Field(default=2048, description="Memory one file's parse may use, in MiB.")
    workers: int = Field(default_factory=usable_cores,
                         description="Files parsed at once (each in its own process); by default one per core.")
    ocr: bool = Field(default=True, description="Read pages without a text layer (scans) with OCR; off, a scan is refused.")
    ocr_dpi: int = Field(default=200, description="Resolution scanned pages are rendered at for OCR.")
    parse_timeout_per_ocr_page_s: float = Field(
        default=60.0, description="More seconds for each page read by OCR (a page takes 5–20 s on one core)."
    )


class EmbedSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    model: str = Field(
        default="ngram",
        description="'ngram' (offline character n-gram hashing, the default), a local "
        "sentence-transformers model path or name, or 'openai:<model>' for an "
        "OpenAI-compatible embeddings endpoint.",
    )
    dim: int = Field(default=1024, description="Dimension of the n-gram hashing embedding.")
    base_url: str | None = Field(default=None, description="Base URL of an OpenAI-compatible embeddings endpoint.")
    api_key: SecretStr | None = Field(default=None, description="API key of the embeddings endpoint.")


class RetrievalSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    top_k: int = Field(default=8, description="Nodes returned by hybrid retrieval.")
    leg_k: int = Field(default=30, description="Candidates taken from each leg before fusion.")
    rrf_k: int = Field(default=60, description="Reciprocal-rank-fusion constant.")
    chunk_chars: int = Field(default=600, description="Target size of a text chunk, in characters.")
    table_rows_per_node: int = Field(default=40, description="Rows per table node before a table is split.")


class LLMSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    base_url: str | None = Field(default=None, description="OpenAI-compatible chat endpoint; unset means extractive answers.")
    model: str | None = Field(default=None, description="Chat model name at that endpoint.")
    api_key: SecretStr | None = Field(default=None, description="API key (never logged).")
    timeout_s: float = Field(default=30.0, description="Request timeout in seconds before falling back.")
    temperature: float = Field(default=0.1, description="Sampling temperature.")

    @property
    def configured(self) -> bool:
        return bool(self.base_url and self.model)


class AppSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    host: str = Field(default="127.0.0.1", description="Bind address; anything else needs allow_remote.")
    port: int = Field(default=7860, description="Port of the web app.")
    allow_remote: bool = Field(default=False, description="Allow binding to a non-loopback address.")
    auth_user: str | None = Field(default=None, description="Basic-auth user name (optional).")
    auth_password: SecretStr | None = Field(default=None, description="Basic-auth password (optional).")
    concurrency: int = Field(default=8, description="Gradio queue default concurrency limit.")
    max_upload_mb: int = Field(default=50, description="Largest upload accepted, in MiB.")
    max_uploads: int = Field(default=20, description="Most files in one upload.")


class AnswerSettings(BaseModel):
    """How answers are tuned: what a quoted sentence must share with the question, how many are quoted."""

    model_config = ConfigDict(extra="forbid")

    prose_k: int = Field(default=12, description="Nodes retrieved for a prose question before its sentences are picked.")
    min_score: float = Field(default=0.34, description="Share of the question's character pairs a quoted sentence must contain.")
    max_quotes: int = Field(default=3, description="Sentences quoted in an extractive answer.")
    max_list_quotes: int = Field(default=8, description="Sentences quoted when the question asks for a list (有哪些).")
    core_score: float = Field(
        default=1.0, description="Tables at least this specific to the question take part in the consistency check."
    )


class ChromaServerSettings(BaseModel):
    """A Chroma server (``chroma run``) instead of the embedded store under the data dir."""

    model_config = ConfigDict(extra="forbid")

    host: str | None = Field(default=None, description="Host of a Chroma server; unset keeps vectors in the data dir.")
    port: int = Field(default=8000, description="Port of the Chroma server.")
    database: str = Field(default="default_database", description="Chroma database on that server (one per index).")


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="BUDGET_QA_", env_file=".env", env_nested_delimiter="__", extra="ignore"
    )

    data_dir: Path = Field(default=Path("./data"), description="Where stores and uploaded files live.")
    ingest: IngestSettings = Field(default_factory=IngestSettings)
    embed: EmbedSettings = Field(default_factory=EmbedSettings)
    retrieval: RetrievalSettings = Field(default_factory=RetrievalSettings)
    llm: LLMSettings = Field(default_factory=LLMSettings)
    app: AppSettings = Field(default_factory=AppSettings)
    answer: AnswerSettings = Field(default_factory=AnswerSettings)
    facts_url: str | None = Field(
        default=None,
        description="postgresql://… puts documents, facts and the keyword index in PostgreSQL; "
        "unset keeps them in SQLite files in the data dir.",
    )
    chroma: ChromaServerSettings = Field(default_factory=ChromaServerSettings)

    # Flat aliases documented in the README (the names people expect).
    llm_base_url: str | None = Field(default=None, exclude=True)
    llm_model: str | None = Field(default=None, exclude=True)
    llm_api_key: SecretStr | None = Field(default=None, exclude=True)
    embed_model: str | None = Field(default=None, exclude=True)

    @model_validator(mode="after")
    def _apply_flat_aliases(self) -> Settings:
        if self.llm_base_url:
            self.llm.base_url = self.llm_base_url
        if self.llm_model:
            self.llm.model = self.llm_model
        if self.llm_api_key:
            self.llm.api_key = self.llm_api_key
        if self.embed_model:
            self.embed.model = self.embed_model
        return self

    @property
    def db_path(self) -> Path:
        return self.data_dir / "facts.sqlite3"

    @property
    def facts_target(self) -> Path | str:
        """What ``FactsStore`` opens: the server URL when one is configured, else the SQLite file."""
        return self.facts_url or self.db_path

    @property
    def shared_stores(self) -> bool:
        """Facts, keyword index and vectors all on servers: several ingest processes (on several machines)
        write at once, each document claimed in the database instead of the data dir locked."""
        return bool(self.facts_url and self.facts_url.startswith(("postgresql", "postgres:")) and self.chroma.host)

    @property
    def has_index(self) -> bool:
        """A retrieval index exists (or lives on a server, where opening it creates it)."""
        return bool(self.chroma.host) or self.index_dir.exists()

    @property
    def files_dir(self) -> Path:
        return self.data_dir / "files"

    @property
    def index_dir(self) -> Path:
        return self.data_dir / "index"

    @property
    def lock_path(self) -> Path:
        return self.data_dir / ".ingest.lock"


def load_settings(data_dir: str | os.PathLike | None = None) -> Settings:
    """Build settings from env/.env, with an explicit data dir (e.g. ``--data-dir``) taking precedence."""
    settings = Settings()
    if data_dir is not None:
        settings.data_dir = Path(data_dir)
    return settings
