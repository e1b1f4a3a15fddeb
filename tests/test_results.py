"""What happened to one input (`toolkit.results.FileResult`); the pipeline's tests make them for real."""

from __future__ import annotations

from pathlib import Path

from toolkit import messages, pipeline
from toolkit.errors import Outcome
from toolkit.records import Edition
from toolkit.results import FileResult


def test_the_pipeline_offers_the_same_record() -> None:
    assert pipeline.FileResult is FileResult


def test_a_result_carries_its_edition_notes_and_changes_without_changing_ok() -> None:
    result = FileResult("a.xlsx", Outcome.RENDERED, edition=Edition(8), notes=("注意",), changes=("新增",))
    assert result.ok and (result.edition, result.notes, result.changes) == (Edition(8), ("注意",), ("新增",))
    assert not FileResult("a.xlsx", Outcome.RENDERED, recorded=False).ok


def test_a_result_reached_after_waiting_says_what_the_other_process_made(tmp_path: Path) -> None:
    waited: list[FileResult] = []
    progress = FileResult.waiting("a.xlsx", 3.2, limit=60, then=waited.append)
    assert waited == [progress] and progress.outcome is Outcome.BUSY
    assert progress.reason == "正在等它处理完（已等 3 秒，最多等 60 秒）"
    unchanged = FileResult("a.xlsx", Outcome.UNCHANGED, output=tmp_path / "a.docx", edition=Edition(7))
    assert (
        unchanged.made_by_other().reason
        == f"另一个 toolkit 进程刚处理完它：已生成 {tmp_path / 'a.docx'}（第七期）"
    )
    rejected = FileResult("a.xlsx", Outcome.UNCHANGED, reason="仍有上次发现的错误", rejected=True)
    assert rejected.made_by_other().reason == "另一个 toolkit 进程刚处理完它：仍有上次发现的错误"


def test_the_busy_line_does_not_say_the_same_thing_twice() -> None:
    line = messages.file_summary(
        "f00.xlsx",
        Outcome.BUSY,
        donors=0,
        total=None,
        errors=0,
        warnings=0,
        reason=messages.REASON_BUSY,
        seconds=0,
        output=None,
    )
    assert line.count("另一个 toolkit 进程正在处理") == 1
