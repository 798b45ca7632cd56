"""Who published a disclosure, for which year and of which kind: read from the document itself.

    "北京市西城区人民政府外事办公室2020年部门预算" → department 北京市西城区人民政府外事办公室,
    region 北京市西城区, year 2020, kind 部门预算, aliases 西城区政府外办, 区政府外办, 外事办公室 …

``cover`` reads a title, ``evidence`` the other places a publisher is named, ``names`` cleans and
shortens names, ``detect`` decides each field and records where it was read, ``correct`` lays a user's
corrections over what was read.
"""

from __future__ import annotations

from index.read.identity.correct import apply_corrections, normalize_correction
from index.read.identity.detect import IdentityEvidence, evidence_of, identity_warnings, read_identity
from index.read.identity.names import derive_aliases, split_region

__all__ = ["IdentityEvidence", "apply_corrections", "derive_aliases", "evidence_of", "identity_warnings",
           "normalize_correction", "read_identity", "split_region"]
