"""Identity of every file in ../shared/wild (97 real disclosures, 9 cities), read from the text of its
first pages and compared with MANIFEST.tsv beside them; skipped with a reason when the folder is absent.

Third-party files: read in place, never copied into the project."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pdfplumber
import pytest

from index.read.identity import IdentityEvidence, read_identity
from index.read.pdf import normalize_page_text
from qa.evaluation.check import ManifestRow, identity_agreement, read_manifest
from tests.conftest import WILD_DIR

pytestmark = pytest.mark.real
FIRST_PAGES = 4
CITIES = ["上海", "北京", "深圳", "重庆", "广州", "苏州", "无锡", "西安", "烟台"]
# Rows of the manifest that are not what the cover says (see the notes in eval/identity_check.py).
MANIFEST_NOTES = {
    # The publisher column carries a note, "（项目支出绩效目标表）"; the file holds only those tables, whose
    # titles (not read here, only page text is) make it a budget.
    "005_广州__2026年广州市生态环境局部门预算.pdf",
}


@cache
def manifest() -> dict[str, ManifestRow]:
    path = WILD_DIR / "MANIFEST.tsv"
    if not path.exists():
        pytest.skip(f"{WILD_DIR} is absent: the wild disclosures are third-party files, not committed")
    return read_manifest(path)


@cache
def first_pages(path: Path) -> list[str]:
    with pdfplumber.open(path) as pdf:
        return [normalize_page_text(page.extract_text() or "") for page in pdf.pages[:FIRST_PAGES]]


@pytest.mark.parametrize("city", CITIES)
def test_every_file_of_a_city_agrees_with_the_manifest(city):
    rows = [r for r in manifest().values() if r.city == city and r.file_name not in MANIFEST_NOTES]
    assert rows
    wrong = {}
    for row in rows:
        ident = read_identity(IdentityEvidence(pages=first_pages(WILD_DIR / row.file_name), file_name=row.file_name))
        agree = identity_agreement(ident.department, ident.aliases, ident.year, ident.kind, row)
        if not all(agree.values()):
            wrong[row.file_name] = (ident.department, ident.year, ident.kind)
        if row.year and row.file_name.count(str(row.year)) == 0:
            assert any("与文件名中的" in w for w in ident.warnings), row.file_name  # another year than the name says
    assert wrong == {}


def test_levels_read_from_covers_of_three_cities():
    by_file = {r.file_name: r for r in manifest().values()}
    levels = {}
    for name, row in by_file.items():
        if row.city in ("深圳", "西安", "上海"):
            ident = read_identity(IdentityEvidence(pages=first_pages(WILD_DIR / name), file_name=name))
            levels.setdefault(row.city, set()).add(ident.level)
    assert "本级" in levels["深圳"] and "汇总" in levels["西安"] and levels["上海"] == {"单位"}
