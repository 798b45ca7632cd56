"""What the browser may upload: PDFs only, bounded in size and count, under a safe file name.

An upload arrives as temporary files in Gradio's upload folder (inside the data dir). Each file is
checked (extension *and* ``%PDF`` header, size), given a sanitised name, and copied into a private
staging folder under the data dir; only staged copies are handed to the ingestor, so the name a
document is known by is always the sanitised one. Nothing is ingested when the batch is over the
count limit; a refused file is reported and the others go on.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
import time
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from index.core.settings import Settings

STALE_UPLOAD_S = 3600.0  # an upload is staged for seconds; one this old was interrupted

PDF_MAGIC = b"%PDF-"
# Readers accept a header anywhere in the first KiB (some generators put junk before it).
HEADER_WINDOW = 1024
MAX_NAME_CHARS = 120
FALLBACK_NAME = "上传文件.pdf"
_RESERVED = re.compile(r'[<>:"|?*\\/]')


@dataclass
class Refusal:
    file_name: str  # sanitised, safe to show
    reason: str


@dataclass
class StagedUpload:
    """Files accepted for ingestion, copied under the data dir; ``cleanup()`` removes the copies."""

    folder: Path
    paths: list[Path] = field(default_factory=list)
    refused: list[Refusal] = field(default_factory=list)

    def cleanup(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)


class UploadRefused(ValueError):
    """The whole upload is refused (e.g. too many files); nothing was staged."""


def display_name(raw: str) -> str:
    """The base name of an uploaded file made safe to show and store: no folders, no control, format
    or bidi characters, no reserved punctuation, no leading dots; Chinese and other letters are kept."""
    text = unicodedata.normalize("NFC", str(raw))
    # Base name of either separator style, so "..\\..\\x.pdf" and "../../x.pdf" both lose their folders.
    text = re.split(r"[\\/]", text)[-1]
    text = re.sub(r"\s+", " ", text)  # tabs, newlines and ideographic spaces read as one space
    # Cc (controls), Cf (bidi overrides, zero-width), Co/Cn/Cs (private, unassigned, surrogates), Zl/Zp.
    text = "".join(ch for ch in text if unicodedata.category(ch) not in {"Cc", "Cf", "Co", "Cn", "Cs", "Zl", "Zp"})
    text = _RESERVED.sub("_", text)
    return re.sub(r" +", " ", text).strip(" .")[:MAX_NAME_CHARS]


def sanitize_file_name(raw: str) -> str:
    """``display_name`` with a ``.pdf`` extension: the name an accepted upload is stored under."""
    text = display_name(raw)
    stem, dot, ext = text.rpartition(".")
    if not dot or ext.lower() != "pdf":
        stem = text
    stem = stem.strip(" .")[: MAX_NAME_CHARS - 4].rstrip(" .")
    return f"{stem}.pdf" if stem else FALLBACK_NAME


def check_file(path: Path, original_name: str, settings: Settings) -> str | None:
    """The reason a file is refused, or None when it is an acceptable PDF."""
    if not original_name.lower().rstrip(" .").endswith(".pdf"):
        return "不是 PDF 文件（只接受 .pdf）"
    try:
        size = path.stat().st_size
        with path.open("rb") as handle:
            head = handle.read(HEADER_WINDOW)
    except OSError as exc:
        return f"无法读取上传的文件（{type(exc).__name__}）"
    limit = settings.app.max_upload_mb * 1024 * 1024
    if size > limit:
        return f"文件过大（{size / 1048576:.1f} MiB，上限 {settings.app.max_upload_mb} MiB）"
    if size == 0:
        return "文件为空"
    if PDF_MAGIC not in head:
        return "文件内容不是 PDF（缺少 %PDF 文件头）"
    return None


def sweep_stale_uploads(settings: Settings, older_than_s: float = STALE_UPLOAD_S) -> int:
    """Staged batches left by uploads that were interrupted (the app stopped mid-upload); at start-up."""
    root = settings.data_dir / "uploads"
    cutoff = time.time() - older_than_s
    removed = 0
    for batch in root.glob("batch-*") if root.is_dir() else []:
        if batch.stat().st_mtime < cutoff:
            shutil.rmtree(batch, ignore_errors=True)
            removed += 1
    return removed


def stage_uploads(files: Sequence[str | os.PathLike[str]], settings: Settings, names: list[str] | None = None) -> StagedUpload:
    """Validate an upload and copy the acceptable files under ``data_dir/uploads``.

    ``files`` are the temporary paths Gradio wrote (inside the data dir); ``names`` the names the browser sent (defaults
    to the temporary files' names). Raises ``UploadRefused`` when the batch itself is unacceptable.
    """
    paths = [Path(f) for f in files]
    names = list(names) if names is not None else [p.name for p in paths]
    if not paths:
        raise UploadRefused("没有选择文件")
    if len(paths) > settings.app.max_uploads:
        raise UploadRefused(
            f"一次最多上传 {settings.app.max_uploads} 个文件（本次 {len(paths)} 个），未导入任何文件"
        )
    root = settings.data_dir / "uploads"
    root.mkdir(parents=True, exist_ok=True)
    staged = StagedUpload(Path(tempfile.mkdtemp(prefix="batch-", dir=root)))
    data_dir = settings.data_dir.resolve()
    for i, (path, original) in enumerate(zip(paths, names)):
        name = sanitize_file_name(original)
        # Gradio writes uploads inside the data dir (GRADIO_TEMP_DIR); anything else is not an upload.
        inside = path.resolve().is_relative_to(data_dir)
        reason = check_file(path, original, settings) if inside else "不是本次上传的文件"
        if reason:
            staged.refused.append(Refusal(display_name(original) or FALLBACK_NAME, reason))
            continue
        # One folder per file: two different files may share a sanitised name.
        target = staged.folder / str(i) / name
        target.parent.mkdir()
        shutil.copyfile(path, target)
        staged.paths.append(target)
    return staged
