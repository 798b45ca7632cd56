"""Generators for the bad-input corpus used by the robustness tests (files are made, never committed)."""

from __future__ import annotations

import io
import random
import zipfile
from pathlib import Path

from tests.conftest import WAIBAN

# A table drawn without ruling lines: only text alignment says it is a table.
UNRULED_ROWS = [
    ("科目编码", "科目名称", "合计", "基本支出", "项目支出"),
    ("201", "一般公共服务支出", "5,726,351.40", "3,556,912.28", "2,153,119.12"),
    ("20103", "政府办公厅（室）及相关机构事务", "5,726,351.40", "3,556,912.28", "2,153,119.12"),
    ("2010301", "行政运行", "3,556,912.28", "3,556,912.28", "0.00"),
    ("2010302", "一般行政管理事务", "69,439.12", "0.00", "69,439.12"),
]


def _canvas(path: Path):
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))  # built into reportlab: no font file needed
    c = canvas.Canvas(str(path))
    c.setFont("STSong-Light", 12)
    return c


def unruled_table_pdf(path: Path) -> Path:
    c = _canvas(path)
    c.drawString(72, 800, "北京市西城区测试办公室2020年部门预算")
    c.drawString(72, 780, "表3 2020年部门支出总表")
    c.drawString(72, 760, "单位：元")
    y = 730
    for row in UNRULED_ROWS:
        for x, text in zip([72, 130, 330, 420, 510], row):
            if x >= 330:
                c.drawRightString(x + 70, y, text)
            else:
                c.drawString(x, y, text)
        y -= 20
    c.save()
    return path


def many_pages_pdf(path: Path, pages: int = 500) -> Path:
    c = _canvas(path)
    for i in range(1, pages + 1):
        c.setFont("STSong-Light", 12)
        c.drawString(72, 800, f"北京市西城区测试局2020年部门预算 第{i}页")
        c.drawString(72, 780, f"{i}.本页说明：收入预算{i},000.00元。")
        c.showPage()
    c.save()
    return path


def image_only_pdf(path: Path) -> Path:
    """A scan: one picture per page, no text layer."""
    from PIL import Image, ImageDraw
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    image = Image.new("RGB", (600, 800), "white")
    ImageDraw.Draw(image).rectangle([50, 50, 550, 300], outline="black", width=3)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    c = canvas.Canvas(str(path))
    c.drawImage(ImageReader(io.BytesIO(buffer.getvalue())), 0, 0, width=595, height=842)
    c.showPage()
    c.save()
    return path


def encrypted_pdf(path: Path) -> Path:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for page in PdfReader(WAIBAN).pages[:2]:
        writer.add_page(page)
    writer.encrypt(user_password="secret", owner_password="owner")
    with open(path, "wb") as fh:
        writer.write(fh)
    return path


def docx_renamed_pdf(path: Path) -> Path:
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document>收入预算</w:document>")
    return path


def make_bad_corpus(folder: Path) -> dict[str, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(7)
    data = WAIBAN.read_bytes()
    files = {
        "zero": folder / "zero.pdf",
        "random": folder / "random.pdf",
        "truncated": folder / "truncated.pdf",
        "encrypted": encrypted_pdf(folder / "encrypted.pdf"),
        "image_only": image_only_pdf(folder / "scan.pdf"),
        "docx": docx_renamed_pdf(folder / "report.pdf"),
        "odd_name": folder / "..\u202e报告 ✓ 😀 (1).pdf",
    }
    files["zero"].write_bytes(b"")
    files["random"].write_bytes(bytes(rng.randrange(256) for _ in range(4096)))
    files["truncated"].write_bytes(data[: len(data) // 2])
    unruled_table_pdf(files["odd_name"])  # a good PDF with a hostile-looking name
    return files
