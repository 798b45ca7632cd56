"""Who published a disclosure, for which year and of which kind: read from the document itself.

    "北京市西城区人民政府外事办公室2020年部门预算" → department 北京市西城区人民政府外事办公室,
    region 北京市西城区, year 2020, kind 部门预算, aliases 西城区政府外办, 区政府外办, 外事办公室 …

``cover`` reads a title, ``evidence`` the other places a publisher is named, ``names`` cleans and
shortens names, ``detect`` decides each field and records where it was read.
"""

from __future__ import annotations

from index.core.model import Identity
from index.read.identity.detect import IdentityEvidence, evidence_of, identity_warnings, read_identity
from index.read.identity.names import derive_aliases, split_region

__all__ = ["IdentityEvidence", "derive_aliases", "detect_identity", "evidence_of", "identity_warnings",
           "read_identity", "split_region"]


def detect_identity(first_pages: list[str], titles: list[str], metadata_title: str | None, all_text: str,
                    file_name: str | None = None) -> Identity:
    """The older entry point: pages given as the first pages plus the whole text, titles unsorted."""
    pages = first_pages + [all_text] if all_text else first_pages
    return read_identity(IdentityEvidence(pages=pages, headings=titles, metadata_title=metadata_title,
                                          file_name=file_name))
