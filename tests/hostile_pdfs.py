"""Hostile PDFs, made by the tests (never committed): each attacks the parser's time, memory or stack.

Every file is small on disk; what it asks of a PDF reader is not. ``make_hostile_corpus(folder)`` writes
them all and returns their paths by name.
"""

from __future__ import annotations

import zlib
from pathlib import Path


def _pdf(objects: list[bytes], root: int = 1, with_xref: bool = True) -> bytes:
    """A PDF from numbered object bodies (object i+1 = objects[i]), with a correct xref unless asked not to."""
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    if with_xref:
        xref = len(out)
        out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
        out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
        out += b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, root, xref)
    else:
        out += b"trailer\n<< /Root %d 0 R >>\n%%%%EOF\n" % root
    return bytes(out)


def _stream(data: bytes, extra: bytes = b"") -> bytes:
    packed = zlib.compress(data, 9)
    return b"<< /Length %d /Filter /FlateDecode %s >>\nstream\n" % (len(packed), extra) + packed + b"\nendstream"


def _one_page(content: bytes, resources: bytes = b"<< >>") -> list[bytes]:
    return [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources " + resources + b" >>",
        content,
    ]


def reference_cycle() -> bytes:
    """Objects that only point at each other: 1 → 2 → … → 7 → 1 (the 527-byte file that hung ingest)."""
    objects = [b"%d 0 R" % (i % 7 + 1) for i in range(1, 8)]
    objects[0] = b"<< /Type /Catalog /Pages 2 0 R >>"
    objects[1] = b"<< /Type /Pages /Kids [3 0 R] /Count 1 /Parent 7 0 R >>"
    objects[2] = b"<< /Type /Page /Parent 2 0 R /Contents 4 0 R /Resources 5 0 R >>"
    objects[3], objects[4], objects[5], objects[6] = b"5 0 R", b"6 0 R", b"7 0 R", b"4 0 R"
    return _pdf(objects)


def operator_bomb(megabytes: int = 40) -> bytes:
    """A page whose one compressed content stream expands to ``megabytes`` of drawing operators."""
    ops = b"0 0 m 1 1 l S\n" * (megabytes * 1024 * 1024 // 14)
    return _pdf(_one_page(_stream(ops)))


def flate_bomb(megabytes: int = 1024) -> bytes:
    """An image whose compressed kilobytes inflate to ``megabytes`` of zeros."""
    side = int((megabytes * 1024 * 1024) ** 0.5)
    image = _stream(bytes(side * side), b"/Type /XObject /Subtype /Image /Width %d /Height %d "
                    b"/ColorSpace /DeviceGray /BitsPerComponent 8" % (side, side))
    objects = _one_page(_stream(b"q 500 0 0 500 0 0 cm /Im0 Do Q"), b"<< /XObject << /Im0 5 0 R >> >>")
    return _pdf([*objects, image])


def text_bomb(characters: int = 20_000_000) -> bytes:
    """Millions of glyphs in one text operator: every glyph becomes an object in the layout analysis."""
    content = b"BT /F1 1 Tf 10 10 Td (" + b"a" * characters + b") Tj ET"
    objects = _one_page(_stream(content), b"<< /Font << /F1 5 0 R >> >>")
    return _pdf([*objects, b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"])


def deep_page_tree(depth: int = 5000) -> bytes:
    """/Pages nodes nested ``depth`` deep above a single page (recursion past the stack)."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>"]
    for level in range(depth):
        number = 2 + level
        parent = b" /Parent %d 0 R" % (number - 1) if level else b""
        objects.append(b"<< /Type /Pages /Kids [%d 0 R] /Count 1%s >>" % (number + 1, parent))
    page = len(objects) + 1
    objects.append(b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 595 842] >>" % (page - 1))
    return _pdf(objects)


def nested_arrays(depth: int = 100_000) -> bytes:
    """A page whose /Resources is an array nested ``depth`` deep."""
    return _pdf(_one_page(_stream(b"BT ET"), b"[" * depth + b"]" * depth))


def count_lie(claimed: int = 10_000_000) -> bytes:
    """A page tree that claims millions of pages and holds one."""
    objects = _one_page(_stream(b"BT ET"))
    objects[1] = b"<< /Type /Pages /Kids [3 0 R] /Count %d >>" % claimed
    return _pdf(objects)


def many_pages(pages: int = 2500) -> bytes:
    """Genuinely many (empty) pages: more than the page limit."""
    kids = b" ".join(b"%d 0 R" % (3 + i) for i in range(pages))
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, pages)]
    objects += [b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>"] * pages
    return _pdf(objects)


HOSTILE = {
    "reference_cycle.pdf": reference_cycle,
    "operator_bomb.pdf": operator_bomb,
    "flate_bomb.pdf": flate_bomb,
    "text_bomb.pdf": text_bomb,
    "deep_page_tree.pdf": deep_page_tree,
    "nested_arrays.pdf": nested_arrays,
    "count_lie.pdf": count_lie,
    "many_pages.pdf": many_pages,
}


def make_hostile_corpus(folder: Path) -> dict[str, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = {}
    for name, make in HOSTILE.items():
        paths[name] = folder / name
        paths[name].write_bytes(make())
    return paths
