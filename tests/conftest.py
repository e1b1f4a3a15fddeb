"""Shared fixtures: in-memory workbook factories, a folder layout like a clerk's, the default template."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from tests.workbooks import build_workbook, seed_workbook

if TYPE_CHECKING:
    from toolkit.render import BulletinTemplate

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture
def make_workbook() -> Callable[..., bytes]:
    """Build an .xlsx from rows written at A1: ``make_workbook([["序号", "捐赠姓名", "金额/元"], ...])``."""

    def factory(rows: Sequence[Sequence[Any]], **kwargs: Any) -> bytes:
        return build_workbook(rows, **kwargs)

    return factory


@pytest.fixture
def folders(tmp_path: Path) -> tuple[Path, Path]:
    """An empty ``watched/`` and a not-yet-existing ``output/`` under tmp_path."""
    watched = tmp_path / "watched"
    watched.mkdir()
    return watched, tmp_path / "output"


@pytest.fixture
def seed_bytes() -> bytes:
    return seed_workbook()


@pytest.fixture
def sample_folder(tmp_path: Path) -> Path:
    """A copy of the repository's ``watched/`` sample folder."""
    target = tmp_path / "watched"
    shutil.copytree(REPO / "watched", target)
    return target


@pytest.fixture(scope="session")
def default_template() -> BulletinTemplate:
    """``templates/bulletin.docx`` loaded once for every render test (a loaded template is reusable)."""
    from toolkit.render import load_template

    return load_template((REPO / "templates" / "bulletin.docx").read_bytes())
