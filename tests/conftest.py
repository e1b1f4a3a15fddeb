"""Shared fixtures: in-memory workbook factories and a folder layout like a clerk's."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pytest

from tests.workbooks import build_workbook, seed_workbook

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
