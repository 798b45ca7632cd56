"""Document → retrieval nodes: one per section (split at sentence ends when long) and per table.

Pure functions over the typed document model. Every node starts with who published it
("北京市西城区人民政府外事办公室（区政府外办）2020年部门预算"); text nodes then carry their
heading path, table nodes their label, title, unit and columns (repeated in every part of a split
table) and one "科目名称 / 列 : 值" line per filled cell. Tables are also cut into small parts for
the vector leg only (llama-index ``IndexNode``s pointing at their table node). Metadata is flat
(str/int/bool) because Chroma stores it as is.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TypeVar

from llama_index.core.schema import IndexNode, NodeRelationship, RelatedNodeInfo, TextNode

from index.core.lexicon import cut_at_sentence_ends
from index.core.model import Block, Document, Row, Table
from index.core.settings import RetrievalSettings

CHUNKING_VERSION = "chunk-v3"  # bump when node text or metadata changes: the index key includes it
# v3: rows carry their final code ("301" "2" → 30102; "2010801-行政运行" → 2010801 行政运行).
# A whole table embeds as a blur of hundreds of rows; the vector leg embeds parts of this many rows
# instead and returns the table node they belong to (measured: vector hit@5 0.75 → 0.90 on the eval).
ROWS_PER_VECTOR = 5
PART_MARK = "#"  # a part's id is its table node's id + "#" + part number
N = TypeVar("N", bound=TextNode)


def node_id_of(unit_id: str) -> str:
    """The retrieval node an embedded unit stands for (itself, or the table of a part)."""
    return unit_id.split(PART_MARK, 1)[0]


@dataclass
class _Section:
    path: list[str]  # headings above, including this section's own heading
    heading: Block | None
    paragraphs: list[Block] = field(default_factory=list)


def identity_line(document: Document) -> str:
    """Who, which year, what kind: the first line of every node."""
    ident = document.identity
    name = ident.department or document.file_name
    if ident.short_name and ident.short_name not in name:
        name += f"（{ident.short_name}）"
    return f"{name}{ident.year or ''}{'年' if ident.year else ''}{ident.kind or ''}"


def pack_sentences(sentences: list[tuple[str, int]], target: int) -> list[list[tuple[str, int]]]:
    """Greedily group (sentence, page) pairs into runs of at most ``target`` characters.

    A sentence longer than ``target`` becomes a run of its own: never cut mid-sentence. A run
    never jumps over a page (captions scattered over a table appendix stay with their page).
    """
    groups: list[list[tuple[str, int]]] = []
    size = 0
    for sentence, page in sentences:
        if groups and size + len(sentence) <= target and page - groups[-1][-1][1] <= 1:
            groups[-1].append((sentence, page))
            size += len(sentence)
        else:
            groups.append([(sentence, page)])
            size = len(sentence)
    return groups


def sections(blocks: list[Block]) -> list[_Section]:
    """Group blocks into sections; a heading with sub-sections and no text of its own is dropped
    (it lives on in its children's heading path)."""
    out: list[_Section] = []
    for block in blocks:
        if block.kind == "heading":
            out.append(_Section(path=[*block.section_path, block.text], heading=block))
        elif out and out[-1].path == block.section_path:
            out[-1].paragraphs.append(block)
        else:  # text before any heading, or a paragraph whose path the parser set differently
            out.append(_Section(path=list(block.section_path), heading=None, paragraphs=[block]))
    kept = []
    for i, sec in enumerate(out):
        has_children = i + 1 < len(out) and out[i + 1].path[: len(sec.path)] == sec.path and len(out[i + 1].path) > len(sec.path)
        if sec.paragraphs or not has_children:
            kept.append(sec)
    return kept


def _visible_path(path: list[str], blocks_by_level: dict[str, int]) -> str:
    """Heading path as printed on a node; the 第一部分/第二部分 part titles add nothing to a passage."""
    shown = [h for h in path if blocks_by_level.get(h) != 1] or path
    return "/".join(shown)


def text_nodes(doc_id: str, document: Document, base: dict, settings: RetrievalSettings) -> list[TextNode]:
    levels = {b.text: b.level for b in document.blocks if b.kind == "heading" and b.level is not None}
    header = identity_line(document)
    nodes: list[TextNode] = []
    for sec in sections(document.blocks):
        sentences = [(s, p.page) for p in sec.paragraphs for s in cut_at_sentence_ends(p.text)]
        shown_path = _visible_path(sec.path, levels)
        for group in pack_sentences(sentences, settings.chunk_chars) or [[]]:
            pages = [p for _, p in group] or [sec.heading.page if sec.heading else 1]
            body = "".join(s for s, _ in group)
            metadata = {
                **base,
                "page_start": min(pages),
                "page_end": max(pages),
                "section_path": "/".join(sec.path),
                "table_label": "",
                "table_title": "",
                "node_type": "text",
            }
            text = "\n".join(x for x in (header, shown_path, body) if x)
            nodes.append(_node(f"{doc_id}:s{len(nodes):04d}", doc_id, text, metadata))
    return nodes


def row_label(row: Row) -> str:
    """科目编码 + 科目名称 + the row's other text columns (项目名称, 经济分类), which tell rows apart."""
    name = row.name or ("合计" if row.is_total else "")
    parts = [f"{row.code} {name}" if row.code else name]
    for value in row.attributes.values():
        if value and value not in parts:
            parts.append(value)
    return " · ".join(p for p in parts if p)


def row_lines(row: Row, columns: list[str]) -> list[str]:
    label = row_label(row)
    lines = [
        f"{label} / {column} : {cell.text}"
        for column, cell in zip(columns, row.cells)
        if cell.text and cell.text != row.name
    ]
    return lines or ([label] if label else [])


def table_header(document: Document, table: Table) -> str:
    title = " ".join(x for x in (table.label, table.title) if x) or "表格（续）"
    unit = f"（单位：{table.unit}）" if table.unit else ""
    columns = f"栏目：{'；'.join(table.columns)}" if table.columns else ""
    return "\n".join(x for x in (identity_line(document), title + unit, columns) if x)


def table_nodes(
    doc_id: str, document: Document, base: dict, settings: RetrievalSettings
) -> tuple[list[TextNode], list[IndexNode]]:
    """Table nodes (whole, or row groups with the header repeated) and the small parts embedded for them."""
    nodes: list[TextNode] = []
    parts: list[IndexNode] = []
    per_node = max(1, settings.table_rows_per_node)
    for t_index, table in enumerate(document.tables):
        header = table_header(document, table)
        groups = [table.rows[i : i + per_node] for i in range(0, len(table.rows), per_node)] or [[]]
        for part, rows in enumerate(groups):
            pages = [r.page for r in rows] + [c.page for r in rows for c in r.cells if c.text]
            pages = pages or table.pages
            if part == 0:
                pages.append(table.pages[0])
            lines = [row_lines(row, table.columns) for row in rows]
            metadata = {
                **base,
                "page_start": min(pages),
                "page_end": max(pages),
                "section_path": "/".join(table.section_path),
                "table_label": table.label or "",
                "table_title": table.title or "",
                "node_type": "table",
            }
            node_id = f"{doc_id}:t{t_index:03d}.{part:02d}"
            split_note = f"\n（第{part + 1}/{len(groups)}部分）" if len(groups) > 1 else ""
            text = header + split_note + "\n" + "\n".join(line for row in lines for line in row)
            nodes.append(_node(node_id, doc_id, text, metadata))
            title = "\n".join(header.split("\n")[:2])  # identity and title, without the column list
            for i in range(0, max(1, len(lines)), ROWS_PER_VECTOR):
                part_text = "\n".join([title] + [line for row in lines[i : i + ROWS_PER_VECTOR] for line in row])
                parts.append(_part(f"{node_id}{PART_MARK}{i // ROWS_PER_VECTOR}", doc_id, part_text, metadata, node_id))
    return nodes, parts


def _node(node_id: str, doc_id: str, text: str, metadata: dict) -> TextNode:
    return _from_source(TextNode(id_=node_id, text=text, metadata=metadata), doc_id)


def _part(node_id: str, doc_id: str, text: str, metadata: dict, parent: str) -> IndexNode:
    """llama-index's small-to-big: an embedded part that stands for the node ``parent``."""
    part = IndexNode(id_=node_id, text=text, index_id=parent)
    part.metadata = dict(metadata)
    return _from_source(part, doc_id)


def _from_source(node: N, doc_id: str) -> N:
    # The source relationship makes llama-index store ref_doc_id, so the vector store can delete by document.
    node.relationships[NodeRelationship.SOURCE] = RelatedNodeInfo(node_id=doc_id)
    return node


def document_metadata(doc_id: str, document: Document) -> dict:
    ident = document.identity
    return {
        "doc_id": doc_id,
        "file_name": document.file_name,
        "department": ident.department or "",
        "region": ident.region or "",
        "year": ident.year or 0,  # 0 = unknown (Chroma metadata cannot be null)
        "kind": ident.kind or "",
    }


@dataclass
class Chunks:
    nodes: list[TextNode]  # what retrieval returns: sections, then tables
    vector_units: list[TextNode]  # what is embedded: text nodes themselves, tables as parts of a few rows


def chunk_document(doc_id: str, document: Document, settings: RetrievalSettings) -> Chunks:
    """All retrieval nodes of one document, and the units the vector leg embeds for them."""
    base = document_metadata(doc_id, document)
    texts = text_nodes(doc_id, document, base, settings)
    tables, parts = table_nodes(doc_id, document, base, settings)
    return Chunks(nodes=texts + tables, vector_units=[*texts, *parts])
