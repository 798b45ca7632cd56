"""Upload validation: type (extension and %PDF header), size, count, safe names, files only from the data dir."""

from __future__ import annotations

import unicodedata

import pytest

from qa.web.uploads import FALLBACK_NAME, UploadRefused, sanitize_file_name, stage_uploads
from tests.conftest import WAIBAN, make_settings


@pytest.fixture
def upload_settings(tmp_path):
    settings = make_settings(tmp_path / "data")
    settings.app.max_upload_mb = 1
    settings.app.max_uploads = 3
    return settings


def incoming(settings, name: str, data: bytes):
    """A file as Gradio leaves it: inside the data dir's upload cache."""
    folder = settings.data_dir / "cache" / "gradio" / f"u{abs(hash(name)) % 10**8}"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "upload.bin"
    path.write_bytes(data)
    return path


PDF = b"%PDF-1.7\n" + b"0" * 100


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("..\\..\\windows\\system32\\x.pdf", "x.pdf"),
        ("/etc/passwd", "passwd.pdf"),
        ("北京市西城区2020年部门预算.pdf", "北京市西城区2020年部门预算.pdf"),
        ("report\u202egnp.pdf", "reportgnp.pdf"),  # right-to-left override removed
        ("a\u200bb\u2066c\u2069.pdf", "abc.pdf"),  # zero-width space and bidi isolates removed
        ("tab\tnew\nline\r.pdf", "tab new line.pdf"),
        ("\x00\x1b[31mred.pdf", "[31mred.pdf"),  # escape sequence loses its ESC
        ("...hidden.pdf", "hidden.pdf"),
        ("..", FALLBACK_NAME),
        ("", FALLBACK_NAME),
        ("名单<script>.PDF", "名单_script_.pdf"),
        ("预算　表  （2020）.pdf", "预算 表 （2020）.pdf"),  # ideographic space collapsed, full-width brackets kept
        ("ｆｕｌｌ.pdf", "ｆｕｌｌ.pdf"),
    ],
)
def test_sanitize_file_name(raw, expected):
    assert sanitize_file_name(raw) == expected


def test_sanitized_names_are_safe_for_any_input():
    nasty = "".join(chr(c) for c in range(0, 0x3000, 7)) + "/../x.pdf"
    for raw in (nasty, "a" * 1000 + ".pdf", "\u0301\u0301.pdf", "e\u0301.pdf"):
        name = sanitize_file_name(raw)
        assert name.endswith(".pdf") and len(name) <= 120
        assert "/" not in name and "\\" not in name and not name.startswith(".")
        assert all(unicodedata.category(ch) not in {"Cc", "Cf", "Zl", "Zp"} for ch in name)
    assert sanitize_file_name("e\u0301.pdf") == "\u00e9.pdf"  # NFC


def test_accepts_pdf_and_stages_it_under_its_sanitised_name(upload_settings):
    path = incoming(upload_settings, "w", WAIBAN.read_bytes())
    staged = stage_uploads([path], upload_settings, names=["../../etc/外办 预算.pdf"])
    try:
        assert staged.refused == []
        assert [p.name for p in staged.paths] == ["外办 预算.pdf"]
        assert staged.paths[0].resolve().is_relative_to((upload_settings.data_dir / "uploads").resolve())
        assert staged.paths[0].read_bytes() == WAIBAN.read_bytes()
    finally:
        staged.cleanup()
    assert not staged.folder.exists()


def test_refuses_wrong_type_by_extension_and_by_content(upload_settings):
    paths = [
        incoming(upload_settings, "a", PDF),
        incoming(upload_settings, "b", b"PK\x03\x04 a zip pretending"),
        incoming(upload_settings, "c", b""),
    ]
    staged = stage_uploads(paths, upload_settings, names=["table.xlsx", "fake.pdf", "empty.pdf"])
    try:
        reasons = {r.file_name: r.reason for r in staged.refused}
        assert staged.paths == []
        assert "只接受 .pdf" in reasons["table.xlsx"]
        assert "%PDF" in reasons["fake.pdf"]
        assert "文件为空" in reasons["empty.pdf"]
    finally:
        staged.cleanup()


def test_refuses_files_over_the_size_limit(upload_settings):
    big = incoming(upload_settings, "big", PDF + b"0" * (1024 * 1024))
    small = incoming(upload_settings, "small", PDF)
    staged = stage_uploads([big, small], upload_settings, names=["big.pdf", "small.pdf"])
    try:
        assert [r.file_name for r in staged.refused] == ["big.pdf"]
        assert "文件过大" in staged.refused[0].reason and "上限 1 MiB" in staged.refused[0].reason
        assert [p.name for p in staged.paths] == ["small.pdf"]
    finally:
        staged.cleanup()


def test_refuses_too_many_files_as_a_whole(upload_settings):
    paths = [incoming(upload_settings, str(i), PDF) for i in range(4)]
    with pytest.raises(UploadRefused, match="一次最多上传 3 个文件"):
        stage_uploads(paths, upload_settings)
    assert not (upload_settings.data_dir / "uploads").exists() or not any((upload_settings.data_dir / "uploads").iterdir())
    with pytest.raises(UploadRefused, match="没有选择文件"):
        stage_uploads([], upload_settings)


def test_never_reads_a_file_outside_the_data_dir(upload_settings, tmp_path):
    outside = tmp_path / "outside.pdf"
    outside.write_bytes(PDF)
    staged = stage_uploads([outside, WAIBAN], upload_settings, names=["outside.pdf", "waiban.pdf"])
    try:
        assert staged.paths == []
        assert all("不是本次上传的文件" in r.reason for r in staged.refused)
    finally:
        staged.cleanup()


def test_same_sanitised_name_twice_keeps_both_files(upload_settings):
    a = incoming(upload_settings, "a", PDF + b"a")
    b = incoming(upload_settings, "b", PDF + b"b")
    staged = stage_uploads([a, b], upload_settings, names=["x/预算.pdf", "y/预算.pdf"])
    try:
        assert [p.name for p in staged.paths] == ["预算.pdf", "预算.pdf"]
        assert {p.read_bytes() for p in staged.paths} == {PDF + b"a", PDF + b"b"}
    finally:
        staged.cleanup()
