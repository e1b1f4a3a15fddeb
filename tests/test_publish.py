"""Publish (`toolkit.publish`): one call makes a stem's outputs what the pipeline decided, and records it."""

from __future__ import annotations

import json
import os
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from toolkit.errors import FolderUnusable, Problem, Severity
from toolkit.publish import (
    Output,
    PartlyPublished,
    Published,
    Report,
    forget_removed,
    format_report,
    last_donors,
    last_published,
    prepare_output_dir,
    publish_crash,
    publish_outputs,
    recover_published,
)
from toolkit.publish.files import STATE_DIR
from toolkit.publish.process import hostname
from toolkit.publish.safekeeping import HISTORY_DIR, Keeper
from toolkit.records import Outcome

ERROR = Problem("amount.not_a_number", "金额不是数字", Severity.ERROR, "a.xlsx", "Sheet1", "C7", "abc")
WARNING = Problem("signature.missing_receiver", "缺少收款人", Severity.WARNING, "a.xlsx", "Sheet1")


def names(folder: Path) -> list[str]:
    """The files a clerk sees in the output folder (not its folders, not hidden files)."""
    return sorted(p.name for p in folder.iterdir() if p.is_file() and not p.name.startswith("."))


def history(folder: Path) -> list[str]:
    return sorted(p.name for p in (folder / HISTORY_DIR).iterdir()) if (folder / HISTORY_DIR).is_dir() else []


def report_text(path: Path) -> str:
    return path.read_bytes().decode("utf-8-sig")  # as written: CRLF line ends


def render(
    folder: Path, files: dict[Output, bytes | Report], outcome: Outcome = Outcome.RENDERED, **options: Any
) -> Published:
    return publish_outputs(folder, "a", "a.xlsx", files, fingerprint="f" * 64, outcome=outcome, **options)


def reject(folder: Path) -> Published:
    return render(folder, {Output.ERRORS: Report("错误报告", (ERROR,))}, Outcome.REJECTED)


def test_every_output_is_named_after_the_stem(tmp_path: Path) -> None:
    assert [o.path(tmp_path, "捐款").name for o in Output] == [
        "捐款.docx",
        "捐款.pdf",
        "捐款.warnings.txt",
        "捐款.errors.txt",
        "捐款.errors.xlsx",
        "捐款.crash.txt",
        "捐款.changes.txt",
    ]


def test_a_crash_file_is_kept_until_the_input_is_published_again(tmp_path: Path) -> None:
    crash = publish_crash(tmp_path, "a", "Traceback…\nRuntimeError")
    assert crash == tmp_path / "a.crash.txt"
    assert crash.read_bytes() == "Traceback…\r\nRuntimeError\r\n".encode("utf-8-sig")
    assert publish_crash(tmp_path, "a", "second") == crash  # replaced, not multiplied
    render(tmp_path, {Output.BULLETIN: b"docx"})
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith(".")) == ["a.docx"]


def test_writes_the_files_and_returns_their_paths(tmp_path: Path) -> None:
    done = render(tmp_path, {Output.BULLETIN: b"docx", Output.WARNINGS: Report("警告", (WARNING,))})
    assert done.paths == {Output.BULLETIN: tmp_path / "a.docx", Output.WARNINGS: tmp_path / "a.warnings.txt"}
    assert done.notes == ()
    assert (tmp_path / "a.docx").read_bytes() == b"docx"
    assert report_text(tmp_path / "a.warnings.txt").startswith("警告：a.xlsx\r\n共 1 处\r\n")


def test_removes_the_stems_other_outputs_and_no_one_elses(tmp_path: Path) -> None:
    render(
        tmp_path,
        {Output.ERRORS: Report("错误报告", (ERROR,)), Output.ERRORS_WORKBOOK: b"xlsx"},
        Outcome.REJECTED,
    )
    publish_outputs(
        tmp_path,
        "b",
        "b.xlsx",
        {Output.ERRORS: Report("错误报告", (ERROR,))},
        fingerprint="f",
        outcome=Outcome.REJECTED,
    )
    (tmp_path / "a.notes.txt").write_bytes(b"the clerk's own")
    render(tmp_path, {Output.BULLETIN: b"docx"})
    assert names(tmp_path) == ["a.docx", "a.notes.txt", "b.errors.txt"]


def test_a_pdf_stays_while_its_bulletin_is_rewritten(tmp_path: Path) -> None:
    render(tmp_path, {Output.BULLETIN: b"old"})
    (tmp_path / "a.pdf").write_bytes(b"pdf")
    render(tmp_path, {Output.BULLETIN: b"new"})
    assert names(tmp_path) == ["a.docx", "a.pdf"]


def test_a_change_report_follows_its_bulletin(tmp_path: Path) -> None:
    render(tmp_path, {Output.BULLETIN: b"v1"})
    render(tmp_path, {Output.BULLETIN: b"v2", Output.CHANGES: b"what changed"})
    render(tmp_path, {Output.BULLETIN: b"v2 again"})  # the same donors: the report stays
    assert names(tmp_path) == ["a.changes.txt", "a.docx"]
    reject(tmp_path)
    assert names(tmp_path) == ["a.errors.txt"]


def test_the_donors_of_the_last_bulletin_are_kept_for_the_next_change_report(tmp_path: Path) -> None:
    assert last_donors(tmp_path, "a.xlsx") is None
    render(tmp_path, {Output.BULLETIN: b"v1"}, donors=[("张三", Decimal("100.50"))])
    reject(tmp_path)  # an invalid version in between leaves them
    assert last_donors(tmp_path, "a.xlsx") == [("张三", Decimal("100.50"))]


def test_a_removed_workbook_loses_its_reports_and_keeps_its_bulletin(tmp_path: Path) -> None:
    render(tmp_path, {Output.BULLETIN: b"v1"})
    render(
        tmp_path, {Output.BULLETIN: b"v2", Output.WARNINGS: Report("警告", (WARNING,)), Output.CHANGES: b"c"}
    )
    publish_outputs(
        tmp_path,
        "b",
        "b.xlsx",
        {Output.ERRORS: Report("错误报告", (ERROR,))},
        fingerprint="f",
        outcome=Outcome.REJECTED,
    )
    (tmp_path / "b.errors.txt").write_bytes(b"the clerk wrote on it")  # no longer toolkit's
    publish_outputs(
        tmp_path,
        "c",
        "c.xlsx",
        {Output.ERRORS: Report("错误报告", (ERROR,))},
        fingerprint="f",
        outcome=Outcome.REJECTED,
    )
    assert sorted(forget_removed(tmp_path, {"c.xlsx"})) == ["a.warnings.txt"]
    assert names(tmp_path) == ["a.changes.txt", "a.docx", "b.errors.txt", "c.errors.txt"]
    assert last_published(tmp_path, "a.xlsx") is None  # handled again if it comes back
    assert last_published(tmp_path, "c.xlsx") is not None


def test_a_replaced_bulletin_is_found_in_the_history_folder(tmp_path: Path) -> None:
    render(tmp_path, {Output.BULLETIN: b"first"})
    render(tmp_path, {Output.BULLETIN: b"second"})
    assert (tmp_path / "a.docx").read_bytes() == b"second"
    [kept] = history(tmp_path)
    assert re.fullmatch(r"a \d{4}-\d\d-\d\d \d{6}\.docx", kept)
    assert (tmp_path / HISTORY_DIR / kept).read_bytes() == b"first"


def test_the_history_folder_keeps_the_last_n_versions(tmp_path: Path) -> None:
    for version in (b"1", b"2", b"3", b"4", b"5"):
        render(tmp_path, {Output.BULLETIN: version}, history=3)
    kept = [(tmp_path / HISTORY_DIR / name).read_bytes() for name in history(tmp_path)]
    assert kept == [b"2", b"3", b"4"]  # the same second: numbered -2, -3…, oldest first


def test_history_zero_keeps_no_versions(tmp_path: Path) -> None:
    render(tmp_path, {Output.BULLETIN: b"first"}, history=0)
    render(tmp_path, {Output.BULLETIN: b"second"}, history=0)
    assert history(tmp_path) == []
    assert (tmp_path / "a.docx").read_bytes() == b"second"


def test_a_bulletin_edited_in_word_survives_and_the_new_one_goes_beside_it(tmp_path: Path) -> None:
    render(tmp_path, {Output.BULLETIN: b"rendered"})
    (tmp_path / "a.docx").write_bytes(b"edited by the clerk")
    done = render(tmp_path, {Output.BULLETIN: b"new"})
    assert (tmp_path / "a.docx").read_bytes() == b"edited by the clerk"
    assert (tmp_path / "a（新版）.docx").read_bytes() == b"new"
    assert done.paths[Output.BULLETIN] == tmp_path / "a（新版）.docx"
    assert done.notes == (
        "a.docx 不是 toolkit 生成时的样子（可能在 Word 中改过），没有覆盖；新版本写在 a（新版）.docx",
    )
    render(tmp_path, {Output.BULLETIN: b"newer"})  # the one beside is toolkit's own: replaced
    assert (tmp_path / "a.docx").read_bytes() == b"edited by the clerk"
    assert (tmp_path / "a（新版）.docx").read_bytes() == b"newer"
    assert history(tmp_path) and all(name.startswith("a（新版）") for name in history(tmp_path))


def test_a_bulletin_toolkit_never_wrote_is_not_replaced(tmp_path: Path) -> None:
    (tmp_path / "a.docx").write_bytes(b"made by hand")
    (tmp_path / "a（新版）.docx").write_bytes(b"also by hand")
    done = render(tmp_path, {Output.BULLETIN: b"new"})
    assert done.paths[Output.BULLETIN] == tmp_path / "a（新版2）.docx"
    assert (tmp_path / "a.docx").read_bytes() == b"made by hand"
    assert (tmp_path / "a（新版）.docx").read_bytes() == b"also by hand"


def test_once_the_edited_bulletin_is_gone_the_name_is_used_again(tmp_path: Path) -> None:
    render(tmp_path, {Output.BULLETIN: b"rendered"})
    (tmp_path / "a.docx").write_bytes(b"edited")
    render(tmp_path, {Output.BULLETIN: b"new"})
    (tmp_path / "a.docx").unlink()  # the clerk deletes their copy
    done = render(tmp_path, {Output.BULLETIN: b"newer"})
    assert names(tmp_path) == ["a.docx"]
    assert done.notes == (f"旧的 a（新版）.docx 已移到 {HISTORY_DIR} 文件夹",)


def test_an_error_report_says_which_old_bulletin_it_moved_away(tmp_path: Path) -> None:
    render(tmp_path, {Output.BULLETIN: b"docx", Output.WARNINGS: Report("警告", (WARNING,))})
    Keeper(tmp_path).write(tmp_path / "a.pdf", b"pdf")
    reject(tmp_path)
    assert names(tmp_path) == ["a.errors.txt"]
    assert sorted(name.rsplit(".", 1)[1] for name in history(tmp_path)) == ["docx", "pdf"]
    lines = report_text(tmp_path / "a.errors.txt").split("\r\n")
    assert lines[:3] == [
        "错误报告：a.xlsx",
        "共 1 处",
        f"旧的简报 a.docx、a.pdf 已移到 {HISTORY_DIR} 文件夹：它对应修改前的表格。改正下列问题后会重新生成。",
    ]


def test_an_error_report_without_an_old_bulletin_has_no_note(tmp_path: Path) -> None:
    render(
        tmp_path,
        {Output.ERRORS: Report("错误报告", (ERROR,)), Output.ERRORS_WORKBOOK: b"xlsx"},
        Outcome.REJECTED,
    )
    reject(tmp_path)
    assert names(tmp_path) == ["a.errors.txt"]
    assert report_text(tmp_path / "a.errors.txt").split("\r\n")[:3] == ["错误报告：a.xlsx", "共 1 处", ""]


def test_an_edited_bulletin_and_an_edited_report_stay_when_the_workbook_turns_invalid(tmp_path: Path) -> None:
    render(tmp_path, {Output.BULLETIN: b"docx", Output.WARNINGS: Report("警告", (WARNING,))})
    (tmp_path / "a.docx").write_bytes(b"edited")
    (tmp_path / "a.warnings.txt").write_bytes(b"notes of the clerk")
    reject(tmp_path)
    assert names(tmp_path) == ["a.docx", "a.errors.txt", "a.warnings.txt"]
    assert (tmp_path / "a.docx").read_bytes() == b"edited"


def test_a_frozen_bulletin_and_its_pdf_are_never_touched(tmp_path: Path) -> None:
    render(tmp_path, {Output.BULLETIN: b"issued"})
    Keeper(tmp_path).write(tmp_path / "a.pdf", b"issued pdf")
    done = render(tmp_path, {Output.BULLETIN: b"correction"}, bulletin="a（更正）.docx", frozen=["a.docx"])
    assert done.paths[Output.BULLETIN] == tmp_path / "a（更正）.docx"
    render(tmp_path, {Output.ERRORS: Report("错误报告", (ERROR,))}, Outcome.REJECTED, frozen=["a.docx"])
    assert (tmp_path / "a.docx").read_bytes() == b"issued"
    assert (tmp_path / "a.pdf").read_bytes() == b"issued pdf"
    assert names(tmp_path) == ["a.docx", "a.errors.txt", "a.pdf"]  # the correction went to history
    assert [name.startswith("a（更正）") for name in history(tmp_path)] == [True]


def open_in_word(monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    """Windows refuses to move or delete a file another program holds open: so does ``name`` here."""
    real = Keeper.retire

    def retire(self: Keeper, path: Path) -> bool:
        if path.name == name:
            raise PermissionError(13, "The process cannot access the file", str(path))
        return real(self, path)

    monkeypatch.setattr(Keeper, "retire", retire)


def test_an_old_bulletin_that_cannot_be_moved_stops_before_any_report(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    render(tmp_path, {Output.BULLETIN: b"old"})
    open_in_word(monkeypatch, "a.docx")
    with pytest.raises(PermissionError):
        reject(tmp_path)
    assert names(tmp_path) == ["a.docx"]  # no report announces a removal that failed
    state = last_published(tmp_path, "a.xlsx")
    assert state is not None and state.result is Outcome.RENDERED


def test_an_open_error_workbook_does_not_hold_back_the_new_bulletin(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    render(
        tmp_path,
        {Output.ERRORS: Report("错误报告", (ERROR,)), Output.ERRORS_WORKBOOK: b"xlsx"},
        Outcome.REJECTED,
    )
    open_in_word(monkeypatch, "a.errors.xlsx")
    with pytest.raises(PartlyPublished) as info:
        render(tmp_path, {Output.BULLETIN: b"docx"})
    assert (tmp_path / "a.docx").read_bytes() == b"docx"
    assert last_published(tmp_path, "a.xlsx") is None  # not done: it is tried again
    assert isinstance(info.value.cause, PermissionError)
    assert info.value.written == {Output.BULLETIN: tmp_path / "a.docx"}
    assert info.value.complete  # every new file is there: only the removal and the record are missing
    assert str(info.value) == "没能删除旧文件 a.errors.xlsx（没有权限）"


def test_records_what_it_published(tmp_path: Path) -> None:
    render(
        tmp_path,
        {Output.ERRORS: Report("错误报告", (ERROR,)), Output.ERRORS_WORKBOOK: b"xlsx"},
        Outcome.REJECTED,
    )
    state = last_published(tmp_path, "a.xlsx")
    assert state is not None
    assert (state.fingerprint, state.result, state.outputs) == (
        "f" * 64,
        Outcome.REJECTED,
        ("a.errors.txt", "a.errors.xlsx"),
    )
    assert last_published(tmp_path, "b.xlsx") is None


def test_nothing_counts_as_published_once_an_output_is_gone(tmp_path: Path) -> None:
    render(tmp_path, {Output.BULLETIN: b"docx", Output.WARNINGS: Report("警告", (WARNING,))})
    (tmp_path / "a.warnings.txt").unlink()
    assert last_published(tmp_path, "a.xlsx") is None


def test_report_is_one_line_per_problem_in_chinese() -> None:
    problems = [
        Problem("amount.not_a_number", "金额不是数字", Severity.ERROR, "捐款.xlsx", "Sheet1", "C7", "abc"),
        Problem("signature.missing_receiver", "缺少收款人", Severity.WARNING, "捐款.xlsx", "Sheet1"),
    ]
    data = format_report("捐款.xlsx", problems, heading="错误报告")
    assert data.startswith(b"\xef\xbb\xbf")  # a BOM, so Notepad reads UTF-8
    lines = data.decode("utf-8-sig").split("\r\n")
    assert lines[0] == "错误报告：捐款.xlsx"
    assert lines[1:3] == ["共 2 处", ""]
    assert lines[3] == "错误 捐款.xlsx > Sheet1 > C7：金额不是数字（找到的值：abc） [amount.not_a_number]"
    assert lines[4] == "警告 捐款.xlsx > Sheet1：缺少收款人 [signature.missing_receiver]"


def test_prepare_cleans_up_after_a_crashed_process(tmp_path: Path) -> None:
    host = hostname().replace(".", "_")
    output = tmp_path / "output"
    claims = output / STATE_DIR / "claims"
    claims.mkdir(parents=True)
    (output / f".tk-tmp-{host}.999999999.abcd.a.docx").write_bytes(b"partial")
    (claims / "k.claim").write_text(json.dumps({"host": hostname(), "pid": 999999999, "time": 0}))
    (claims / "mine.claim").write_text(json.dumps({"host": hostname(), "pid": os.getpid(), "time": 0}))
    prepare_output_dir(output)
    assert sorted(p.name for p in output.iterdir()) == [STATE_DIR]
    assert sorted(p.name for p in claims.iterdir()) == ["mine.claim"]


def test_prepare_cleans_temp_files_in_the_history_and_register_folders_too(tmp_path: Path) -> None:
    host = hostname().replace(".", "_")
    left = [
        tmp_path / HISTORY_DIR / f".tk-tmp-{host}.999999999.ab.a.docx",
        tmp_path / STATE_DIR / "register" / "bulletins" / f".tk-tmp-{host}.999999999.cd.x.json",
        tmp_path / STATE_DIR / "written" / f".tk-tmp-{host}.999999999.ef.y.json",
    ]
    for path in left:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"partial")
    prepare_output_dir(tmp_path)
    assert [path.exists() for path in left] == [False, False, False]


def test_prepare_refuses_an_output_folder_it_cannot_create(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("in the way")
    with pytest.raises(FolderUnusable):
        prepare_output_dir(tmp_path / "file" / "output")


# ---------------------------------------------------------------- a publish that could not finish


def stamped_docx() -> bytes:
    import io
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("word/document.xml", "<w:document/>")
    return buf.getvalue()


def fail_state(monkeypatch: pytest.MonkeyPatch) -> None:
    from toolkit.publish.state import StateStore

    def full(self: StateStore, state: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(StateStore, "put", full)


def test_a_state_that_cannot_be_recorded_raises_after_every_file_is_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with monkeypatch.context() as m:
        fail_state(m)
        with pytest.raises(PartlyPublished) as info:
            render(tmp_path, {Output.BULLETIN: stamped_docx(), Output.WARNINGS: Report("警告", (WARNING,))})
    exc = info.value
    assert exc.complete and set(exc.written) == {Output.BULLETIN, Output.WARNINGS}
    assert exc.told() == (
        "简报已写好，可以使用；但没能记下这次处理（输出文件夹里的状态文件）（磁盘已满）。"
        "下次运行会补上这一步，不会重新生成简报"
    )
    assert last_published(tmp_path, "a.xlsx") is None
    state = recover_published(tmp_path, "a", "a.xlsx", "f" * 64)
    assert state == exc.state == last_published(tmp_path, "a.xlsx")
    assert state is not None and state.outputs == ("a.docx", "a.warnings.txt")


def test_nothing_is_recovered_for_another_version_a_missing_output_or_no_stamp(tmp_path: Path) -> None:
    render(tmp_path, {Output.BULLETIN: stamped_docx(), Output.WARNINGS: Report("警告", (WARNING,))})
    for state in (tmp_path / STATE_DIR / "state").iterdir():
        state.unlink()
    assert recover_published(tmp_path, "a", "a.xlsx", "e" * 64) is None  # another version
    assert recover_published(tmp_path, "a", "b.xlsx", "f" * 64) is None  # another input
    (tmp_path / "a.warnings.txt").unlink()
    assert recover_published(tmp_path, "a", "a.xlsx", "f" * 64) is None  # not all there
    assert recover_published(tmp_path, "b", "b.xlsx", "f" * 64) is None  # no bulletin at all
    (tmp_path / "a.warnings.txt").write_bytes(b"back")
    (tmp_path / "a.docx").write_bytes(b"saved again by Word, without the stamp")
    assert recover_published(tmp_path, "a", "a.xlsx", "f" * 64) is None


def test_recovery_removes_the_stale_reports_the_publish_left(tmp_path: Path) -> None:
    render(tmp_path, {Output.BULLETIN: stamped_docx()})
    for state in (tmp_path / STATE_DIR / "state").iterdir():
        state.unlink()
    Keeper(tmp_path).write(tmp_path / "a.errors.txt", b"old")  # toolkit's own stale report
    (tmp_path / "a.warnings.txt").write_bytes(b"the clerk's")  # not toolkit's: it stays
    (tmp_path / "a.pdf").write_bytes(b"%PDF")
    assert recover_published(tmp_path, "a", "a.xlsx", "f" * 64) is not None
    assert names(tmp_path) == ["a.docx", "a.pdf", "a.warnings.txt"]


def test_a_report_written_before_a_failure_is_told_as_such(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with monkeypatch.context() as m:
        fail_state(m)
        with pytest.raises(PartlyPublished) as info:
            render(tmp_path, {Output.ERRORS: Report("错误报告", (ERROR,))}, Outcome.REJECTED)
    assert info.value.told().startswith("报告已写出，但没能记下这次处理")


def test_a_crash_file_the_clerk_wrote_on_is_not_replaced(tmp_path: Path) -> None:
    (tmp_path / "a.crash.txt").write_text("the maintainer's notes", encoding="utf-8")
    written = publish_crash(tmp_path, "a", "Traceback …")
    assert written == tmp_path / "a（新版）.crash.txt"
    assert (tmp_path / "a.crash.txt").read_text("utf-8") == "the maintainer's notes"
