"""What happened to one input (`toolkit.results.FileResult`); the pipeline's tests make them for real."""

from __future__ import annotations

from toolkit import pipeline
from toolkit.errors import Outcome
from toolkit.records import Edition
from toolkit.results import FileResult


def test_the_pipeline_offers_the_same_record() -> None:
    assert pipeline.FileResult is FileResult


def test_a_result_carries_its_edition_notes_and_changes_without_changing_ok() -> None:
    result = FileResult("a.xlsx", Outcome.RENDERED, edition=Edition(8), notes=("注意",), changes=("新增",))
    assert result.ok and (result.edition, result.notes, result.changes) == (Edition(8), ("注意",), ("新增",))
    assert not FileResult("a.xlsx", Outcome.RENDERED, recorded=False).ok
