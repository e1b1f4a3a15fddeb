"""End to end: workbooks in a folder become bulletins, reports and state, as a clerk sees them."""

from __future__ import annotations

import errno
import io
import os
import socket
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest

from tests.workbooks import SEED_DONORS, SEED_ORG, plain_rows, seed_workbook
from toolkit import messages
from toolkit.cli import main
from toolkit.pipeline import check_workbook, render_folder
from toolkit.records import Outcome
from toolkit.settings import Settings


def docx_text(path: Path) -> str:
    """All visible text of a docx, paragraphs joined by newlines, table cells by tabs."""
    from docx import Document

    doc = Document(io.BytesIO(path.read_bytes()))
    parts: list[str] = []
    body = doc.element.body
    for block in body.iter():
        tag = block.tag.rsplit("}", 1)[-1]
        if tag == "p":
            parts.append("".join(t.text or "" for t in block.iter() if t.tag.endswith("}t")))
    return "\n".join(parts)


def test_sample_renders_with_every_donor(sample_folder: Path, tmp_path: Path) -> None:
    output = tmp_path / "output"
    [result] = render_folder(sample_folder, output)
    assert result.outcome is Outcome.RENDERED, result
    assert result.donors == 45
    assert result.total == Decimal("50000")
    docx = output / "捐款名单.docx"
    assert result.output == docx
    text = docx_text(docx)
    for name, _ in SEED_DONORS:
        assert name in text
    for figure in ("15538.27", "20945.73", "50000", "伍万元整", "朱蕊", "刘刚", SEED_ORG, "2020年2月5日"):
        assert figure in text
    with zipfile.ZipFile(docx) as z:
        assert z.testzip() is None


def test_inputs_are_never_touched(sample_folder: Path, tmp_path: Path) -> None:
    before = {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in sample_folder.iterdir()}
    render_folder(sample_folder, tmp_path / "output")
    after = {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in sample_folder.iterdir()}
    assert before == after


def test_rerun_skips_unchanged_and_rerenders_changed(folders: tuple[Path, Path], make_workbook) -> None:  # type: ignore[no-untyped-def]
    watched, output = folders
    (watched / "a.xlsx").write_bytes(make_workbook(plain_rows([("张三", 100)], total=100)))
    (watched / "b.xlsx").write_bytes(make_workbook(plain_rows([("李四", 200)], total=200)))
    first = render_folder(watched, output)
    assert [r.outcome for r in first] == [Outcome.RENDERED, Outcome.RENDERED]
    docx_mtime = (output / "a.docx").stat().st_mtime_ns

    second = render_folder(watched, output)
    assert [r.outcome for r in second] == [Outcome.UNCHANGED, Outcome.UNCHANGED]
    assert (output / "a.docx").stat().st_mtime_ns == docx_mtime

    (watched / "a.xlsx").write_bytes(make_workbook(plain_rows([("张三", 100), ("王五", 300)], total=400)))
    third = render_folder(watched, output)
    assert [r.outcome for r in third] == [Outcome.RENDERED, Outcome.UNCHANGED]
    assert "王五" in docx_text(output / "a.docx")


def test_deleted_output_is_rendered_again(folders: tuple[Path, Path], make_workbook) -> None:  # type: ignore[no-untyped-def]
    watched, output = folders
    (watched / "a.xlsx").write_bytes(make_workbook(plain_rows([("张三", 100)])))
    render_folder(watched, output)
    (output / "a.docx").unlink()
    assert render_folder(watched, output)[0].outcome is Outcome.RENDERED
    assert (output / "a.docx").exists()


def test_bad_file_beside_good_one(
    folders: tuple[Path, Path], make_workbook, capsys: pytest.CaptureFixture[str]
) -> None:  # type: ignore[no-untyped-def]
    watched, output = folders
    (watched / "bad.xlsx").write_bytes(
        make_workbook(plain_rows([("张三", 100), ("李四", "abc"), ("王五", -5)]))
    )
    (watched / "good.xlsx").write_bytes(seed_workbook())
    (watched / "broken.xlsx").write_bytes(b"this is not a workbook")
    code = main(["render", "--watched", str(watched), "--output", str(output)])
    out = capsys.readouterr().out
    assert code == 1
    assert (output / "good.docx").exists()
    assert not (output / "bad.docx").exists()
    report = (output / "bad.errors.txt").read_text("utf-8-sig")
    assert "C4" in report and "[amount.not_a_number]" in report and "abc" in report
    assert "C5" in report and "[amount.negative]" in report
    assert (output / "broken.errors.txt").exists()
    assert "good.xlsx: 已生成，45 位捐赠人" in out
    assert "bad.xlsx: 有错误，未生成" in out


def test_an_unchanged_rejected_workbook_still_fails_the_run(
    folders: tuple[Path, Path], make_workbook, capsys: pytest.CaptureFixture[str]
) -> None:  # type: ignore[no-untyped-def]
    """Running again on a bad workbook nobody corrected says it still has errors and exits 1:
    “未变化” alone, with exit code 0, read as if the file were now fine."""
    watched, output = folders
    (watched / "bad.xlsx").write_bytes(make_workbook(plain_rows([("张三", "abc")])))
    assert main(["render", "--watched", str(watched), "--output", str(output)]) == 1
    capsys.readouterr()
    assert main(["render", "--watched", str(watched), "--output", str(output)]) == 1
    out = capsys.readouterr().out
    assert "bad.xlsx: 未变化，跳过，仍有上次发现的错误，简报没有生成；请按 bad.errors.txt 修改后保存" in out
    [result] = render_folder(watched, output)
    assert result.outcome is Outcome.UNCHANGED and result.rejected and not result.ok


def test_fixed_workbook_clears_stale_reports(folders: tuple[Path, Path], make_workbook) -> None:  # type: ignore[no-untyped-def]
    watched, output = folders
    path = watched / "a.xlsx"
    path.write_bytes(make_workbook(plain_rows([("张三", "abc")])))
    assert render_folder(watched, output)[0].outcome is Outcome.REJECTED
    assert (output / "a.errors.txt").exists()
    path.write_bytes(make_workbook(plain_rows([("张三", 100)])))
    assert render_folder(watched, output)[0].outcome is Outcome.RENDERED
    assert not (output / "a.errors.txt").exists()
    assert not (output / "a.errors.xlsx").exists()


def test_escaped_donor_names_survive(folders: tuple[Path, Path], make_workbook) -> None:  # type: ignore[no-untyped-def]
    watched, output = folders
    names = [("A&B <公司>", 100), ("{{ x }}", 200), ("\"引号\" & '单引号'", 300), ("{% if %}", 1)]
    (watched / "esc.xlsx").write_bytes(make_workbook(plain_rows(names, total=601)))
    [result] = render_folder(watched, output)
    assert result.outcome is Outcome.RENDERED, result.problems
    text = docx_text(output / "esc.docx")
    for name, _ in names:
        assert name in text


def test_warnings_are_written_beside_the_docx(folders: tuple[Path, Path], make_workbook) -> None:  # type: ignore[no-untyped-def]
    watched, output = folders
    (watched / "a.xlsx").write_bytes(make_workbook(plain_rows([("张三", 100)], signature=False)))
    [result] = render_folder(watched, output)
    assert result.outcome is Outcome.RENDERED
    assert {p.code for p in result.warnings} >= {"signature.missing_receiver", "signature.missing_supervisor"}
    assert "signature.missing_receiver" in (output / "a.warnings.txt").read_text("utf-8-sig")


def test_lock_and_temp_files_are_ignored(folders: tuple[Path, Path], make_workbook) -> None:  # type: ignore[no-untyped-def]
    watched, output = folders
    (watched / "a.xlsx").write_bytes(make_workbook(plain_rows([("张三", 100)])))
    (watched / "~$a.xlsx").write_bytes(b"\x05owner")
    (watched / ".~lock.a.xlsx#").write_bytes(b"lock")
    assert [r.file for r in render_folder(watched, output)] == ["a.xlsx"]


def test_hostile_stem_stays_inside_output(folders: tuple[Path, Path], make_workbook) -> None:  # type: ignore[no-untyped-def]
    watched, output = folders
    (watched / "CON.xlsx").write_bytes(make_workbook(plain_rows([("张三", 100)])))
    [result] = render_folder(watched, output)
    assert result.output == output / "_CON.docx"
    assert result.output.exists()


def test_check_workbook_is_pure_and_collects_everything(make_workbook) -> None:  # type: ignore[no-untyped-def]
    data = make_workbook(plain_rows([("张三", "abc"), ("", 5), ("李四", 1.005)], total=999))
    checked = check_workbook(data, "x.xlsx")
    codes = {(p.code, p.cell) for p in checked.problems if p.is_error}
    assert ("amount.not_a_number", "C3") in codes
    assert ("name.missing", "B4") in codes
    assert ("amount.too_many_decimals", "C5") in codes
    assert all(p.file == "x.xlsx" for p in checked.problems)


def test_no_temp_files_left_behind(sample_folder: Path, tmp_path: Path) -> None:
    output = tmp_path / "output"
    render_folder(sample_folder, output)
    leftovers = [p for p in output.rglob("*") if p.name.startswith(".tk-tmp-")]
    assert leftovers == []
    assert sorted(p.name for p in output.iterdir() if not p.name.startswith(".")) == ["捐款名单.docx"]


def test_output_not_writable_is_a_clear_error(
    folders: tuple[Path, Path], make_workbook, capsys: pytest.CaptureFixture[str]
) -> None:  # type: ignore[no-untyped-def]
    watched, output = folders
    (watched / "a.xlsx").write_bytes(make_workbook(plain_rows([("张三", 100)])))
    output.write_text("a file where the output folder should be")
    code = main(["render", "--watched", str(watched), "--output", str(output)])
    err = capsys.readouterr().err
    assert code == 2
    assert "Traceback" not in err
    assert f"{output} 是一个文件，不是文件夹" in err


def test_output_that_cannot_be_created_is_a_clear_error(
    folders: tuple[Path, Path],
    make_workbook,
    capsys: pytest.CaptureFixture[str],  # type: ignore[no-untyped-def]
) -> None:
    watched, output = folders
    (watched / "a.xlsx").write_bytes(make_workbook(plain_rows([("张三", 100)])))
    output.write_text("a file")
    code = main(["render", "--watched", str(watched), "--output", str(output / "sub")])
    err = capsys.readouterr().err
    assert code == 1
    assert "Traceback" not in err
    assert "无法创建或写入输出文件夹" in err


def test_stale_bulletin_is_removed_when_the_workbook_breaks(
    folders: tuple[Path, Path], make_workbook
) -> None:  # type: ignore[no-untyped-def]
    watched, output = folders
    path = watched / "b.xlsx"
    path.write_bytes(make_workbook(plain_rows([("张三", 100)])))
    render_folder(watched, output)
    assert (output / "b.docx").exists()
    path.write_bytes(make_workbook(plain_rows([("张三", "abc")])))
    assert render_folder(watched, output)[0].outcome is Outcome.REJECTED
    assert not (output / "b.docx").exists()  # a clerk must not print last version's bulletin
    assert "旧的简报 b.docx 已移到 历史版本 文件夹" in (output / "b.errors.txt").read_text("utf-8-sig")


@pytest.mark.parametrize(
    "data", [b"", b"<html><table><tr><td>1</td></tr></table></html>", b"PK\x03\x04trunc"]
)
def test_unreadable_files_never_print_a_traceback(
    folders: tuple[Path, Path], data: bytes, capsys: pytest.CaptureFixture[str]
) -> None:
    watched, output = folders
    (watched / "x.xlsx").write_bytes(data)
    assert main(["render", "--watched", str(watched), "--output", str(output)]) == 1
    captured = capsys.readouterr()
    assert "Traceback" not in captured.out + captured.err
    assert (output / "x.errors.txt").exists()
    assert not (output / "x.errors.xlsx").exists()


def test_settings_defaults_silence_signature_warnings(make_workbook) -> None:  # type: ignore[no-untyped-def]

    data = make_workbook(plain_rows([("张三", 100)], total=100, signature=False))
    plain = {p.code for p in check_workbook(data, "a.xlsx").problems}
    assert "signature.missing_receiver" in plain
    settings = Settings(receiver="朱蕊", supervisor="刘刚", organisation="某协会")
    codes = {p.code for p in check_workbook(data, "a.xlsx", settings).problems}
    assert codes == {"signature.missing_date"}


def test_excel_sum_with_binary_noise_is_read_as_excel_shows_it() -> None:
    """Excel saves =SUM(100.1, 200.2) as 300.29999999999995 and shows 300.3; so must we."""
    import xlsxwriter

    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True})
    ws = wb.add_worksheet()
    ws.write_row(0, 0, ["序号", "捐赠姓名", "金额/元"])
    ws.write_row(1, 0, [1, "甲", 100.1])
    ws.write_row(2, 0, [2, "乙", 200.2])
    ws.write(3, 0, "合计")
    ws.write_formula(3, 2, "=SUM(C2:C3)", None, 100.1 + 200.2)
    wb.close()
    checked = check_workbook(buf.getvalue(), "sum.xlsx")
    assert not [p for p in checked.problems if p.is_error]
    assert checked.ledger is not None and checked.ledger.total == Decimal("300.3")


def test_template_is_parsed_once_for_many_files(
    folders: tuple[Path, Path],
    make_workbook,
    monkeypatch: pytest.MonkeyPatch,  # type: ignore[no-untyped-def]
) -> None:
    import toolkit.render

    calls: list[int] = []
    real = toolkit.render.load_template

    def counting(data: bytes):  # type: ignore[no-untyped-def]
        calls.append(1)
        return real(data)

    monkeypatch.setattr(toolkit.render, "load_template", counting)
    watched, output = folders
    for i in range(3):
        (watched / f"{i}.xlsx").write_bytes(make_workbook(plain_rows([(f"捐赠人{i}", 100 + i)])))
    results = render_folder(watched, output)
    assert [r.outcome for r in results] == [Outcome.RENDERED] * 3
    assert calls == [1]


# --------------------------------------------------------------------------- every spreadsheet format


def test_xls_ods_csv_and_an_xls_renamed_xlsx_are_all_rendered(folders: tuple[Path, Path]) -> None:
    from tests.read.biff import Sheet as XlsSheet
    from tests.read.biff import xls_bytes
    from tests.read.odf import Table, ods_bytes

    watched, output = folders
    rows = plain_rows([("张三", 500), ("李四", 1000.5)], total=1500.5)
    xls = xls_bytes(XlsSheet("捐款名单", rows))
    (watched / "一月.xls").write_bytes(xls)
    (watched / "二月.xlsx").write_bytes(xls)  # an .xls renamed: told by its bytes
    (watched / "三月.et").write_bytes(xls)  # WPS 表格 is the .xls format
    (watched / "四月.ods").write_bytes(ods_bytes(Table("捐款名单", rows)))
    csv = "\n".join(",".join("" if v is None else str(v) for v in row) for row in rows)
    (watched / "五月.csv").write_bytes(csv.encode("gbk"))
    results = {r.file: r for r in render_folder(watched, output)}
    assert set(results) == {"一月.xls", "二月.xlsx", "三月.et", "四月.ods", "五月.csv"}
    for name, result in results.items():
        assert result.outcome is Outcome.RENDERED, (name, result.problems)
        assert (result.donors, result.total) == (2, Decimal("1500.5")), name
        assert "张三" in docx_text(output / f"{Path(name).stem}.docx")


def test_a_refused_format_is_reported_never_skipped_in_silence(folders: tuple[Path, Path]) -> None:
    watched, output = folders
    (watched / "名单.xlsb").write_bytes(_zip_of({"xl/workbook.bin": b"\x00"}))
    (watched / "~$名单.xls").write_bytes(b"lock")
    [result] = render_folder(watched, output)
    assert (result.file, result.outcome) == ("名单.xlsb", Outcome.REJECTED)
    assert [p.code for p in result.problems] == ["file.xlsb"]
    assert "另存为" in (output / "名单.errors.txt").read_text(encoding="utf-8-sig")


def test_an_xls_with_errors_gets_both_reports(folders: tuple[Path, Path]) -> None:
    import openpyxl

    from tests.read.biff import Sheet as XlsSheet
    from tests.read.biff import xls_bytes

    watched, output = folders
    rows = plain_rows([("张三", 500), ("李四", "一千")], total=1500)
    (watched / "名单.xls").write_bytes(xls_bytes(XlsSheet("捐款名单", rows)))
    [result] = render_folder(watched, output)
    assert result.outcome is Outcome.REJECTED
    assert (output / "名单.errors.txt").is_file()
    marked = openpyxl.load_workbook(output / "名单.errors.xlsx")
    bad = next(p for p in result.problems if p.code == "amount.not_a_number")
    assert marked["捐款名单"][bad.cell].value == "一千"
    assert "[amount.not_a_number]" in marked["捐款名单"][bad.cell].comment.text


def test_a_list_longer_than_max_rows_is_refused_not_cut_short() -> None:
    # The issue: with the cap at 30 rows, 60 donors became 29 and 600 元 became 290 元.
    from tests.workbooks import build_workbook

    data = build_workbook(plain_rows([(f"捐赠人{i}", 10) for i in range(1, 61)], total=600))
    checked = check_workbook(data, "名单.xlsx", Settings(max_rows=30))
    assert checked.ledger is None
    [problem] = checked.problems
    assert problem.code == "sheet.too_many_rows"
    assert "max_rows" in problem.message


def _zip_of(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buf.getvalue()


# ---------------------------------------------------------------- folders


def test_missing_watched_folder_is_refused_before_anything_is_written(tmp_path: Path) -> None:
    from toolkit.errors import FolderMissing

    with pytest.raises(FolderMissing) as info:
        render_folder(tmp_path / "nope", tmp_path / "output")
    [problem] = info.value.problems
    assert problem.code == "folder.missing"
    assert problem.message == f"找不到文件夹 {tmp_path / 'nope'}（请用 --watched 指定放捐款表格的文件夹）"
    assert not (tmp_path / "output").exists()


def test_output_path_that_is_a_file_is_refused(folders: tuple[Path, Path]) -> None:
    from toolkit.errors import FolderMissing

    watched, output = folders
    output.write_text("a file")
    with pytest.raises(FolderMissing) as info:
        render_folder(watched, output)
    assert [p.code for p in info.value.problems] == ["folder.is_file"]


def test_unreadable_watched_folder_is_folder_unusable(
    folders: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    from toolkit import intake
    from toolkit.errors import FolderUnusable

    def refuse(folder: Path) -> list[Path]:
        raise PermissionError(13, "Permission denied", str(folder))

    monkeypatch.setattr(intake, "scan_folder", refuse)
    watched, output = folders
    with pytest.raises(FolderUnusable) as info:
        render_folder(watched, output)
    [problem] = info.value.problems
    assert (problem.code, problem.message) == (
        "folder.unreadable",
        f"无法打开文件夹 {watched}（没有权限）。请检查 --watched 的路径和权限",
    )


# ---------------------------------------------------------------- publish and PDF


def test_each_file_is_published_in_one_call(
    folders: tuple[Path, Path], make_workbook, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    import toolkit.pipeline

    calls: list[tuple[str, list[str]]] = []
    real = toolkit.pipeline.publish_outputs

    def counting(folder, stem, source, files, **kwargs):  # type: ignore[no-untyped-def]
        calls.append((source, sorted(output.name for output in files)))
        return real(folder, stem, source, files, **kwargs)

    monkeypatch.setattr(toolkit.pipeline, "publish_outputs", counting)
    watched, output = folders
    (watched / "good.xlsx").write_bytes(make_workbook(plain_rows([("张三", 100)], signature=False)))
    (watched / "bad.xlsx").write_bytes(make_workbook(plain_rows([("张三", "abc")])))
    render_folder(watched, output)
    assert calls == [("bad.xlsx", ["ERRORS", "ERRORS_WORKBOOK"]), ("good.xlsx", ["BULLETIN", "WARNINGS"])]
    render_folder(watched, output)
    assert len(calls) == 2  # unchanged files publish nothing


def test_pdf_is_made_for_rendered_and_unchanged_bulletins_only(
    folders: tuple[Path, Path], make_workbook, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    import toolkit.pipeline
    from toolkit.publish.pdf import PdfOutcome, PdfResult

    asked: list[list[str]] = []

    def fake_write_pdfs(bulletins, keeper):  # type: ignore[no-untyped-def]
        docs = list(bulletins)
        asked.append([d.name for d in docs])
        for docx in docs:
            yield PdfResult(docx, PdfOutcome.WRITTEN, pdf=docx.with_suffix(".pdf"))

    monkeypatch.setattr(toolkit.pipeline, "write_pdfs", fake_write_pdfs)
    watched, output = folders
    (watched / "a.xlsx").write_bytes(make_workbook(plain_rows([("张三", 100)])))
    (watched / "bad.xlsx").write_bytes(make_workbook(plain_rows([("张三", "abc")])))
    render_folder(watched, output)
    assert asked == []  # no --pdf, no PDF
    (watched / "b.xlsx").write_bytes(make_workbook(plain_rows([("李四", 200)])))
    seen: list[PdfResult] = []
    render_folder(watched, output, pdf=True, on_pdf=seen.append)
    assert asked == [["a.docx", "b.docx"]]  # a is unchanged, b is new, bad has no bulletin
    assert [r.outcome for r in seen] == [PdfOutcome.WRITTEN, PdfOutcome.WRITTEN]


# ---------------------------------------------------------------- failures of one file


def test_a_bad_placeholder_given_to_the_library_fails_the_file(
    folders: tuple[Path, Path], make_workbook
) -> None:  # type: ignore[no-untyped-def]

    watched, output = folders
    (watched / "a.xlsx").write_bytes(make_workbook(plain_rows([("张三", 100)])))
    (watched / "b.xlsx").write_bytes(make_workbook(plain_rows([("李四", 200)])))
    results = render_folder(watched, output, settings=Settings(intro="共{oops}元"))
    assert [r.outcome for r in results] == [Outcome.FAILED, Outcome.FAILED]
    assert [p.code for p in results[0].problems] == ["settings.placeholder"]
    assert not any(output.glob("*.docx"))


def test_a_template_docxtpl_cannot_fill_fails_the_file(
    folders: tuple[Path, Path], make_workbook, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    import re

    from toolkit.intake import default_template_path

    # A table without its <w:tblGrid> (Word always writes one): docxtpl's table fixing trips over it.
    template = tmp_path / "no-grid.docx"
    with zipfile.ZipFile(default_template_path()) as source, zipfile.ZipFile(template, "w") as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "word/document.xml":
                data = re.sub(rb"<w:tblGrid>.*?</w:tblGrid>", b"", data, flags=re.S)
            target.writestr(info, data)
    watched, output = folders
    (watched / "a.xlsx").write_bytes(make_workbook(plain_rows([("张三", 100)])))
    [result] = render_folder(watched, output, template_path=template)
    assert result.outcome is Outcome.FAILED
    assert [p.code for p in result.problems] == ["render.docxtpl"]


# ---------------------------------------------------------------- check_paths


def test_check_paths_names_files_it_cannot_open(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, seed_bytes: bytes
) -> None:
    from toolkit import intake
    from toolkit.pipeline import check_paths

    (tmp_path / "locked.xlsx").write_bytes(seed_bytes)
    (tmp_path / "folder.xlsx").mkdir()
    real = intake.read_snapshot

    def read(path: Path) -> intake.Snapshot:
        if path.name == "locked.xlsx":
            raise PermissionError(13, "Permission denied", str(path))
        return real(path)

    monkeypatch.setattr(intake, "read_snapshot", read)
    problems = check_paths([tmp_path / "folder.xlsx", tmp_path / "missing.xlsx", tmp_path / "locked.xlsx"])
    assert [(p.file, p.code) for p in problems] == [
        ("folder.xlsx", "file.is_folder"),
        ("missing.xlsx", "file.not_found"),
        ("locked.xlsx", "file.unreadable"),
    ]
    assert problems[2].message.startswith("无法打开这个文件（没有权限）")


def test_a_new_toolkit_version_renders_everything_again(
    folders: tuple[Path, Path], make_workbook, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    import toolkit.pipeline

    watched, output = folders
    (watched / "a.xlsx").write_bytes(make_workbook(plain_rows([("张三", 100)])))
    assert [r.outcome for r in render_folder(watched, output)] == [Outcome.RENDERED]
    assert [r.outcome for r in render_folder(watched, output)] == [Outcome.UNCHANGED]
    monkeypatch.setattr(toolkit.pipeline, "__version__", "99.0.0")
    assert [r.outcome for r in render_folder(watched, output)] == [Outcome.RENDERED]


# ---------------------------------------------------------------- a copy still going on, a fault of ours


@pytest.mark.parametrize(
    "data", [b"", b"\0" * 4096, seed_workbook()[:5000]], ids=["empty", "zeros", "cut-short"]
)
def test_a_file_that_may_still_be_copying_is_not_ready_when_completeness_is_required(
    folders: tuple[Path, Path], data: bytes
) -> None:
    from toolkit.pipeline import Pipeline

    watched, output = folders
    (watched / "a.xlsx").write_bytes(data)
    pipeline = Pipeline(output, Settings())
    pipeline.prepare()
    waiting = pipeline.process(watched / "a.xlsx", require_complete=True)
    assert (waiting.outcome, waiting.incomplete) == (Outcome.NOT_READY, True)
    assert sorted(p.name for p in output.iterdir()) == [".toolkit"]  # nothing published
    reported = pipeline.process(watched / "a.xlsx")
    assert (reported.outcome, reported.incomplete) == (Outcome.REJECTED, False)
    assert (output / "a.errors.txt").is_file()


def test_a_broken_workbook_is_rejected_even_when_completeness_is_required(folders: tuple[Path, Path]) -> None:
    from toolkit.pipeline import Pipeline

    watched, output = folders
    (watched / "a.xlsx").write_bytes(b"this is not a workbook at all")
    pipeline = Pipeline(output, Settings())
    pipeline.prepare()
    assert pipeline.process(watched / "a.xlsx", require_complete=True).outcome is Outcome.REJECTED


def test_a_fault_of_ours_on_one_file_goes_to_its_crash_file(
    folders: tuple[Path, Path], make_workbook, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    from toolkit import pipeline

    watched, output = folders
    (watched / "a.xlsx").write_bytes(make_workbook(plain_rows([("张三", 100)], total=100)))
    (watched / "b.xlsx").write_bytes(make_workbook(plain_rows([("李四", 200)], total=200)))
    real = pipeline.check_workbook

    def broken(data: bytes, name: str, settings: object = None) -> object:
        if name == "a.xlsx":
            raise KeyError("a bug of ours")
        return real(data, name, settings)  # type: ignore[arg-type]

    monkeypatch.setattr(pipeline, "check_workbook", broken)
    results = {r.file: r for r in render_folder(watched, output)}
    assert results["b.xlsx"].outcome is Outcome.RENDERED  # one fault never stops the others
    failed = results["a.xlsx"]
    crash = output / "a.crash.txt"
    assert failed.outcome is Outcome.FAILED
    assert failed.reason == f"toolkit 内部错误（KeyError），详细记录在 {crash}，请把它和这个表格发给维护人员"
    text = crash.read_text("utf-8-sig")
    assert "表格：a.xlsx" in text and "KeyError: 'a bug of ours'" in text

    monkeypatch.setattr(pipeline, "check_workbook", real)
    assert {r.file: r.outcome for r in render_folder(watched, output)}["a.xlsx"] is Outcome.RENDERED
    assert not crash.exists()  # the fault is gone, and so is its crash file


def test_a_signature_label_left_empty_leaves_a_line_to_sign(
    folders: tuple[Path, Path], make_workbook
) -> None:  # type: ignore[no-untyped-def]
    watched, output = folders
    rows = [
        *plain_rows([("张三", 100)], total=100, signature=False),
        ["收款人："],
        ["监督人：刘刚"],
        ["某协会"],
        ["日期：2020年2月5日"],
    ]
    (watched / "a.xlsx").write_bytes(make_workbook(rows))
    (result,) = render_folder(watched, output)
    assert result.outcome is Outcome.RENDERED
    assert [(p.code, p.cell) for p in result.warnings] == [
        ("signature.missing_receiver", f"A{len(rows) - 3}")
    ]
    assert "收款人：__________" in docx_text(output / "a.docx")
    assert f"警告 a.xlsx > 捐款名单 > A{len(rows) - 3}：“收款人”后面没有填写姓名" in (
        output / "a.warnings.txt"
    ).read_text("utf-8-sig")


# ---------------------------------------------------------------- names that are not regular files

posix_only = pytest.mark.skipif(
    os.name != "posix", reason="symbolic links, FIFOs and sockets made here need POSIX"
)


@posix_only
def test_a_linked_workbook_is_refused_with_its_own_code_and_a_report(
    folders: tuple[Path, Path], tmp_path: Path, seed_bytes: bytes
) -> None:
    watched, output = folders
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "名单.xlsx").write_bytes(seed_bytes)
    (watched / "名单.xlsx").symlink_to(elsewhere / "名单.xlsx")
    [result] = render_folder(watched, output)
    assert result.outcome is Outcome.REJECTED
    [problem] = result.problems
    assert (problem.file, problem.code) == ("名单.xlsx", "file.symlink")
    assert str(elsewhere / "名单.xlsx") in problem.message and "复制到这里" in problem.message
    report = (output / "名单.errors.txt").read_bytes().decode("utf-8-sig")
    assert "[file.symlink]" in report
    assert not (output / "名单.docx").exists()  # the link was never followed
    assert [r.outcome for r in render_folder(watched, output)] == [Outcome.UNCHANGED]


@posix_only
def test_a_link_replaced_by_the_file_itself_is_rendered_and_its_report_removed(
    folders: tuple[Path, Path], tmp_path: Path, seed_bytes: bytes
) -> None:
    watched, output = folders
    (tmp_path / "real.xlsx").write_bytes(seed_bytes)
    (watched / "名单.xlsx").symlink_to(tmp_path / "real.xlsx")
    assert [r.outcome for r in render_folder(watched, output)] == [Outcome.REJECTED]
    (watched / "名单.xlsx").unlink()
    (watched / "名单.xlsx").write_bytes(seed_bytes)
    assert [r.outcome for r in render_folder(watched, output)] == [Outcome.RENDERED]
    assert sorted(p.name for p in output.iterdir() if not p.name.startswith(".")) == ["名单.docx"]


@posix_only
def test_a_link_that_points_elsewhere_is_a_new_version(folders: tuple[Path, Path], tmp_path: Path) -> None:
    watched, output = folders
    (watched / "名单.xlsx").symlink_to(tmp_path / "a.xlsx")
    render_folder(watched, output)
    (watched / "名单.xlsx").unlink()
    (watched / "名单.xlsx").symlink_to(tmp_path / "b.xlsx")
    [result] = render_folder(watched, output)
    assert result.outcome is Outcome.REJECTED
    assert str(tmp_path / "b.xlsx") in result.problems[0].message


@posix_only
@pytest.mark.timeout(20)
def test_a_fifo_or_socket_in_the_folder_is_named_never_opened(folders: tuple[Path, Path]) -> None:
    watched, output = folders
    os.mkfifo(watched / "pipe.xlsx")
    with socket.socket(socket.AF_UNIX) as server:
        server.bind(str(watched / "sock.xlsx"))
        results = render_folder(watched, output)
    assert [(r.file, r.outcome, [p.code for p in r.problems]) for r in results] == [
        ("pipe.xlsx", Outcome.REJECTED, ["file.not_regular"]),
        ("sock.xlsx", Outcome.REJECTED, ["file.not_regular"]),
    ]
    assert "命名管道（FIFO）" in results[0].problems[0].message
    assert "套接字（socket）" in results[1].problems[0].message


@posix_only
@pytest.mark.timeout(20)
def test_check_paths_names_what_each_path_really_is(tmp_path: Path, seed_bytes: bytes) -> None:
    from toolkit.pipeline import check_paths

    (tmp_path / "real.xlsx").write_bytes(seed_bytes)
    (tmp_path / "link.xlsx").symlink_to(tmp_path / "real.xlsx")
    os.mkfifo(tmp_path / "pipe.xlsx")
    (tmp_path / "folder.xlsx").mkdir()
    paths = [tmp_path / n for n in ("link.xlsx", "pipe.xlsx", "sock.xlsx", "folder.xlsx")]
    with socket.socket(socket.AF_UNIX) as server:
        server.bind(str(tmp_path / "sock.xlsx"))
        problems = check_paths(paths)
    assert [(p.file, p.code) for p in problems] == [
        ("link.xlsx", "file.symlink"),
        ("pipe.xlsx", "file.not_regular"),
        ("sock.xlsx", "file.not_regular"),
        ("folder.xlsx", "file.is_folder"),
    ]
    messages = [p.message for p in problems]
    assert (
        "符号链接" in messages[0] and "命名管道（FIFO）" in messages[1] and "套接字（socket）" in messages[2]
    )
    assert not any("正在 Excel 或 WPS 中保存" in m for m in messages)


@pytest.mark.skipif(not Path("/dev/null").exists(), reason="no /dev/null")
def test_check_paths_names_a_device() -> None:
    from toolkit.pipeline import check_paths

    [problem] = check_paths([Path("/dev/null")])
    assert problem.code == "file.not_regular" and "字符设备" in problem.message


# ---------------------------------------------------------------- partial failures told truly


def disk_full_for_state(monkeypatch: pytest.MonkeyPatch, error: OSError) -> list[str]:
    """Make every state write fail with ``error``; return the names it refused."""
    from toolkit.publish.state import StateStore

    refused: list[str] = []

    def put(self: StateStore, state: object) -> None:
        refused.append(getattr(state, "name", ""))
        raise error

    monkeypatch.setattr(StateStore, "put", put)
    return refused


@pytest.mark.parametrize(
    "error",
    [OSError(errno.ENOSPC, "No space left on device"), PermissionError(errno.EACCES, "Permission denied")],
    ids=["disk-full", "no-permission"],
)
def test_a_bulletin_written_but_not_recorded_is_told_and_recovered_without_rendering_again(
    folders: tuple[Path, Path], make_workbook, monkeypatch: pytest.MonkeyPatch, error: OSError
) -> None:  # type: ignore[no-untyped-def]
    import toolkit.render

    watched, output = folders
    (watched / "a.xlsx").write_bytes(make_workbook(plain_rows([("张三", 100)])))
    with monkeypatch.context() as m:
        refused = disk_full_for_state(m, error)
        [result] = render_folder(watched, output)
    assert refused == ["a.xlsx"]
    assert (result.outcome, result.recorded, result.ok) == (Outcome.RENDERED, False, False)
    assert result.output == output / "a.docx"
    assert result.reason == (
        f"简报已写好，可以使用；但没能记下这次处理（输出文件夹里的状态文件）（{messages.os_reason(error)}）。"
        "下次运行会补上这一步，不会重新生成简报"
    )
    assert "张三" in docx_text(output / "a.docx")  # a valid bulletin, complete
    written = (output / "a.docx").stat()

    def never(*args: object, **kwargs: object) -> bytes:
        raise AssertionError("the bulletin was rendered twice")

    monkeypatch.setattr(toolkit.render, "render_bulletin", never)
    [again] = render_folder(watched, output)
    assert (again.outcome, again.recorded, again.output) == (Outcome.UNCHANGED, True, output / "a.docx")
    after = (output / "a.docx").stat()
    assert (after.st_ino, after.st_mtime_ns) == (written.st_ino, written.st_mtime_ns)  # not written again
    assert [r.outcome for r in render_folder(watched, output)] == [Outcome.UNCHANGED]


def test_a_recovery_that_still_cannot_record_says_so(
    folders: tuple[Path, Path], make_workbook, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    watched, output = folders
    (watched / "a.xlsx").write_bytes(make_workbook(plain_rows([("张三", 100)])))
    disk_full_for_state(monkeypatch, OSError(errno.ENOSPC, "No space left on device"))
    render_folder(watched, output)
    [again] = render_folder(watched, output)
    assert (again.outcome, again.recorded) == (Outcome.UNCHANGED, False)
    assert again.reason.startswith("简报上次已写好，可以使用；但没能记下这次处理")


def test_a_stale_report_that_cannot_be_removed_is_told_and_removed_next_time(
    folders: tuple[Path, Path], make_workbook, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    from toolkit.publish import safekeeping

    watched, output = folders
    (watched / "a.xlsx").write_bytes(make_workbook(plain_rows([("张三", "abc")])))
    render_folder(watched, output)
    assert (output / "a.errors.xlsx").exists()
    (watched / "a.xlsx").write_bytes(make_workbook(plain_rows([("张三", 100)])))
    real = safekeeping.remove_quietly

    def open_in_excel(path: Path) -> bool:
        if path.name == "a.errors.xlsx":
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real(path)

    with monkeypatch.context() as m:
        m.setattr(safekeeping, "remove_quietly", open_in_excel)
        [result] = render_folder(watched, output)
    assert (result.outcome, result.recorded) == (Outcome.RENDERED, False)
    assert "没能删除旧文件 a.errors.xlsx" in result.reason and "不会重新生成简报" in result.reason
    [again] = render_folder(watched, output)
    assert (again.outcome, again.recorded) == (Outcome.UNCHANGED, True)
    assert (output / "a.docx").exists()
    assert not any(p.name.startswith("a.errors") for p in output.iterdir())


def test_an_error_report_written_but_not_recorded_is_told(
    folders: tuple[Path, Path], make_workbook, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    watched, output = folders
    (watched / "a.xlsx").write_bytes(make_workbook(plain_rows([("张三", "abc")])))
    with monkeypatch.context() as m:
        disk_full_for_state(m, OSError(errno.ENOSPC, "No space left on device"))
        [result] = render_folder(watched, output)
    assert (result.outcome, result.recorded) == (Outcome.REJECTED, False)
    assert result.reason.startswith("报告已写出，但没能记下这次处理")
    assert (output / "a.errors.txt").exists()
    [again] = render_folder(watched, output)
    assert (again.outcome, again.recorded) == (Outcome.REJECTED, True)


def test_a_bulletin_whose_warnings_could_not_be_written_is_rendered_again(
    folders: tuple[Path, Path], make_workbook, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    from toolkit.publish import safekeeping

    watched, output = folders
    (watched / "a.xlsx").write_bytes(make_workbook(plain_rows([("张三", 100)], signature=False)))
    real = safekeeping.write_atomic

    def full_after_the_docx(target: Path, data: bytes, **kwargs: object) -> None:
        if target.name.endswith(".warnings.txt"):
            raise OSError(errno.ENOSPC, "No space left on device", str(target))
        real(target, data)

    with monkeypatch.context() as m:
        m.setattr(safekeeping, "write_atomic", full_after_the_docx)
        [result] = render_folder(watched, output)
    assert (result.outcome, result.recorded) == (Outcome.RENDERED, False)
    assert "没能写出 a.warnings.txt" in result.reason and result.reason.endswith("下次运行会重新生成")
    [again] = render_folder(watched, output)
    assert (again.outcome, again.recorded) == (Outcome.RENDERED, True)
    assert (output / "a.warnings.txt").exists()


def test_a_crash_after_the_bulletin_is_recovered_without_rendering_again(
    folders: tuple[Path, Path], make_workbook, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    import shutil

    import toolkit.render

    watched, output = folders
    (watched / "a.xlsx").write_bytes(make_workbook(plain_rows([("张三", 100)], signature=False)))
    render_folder(watched, output)
    shutil.rmtree(output / ".toolkit")  # as if the process died between the bulletin and its record
    monkeypatch.setattr(toolkit.render, "render_bulletin", lambda *a, **k: pytest.fail("rendered twice"))
    [again] = render_folder(watched, output)
    assert again.outcome is Outcome.UNCHANGED
    assert sorted(p.name for p in output.iterdir() if not p.name.startswith(".")) == [
        "a.docx",
        "a.warnings.txt",
    ]


def test_a_bulletin_edited_by_hand_survives_a_re_render_byte_for_byte(
    folders: tuple[Path, Path], make_workbook, capsys: pytest.CaptureFixture[str]
) -> None:  # type: ignore[no-untyped-def]
    watched, output = folders
    (watched / "a.xlsx").write_bytes(make_workbook(plain_rows([("张三", 100)])))
    render_folder(watched, output)
    edited = (output / "a.docx").read_bytes() + b"\0 saved again by Word"
    (output / "a.docx").write_bytes(edited)
    (watched / "a.xlsx").write_bytes(make_workbook(plain_rows([("张三", 100), ("李四", 50)])))
    assert main(["render", "--watched", str(watched), "--output", str(output)]) == 0
    assert (output / "a.docx").read_bytes() == edited
    assert "李四" in docx_text(output / "a（新版）.docx")
    out = capsys.readouterr().out
    assert "→ " + str(output / "a（新版）.docx") in out
    assert (
        "  注意 a.docx 不是 toolkit 生成时的样子（可能在 Word 中改过），没有覆盖；新版本写在 a（新版）.docx"
        in out
    )


def test_a_replaced_bulletin_is_found_in_the_history_folder(
    folders: tuple[Path, Path], make_workbook
) -> None:  # type: ignore[no-untyped-def]
    watched, output = folders
    (watched / "a.xlsx").write_bytes(make_workbook(plain_rows([("张三", 100)])))
    render_folder(watched, output)
    first = (output / "a.docx").read_bytes()
    (watched / "a.xlsx").write_bytes(make_workbook(plain_rows([("张三", 100), ("李四", 50)])))
    render_folder(watched, output)
    [kept] = (output / "历史版本").iterdir()
    assert kept.read_bytes() == first
    assert "李四" in docx_text(output / "a.docx")


def test_changing_the_history_setting_renders_nothing_again(
    folders: tuple[Path, Path], make_workbook
) -> None:  # type: ignore[no-untyped-def]
    watched, output = folders
    (watched / "a.xlsx").write_bytes(make_workbook(plain_rows([("张三", 100)])))
    render_folder(watched, output)
    [again] = render_folder(watched, output, settings=Settings(history=1))
    assert again.outcome is Outcome.UNCHANGED


# ---------------------------------------------------------------- issue numbers


def issue_of(path: Path) -> str:
    """The issue line of a bulletin made with the default template (its second paragraph)."""
    return docx_text(path).splitlines()[1]


def test_two_workbooks_in_turn_get_consecutive_issue_numbers_that_stay(
    folders: tuple[Path, Path], make_workbook
) -> None:  # type: ignore[no-untyped-def]
    watched, output = folders
    first = Settings(issue=8)
    (watched / "a.xlsx").write_bytes(make_workbook(plain_rows([("张三", 100)])))
    [a] = render_folder(watched, output, settings=first)
    (watched / "b.xlsx").write_bytes(make_workbook(plain_rows([("李四", 200)])))
    results = render_folder(watched, output, settings=first)
    assert [r.outcome for r in results] == [Outcome.UNCHANGED, Outcome.RENDERED]
    assert (issue_of(output / "a.docx"), issue_of(output / "b.docx")) == ("第八期", "第九期")
    assert a.edition is not None and a.edition.number == 8

    # The next bulletin is to start at 第二十期: no bulletin written so far is renumbered,
    # even when both are rendered again (their workbooks changed).
    later = Settings(issue=20, masthead="某某协会简报")
    (watched / "a.xlsx").write_bytes(make_workbook(plain_rows([("张三", 100), ("王五", 5)])))
    again = render_folder(watched, output, settings=later)
    assert [r.outcome for r in again] == [Outcome.RENDERED, Outcome.RENDERED]
    assert (issue_of(output / "a.docx"), issue_of(output / "b.docx")) == ("第八期", "第九期")
    (watched / "c.xlsx").write_bytes(make_workbook(plain_rows([("赵六", 1)])))
    render_folder(watched, output, settings=later)
    assert issue_of(output / "c.docx") == "第二十期"


def test_a_number_in_the_title_or_the_file_name_wins(folders: tuple[Path, Path], make_workbook) -> None:  # type: ignore[no-untyped-def]
    watched, output = folders
    (watched / "a.xlsx").write_bytes(make_workbook(plain_rows([("张三", 100)], title="捐款名单（第7期—1）")))
    (watched / "b第12期.xlsx").write_bytes(make_workbook(plain_rows([("李四", 200)])))
    (watched / "c.xlsx").write_bytes(make_workbook(plain_rows([("王五", 300)])))
    render_folder(watched, output)
    assert issue_of(output / "a.docx") == "第七期"
    assert issue_of(output / "b第12期.docx") == "第十二期"
    assert issue_of(output / "c.docx") == "第十三期"


def test_render_one_workbook_with_its_issue_number(
    folders: tuple[Path, Path], make_workbook, capsys: pytest.CaptureFixture[str]
) -> None:  # type: ignore[no-untyped-def]
    watched, output = folders
    (watched / "a.xlsx").write_bytes(make_workbook(plain_rows([("张三", 100)])))
    (watched / "b.xlsx").write_bytes(make_workbook(plain_rows([("李四", 200)])))
    render_folder(watched, output)
    argv = ["render", "--watched", str(watched), "--output", str(output)]
    assert main([*argv, "b.xlsx", "--issue", "第十二期"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("b.xlsx: 已生成")  # only b, and again though its workbook is as it was
    assert out.splitlines()[0].endswith("b.docx（第十二期）")
    assert (issue_of(output / "a.docx"), issue_of(output / "b.docx")) == ("第一期", "第十二期")
    assert main([*argv, "b.xlsx", "--issue", "12"]) == 0
    assert "未变化" in capsys.readouterr().out
    assert main(argv) == 0  # the number given stays
    assert issue_of(output / "b.docx") == "第十二期"


@pytest.mark.parametrize(
    ("extra", "message"),
    [(["--issue", "12"], "--issue 要正好写一个表格"), (["a.xlsx", "--issue", "第十二"], "不是期号")],
)
def test_issue_option_mistakes_are_usage_errors(
    folders: tuple[Path, Path], capsys: pytest.CaptureFixture[str], extra: list[str], message: str
) -> None:
    watched, output = folders
    assert main(["render", "--watched", str(watched), "--output", str(output), *extra]) == 2
    assert message in capsys.readouterr().err


# ---------------------------------------------------------------- changes


def test_re_saving_with_a_donor_added_and_an_amount_changed_prints_and_writes_exactly_that(
    folders: tuple[Path, Path], make_workbook, capsys: pytest.CaptureFixture[str]
) -> None:  # type: ignore[no-untyped-def]
    watched, output = folders
    argv = ["render", "--watched", str(watched), "--output", str(output)]
    (watched / "a.xlsx").write_bytes(make_workbook(plain_rows([("张三", 100), ("李四", 200)], total=300)))
    assert main(argv) == 0
    assert "变化" not in capsys.readouterr().out  # a first bulletin has nothing to compare with
    assert not (output / "a.changes.txt").exists()
    rows = plain_rows([("张三", 150), ("李四", 200), ("王五", 300)], total=650)
    (watched / "a.xlsx").write_bytes(make_workbook(rows))
    assert main(argv) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[1:] == [
        "  变化 新增 王五 300 元（C5）",
        "  变化 金额 张三 100 元 → 150 元（C3）",
        "  变化 合计 300 元 → 650 元（增加 350 元）",
    ]
    report = (output / "a.changes.txt").read_bytes()
    assert report.startswith(b"\xef\xbb\xbf")
    assert report.decode("utf-8-sig").split("\r\n")[3:] == [
        "新增 王五 300 元（C5）",
        "金额 张三 100 元 → 150 元（C3）",
        "合计 300 元 → 650 元（增加 350 元）",
        "",
    ]


def test_the_change_report_compares_with_the_last_bulletin_across_a_broken_version(
    folders: tuple[Path, Path], make_workbook
) -> None:  # type: ignore[no-untyped-def]
    watched, output = folders
    (watched / "a.xlsx").write_bytes(make_workbook(plain_rows([("张三", 100)])))
    render_folder(watched, output)
    (watched / "a.xlsx").write_bytes(make_workbook(plain_rows([("张三", "abc")])))
    render_folder(watched, output)
    (watched / "a.xlsx").write_bytes(make_workbook(plain_rows([("张三", 120)])))
    [result] = render_folder(watched, output)
    assert result.changes == ("金额 张三 100 元 → 120 元（C3）", "合计 100 元 → 120 元（增加 20 元）")


def test_a_change_report_stays_while_the_list_does_not_change_again(
    folders: tuple[Path, Path], make_workbook
) -> None:  # type: ignore[no-untyped-def]
    watched, output = folders
    (watched / "a.xlsx").write_bytes(make_workbook(plain_rows([("张三", 100)])))
    render_folder(watched, output)
    (watched / "a.xlsx").write_bytes(make_workbook(plain_rows([("张三", 100), ("李四", 1)])))
    render_folder(watched, output)
    report = (output / "a.changes.txt").read_bytes()
    [again] = render_folder(watched, output, settings=Settings(masthead="别的报头"))  # same donors
    assert again.outcome is Outcome.RENDERED and again.changes == ()
    assert (output / "a.changes.txt").read_bytes() == report


def test_a_workbook_taken_out_of_the_folder_loses_its_reports_not_its_bulletin(
    folders: tuple[Path, Path], make_workbook
) -> None:  # type: ignore[no-untyped-def]
    watched, output = folders
    (watched / "a.xlsx").write_bytes(make_workbook(plain_rows([("张三", 100)], signature=False)))
    (watched / "b.xlsx").write_bytes(make_workbook(plain_rows([("张三", "abc")])))
    render_folder(watched, output)
    assert {"a.docx", "a.warnings.txt", "b.errors.txt"} <= {p.name for p in output.iterdir()}
    render_folder(watched, output, workbooks=[watched / "a.xlsx"])  # a run for one file sweeps nothing
    assert (output / "b.errors.txt").exists()
    (watched / "a.xlsx").unlink()
    (watched / "b.xlsx").unlink()
    assert render_folder(watched, output) == []
    assert sorted(p.name for p in output.iterdir() if p.is_file()) == ["a.docx"]


def test_masking_hides_names_in_the_bulletin_only(folders: tuple[Path, Path], make_workbook) -> None:  # type: ignore[no-untyped-def]
    """The change report and the error reports go back to the clerk: they keep the full names."""
    watched, output = folders
    masked = Settings(mask_names=True)
    (watched / "a.xlsx").write_bytes(make_workbook(plain_rows([("张三丰", 100), ("某某公司", 200)])))
    render_folder(watched, output, settings=masked)
    rows = plain_rows([("张三丰", 100), ("某某公司", 200), ("李四", 50)])
    (watched / "a.xlsx").write_bytes(make_workbook(rows))
    [result] = render_folder(watched, output, settings=masked)
    text = docx_text(output / "a.docx")
    assert "张*" in text and "李*" in text and "某某公司" in text
    assert "张三丰" not in text and "李四" not in text
    assert result.changes[0] == "新增 李四 50 元（C5）"
    assert "新增 李四 50 元" in (output / "a.changes.txt").read_text("utf-8-sig")
    (watched / "a.xlsx").write_bytes(make_workbook(plain_rows([("张三丰", "abc")])))
    render_folder(watched, output, settings=masked)
    import openpyxl

    sheet = openpyxl.load_workbook(output / "a.errors.xlsx")["捐款名单"]
    assert "张三丰" in [cell.value for row in sheet.iter_rows() for cell in row]


def test_the_running_total_comes_from_the_register(folders: tuple[Path, Path], make_workbook) -> None:  # type: ignore[no-untyped-def]
    watched, output = folders
    settings = Settings(intro_running="截至{date}，累计接收捐款{running}元。")
    (watched / "a.xlsx").write_bytes(make_workbook(plain_rows([("张三", 100)])))
    render_folder(watched, output, settings=settings)
    (watched / "b.xlsx").write_bytes(make_workbook(plain_rows([("李四", 200.5)])))
    render_folder(watched, output, settings=settings)
    assert "累计" not in docx_text(output / "a.docx")  # the first bulletin: nothing earlier to add
    assert "截至2020年2月5日，累计接收捐款300.50元。" in docx_text(output / "b.docx")


# ---------------------------------------------------------------- the running total and shared numbers

RUNNING = Settings(intro_running="截至{date}，累计接收捐款{running}元。")


def running_of(path: Path) -> str:
    return next(line for line in docx_text(path).splitlines() if "累计" in line).rsplit("累计接收捐款", 1)[1]


def test_a_later_bulletin_follows_a_change_to_an_earlier_total(
    folders: tuple[Path, Path], make_workbook
) -> None:  # type: ignore[no-untyped-def]
    watched, output = folders
    # b is 第一期 and a 第二期: rendered in issue order, not in the order of the names.
    (watched / "b.xlsx").write_bytes(make_workbook(plain_rows([("张三", 50000)])))
    render_folder(watched, output, settings=RUNNING)
    (watched / "a.xlsx").write_bytes(make_workbook(plain_rows([("李四", 50000)])))
    render_folder(watched, output, settings=RUNNING)
    assert running_of(output / "a.docx") == "100000元。"
    (watched / "b.xlsx").write_bytes(make_workbook(plain_rows([("张三", 100)])))
    results = render_folder(watched, output, settings=RUNNING)
    assert [(r.file, r.outcome) for r in results] == [
        ("b.xlsx", Outcome.RENDERED),
        ("a.xlsx", Outcome.RENDERED),
    ]
    assert running_of(output / "a.docx") == "50100元。"
    assert [r.outcome for r in render_folder(watched, output, settings=RUNNING)] == [Outcome.UNCHANGED] * 2


def test_without_a_running_total_shown_an_earlier_change_renders_nothing_else(
    folders: tuple[Path, Path], make_workbook
) -> None:  # type: ignore[no-untyped-def]
    watched, output = folders
    (watched / "a.xlsx").write_bytes(make_workbook(plain_rows([("张三", 50000)])))
    (watched / "b.xlsx").write_bytes(make_workbook(plain_rows([("李四", 50000)])))
    render_folder(watched, output)
    (watched / "a.xlsx").write_bytes(make_workbook(plain_rows([("张三", 100)])))
    assert [r.outcome for r in render_folder(watched, output)] == [Outcome.RENDERED, Outcome.UNCHANGED]


def test_an_issued_bulletin_with_a_stale_running_total_is_kept_and_the_clerk_told(
    folders: tuple[Path, Path], make_workbook
) -> None:  # type: ignore[no-untyped-def]
    from toolkit.publish import mark_issued

    watched, output = folders
    (watched / "a.xlsx").write_bytes(make_workbook(plain_rows([("张三", 50000)])))
    (watched / "b.xlsx").write_bytes(make_workbook(plain_rows([("李四", 50000)])))
    render_folder(watched, output, settings=RUNNING)
    mark_issued(output, "b.docx")
    issued = (output / "b.docx").read_bytes()
    (watched / "a.xlsx").write_bytes(make_workbook(plain_rows([("张三", 100)])))
    _, b = render_folder(watched, output, settings=RUNNING)
    assert b.outcome is Outcome.UNCHANGED and (output / "b.docx").read_bytes() == issued
    assert b.notes == (
        "b.docx（第二期）已发出，其中的累计金额 100000 元已过时：之前各期的合计变了，现在应为 50100 元。"
        "已发出的简报保持原样；要更正，请在 Excel 或 WPS 中打开 b.xlsx 再保存一次，"
        "toolkit 会另外生成更正版 b（更正）.docx",
    )
    # Saved again (new bytes, same list): the correction states the true running total.
    (watched / "b.xlsx").write_bytes(make_workbook(plain_rows([("李四", 50000)]), sheet="名单"))
    _, b = render_folder(watched, output, settings=RUNNING)
    assert b.output == output / "b（更正）.docx" and running_of(b.output) == "50100元。"
    assert (output / "b.docx").read_bytes() == issued


def test_a_shared_issue_number_is_kept_with_a_note_naming_the_other_bulletin(
    folders: tuple[Path, Path], make_workbook, capsys: pytest.CaptureFixture[str]
) -> None:  # type: ignore[no-untyped-def]
    watched, output = folders
    (watched / "七月第9期.xlsx").write_bytes(make_workbook(plain_rows([("张三", 100)])))
    (watched / "三月捐款第9期.xlsx").write_bytes(make_workbook(plain_rows([("李四", 200)])))
    (watched / "九月.xlsx").write_bytes(make_workbook(plain_rows([("王五", 300)])))
    results = {r.file: r for r in render_folder(watched, output)}
    assert results["七月第9期.xlsx"].notes == ()
    assert results["三月捐款第9期.xlsx"].notes == (
        "第九期也是 七月第9期.docx 的期号，两份简报期号相同。若不是有意，请改正表格标题或文件名里的期号，"
        "或用 toolkit render 三月捐款第9期.xlsx --issue 期号 另定期号",
    )
    argv = ["render", "--watched", str(watched), "--output", str(output), "九月.xlsx"]
    assert main([*argv, "--issue", "９"]) == 0  # a full-width digit is a number too
    out = capsys.readouterr().out
    assert "  注意 第九期也是 七月第9期.docx、三月捐款第9期.docx 的期号" in out
    assert main([*argv, "--issue", "２"]) == 0
    assert "注意" not in capsys.readouterr().out


# ---------------------------------------------------------------- another process at work


def test_render_waits_for_a_file_another_process_is_working_on(
    folders: tuple[Path, Path], make_workbook
) -> None:  # type: ignore[no-untyped-def]
    import threading

    from toolkit.publish.claims import input_key, try_claim

    watched, output = folders
    (watched / "a.xlsx").write_bytes(make_workbook(plain_rows([("张三", 100)])))
    output.mkdir()
    claim = try_claim(output, input_key("a.xlsx"))
    assert claim is not None
    timer = threading.Timer(0.5, claim.release)
    timer.start()
    try:
        [result] = render_folder(watched, output)
    finally:
        timer.cancel()
        claim.release()
    assert result.outcome is Outcome.RENDERED and result.ok  # it waited, then did the work itself
