"""The command line, run in-process through ``main(argv)``: exit codes and exact messages."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.workbooks import plain_rows
from toolkit.cli import main


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def test_no_command_prints_help_and_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run([], capsys)
    assert code == 2
    assert "render" in out


@pytest.mark.parametrize(
    ("command", "purpose"), [("render", "放捐款表格的文件夹"), ("watch", "要监视的文件夹")]
)
def test_missing_watched_folder_is_a_usage_error(
    command: str, purpose: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    nope = tmp_path / "nope"
    code, out, err = run([command, "--watched", str(nope), "--output", str(tmp_path / "o")], capsys)
    assert (code, out) == (2, "")
    assert err == f"toolkit: 找不到文件夹 {nope}（请用 --watched 指定{purpose}）\n"
    assert not (tmp_path / "o").exists()


@pytest.mark.parametrize("command", ["render", "watch"])
def test_output_path_that_is_a_file_is_a_usage_error(
    command: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    output = tmp_path / "output"
    output.write_text("a file")
    code, _, err = run([command, "--watched", str(tmp_path), "--output", str(output)], capsys)
    assert code == 2
    assert err == f"toolkit: {output} 是一个文件，不是文件夹（请用 --output 指定输出文件夹）\n"


def test_unreadable_watched_folder_exits_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from toolkit import intake

    def refuse(folder: Path) -> list[Path]:
        raise PermissionError(13, "Permission denied", str(folder))

    monkeypatch.setattr(intake, "scan_folder", refuse)
    code, _, err = run(["render", "--watched", str(tmp_path), "--output", str(tmp_path / "o")], capsys)
    assert code == 1
    assert err == f"toolkit: {tmp_path}: Permission denied\n"


def test_missing_template_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "我的模板.docx"
    code, _, err = run(
        ["render", "--watched", str(tmp_path), "--output", str(tmp_path / "o"), "--template", str(missing)],
        capsys,
    )
    assert code == 2
    assert err.startswith(f"toolkit: 我的模板.docx：找不到或无法读取 Word 模板 {missing}（")
    assert err.endswith("请检查 --template 或 toolkit.toml 中的 template 设置 [template.missing]\n")


def test_every_outcome_has_words() -> None:
    from toolkit.cli import _RESULT_WORDS
    from toolkit.records import Outcome

    assert set(_RESULT_WORDS) == set(Outcome)


def test_capital_prints_only_the_capitals(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["capital", "50000"], capsys) == (0, "伍万元整\n", "")


def test_capital_prefix_and_several_amounts(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["capital", "--prefix", "1409.50", "¥325.04"], capsys)
    assert code == 0
    assert out == "人民币壹仟肆佰零玖元伍角整\n人民币叁佰贰拾伍元零肆分\n"


def test_capital_bad_amount_keeps_lines_aligned(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(["capital", "10", "abc", "--", "-5", "20"], capsys)
    assert code == 1
    assert out == "壹拾元整\n\n\n贰拾元整\n"
    assert "'abc'" in err and "'-5'" in err


def test_capital_reads_stdin(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO("50000\n1.005\n-1\n0.5\n"))
    code, out, err = run(["capital"], capsys)
    assert code == 1
    assert out.splitlines() == ["伍万元整", "", "", "伍角整"]
    assert err.count("\n") == 2


def test_capital_pipe_through_a_real_process() -> None:
    amounts = "\n".join(str(i) for i in range(1, 2001)) + "\n"
    done = subprocess.run(
        [sys.executable, "-m", "toolkit", "capital"], input=amounts.encode(), capture_output=True, check=False
    )
    lines = done.stdout.decode("utf-8").splitlines()
    assert done.returncode == 0
    assert len(lines) == 2000
    assert lines[0] == "壹元整" and lines[1999] == "贰仟元整"


def test_check_reports_cell_and_code(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], make_workbook
) -> None:  # type: ignore[no-untyped-def]
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(make_workbook(plain_rows([("张三", 100), ("李四", "abc")])))
    code, out, _ = run(["check", str(bad)], capsys)
    assert code == 1
    assert "C4" in out and "[amount.not_a_number]" in out


def test_check_json(tmp_path: Path, capsys: pytest.CaptureFixture[str], make_workbook) -> None:  # type: ignore[no-untyped-def]
    good = tmp_path / "good.xlsx"
    good.write_bytes(make_workbook(plain_rows([("张三", 100)], total=100)))
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(b"not a workbook at all")
    code, out, _ = run(["check", "--json", str(good), str(bad)], capsys)
    assert code == 1
    problems = json.loads(out)
    assert {p["file"] for p in problems if p["severity"] == "error"} == {"bad.xlsx"}
    assert set(problems[0]) == {"file", "sheet", "cell", "code", "severity", "value", "message"}


def test_check_valid_file_exits_0(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], seed_bytes: bytes
) -> None:
    path = tmp_path / "seed.xlsx"
    path.write_bytes(seed_bytes)
    code, out, _ = run(["check", str(path)], capsys)
    assert code == 0, out
    assert "没有发现问题" in out


def test_output_survives_a_gbk_console(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, make_workbook
) -> None:  # type: ignore[no-untyped-def]
    """A donor name with characters GBK cannot encode must not crash the summary on a GBK console."""
    watched = tmp_path / "watched"
    watched.mkdir()
    (watched / "a.xlsx").write_bytes(make_workbook(plain_rows([("😀 Café Ω", "abc")])))
    raw_out, raw_err = io.BytesIO(), io.BytesIO()
    gbk_out = io.TextIOWrapper(raw_out, encoding="gbk")
    gbk_err = io.TextIOWrapper(raw_err, encoding="gbk")
    monkeypatch.setattr(sys, "stdout", gbk_out)
    monkeypatch.setattr(sys, "stderr", gbk_err)
    code = main(["render", "--watched", str(watched), "--output", str(tmp_path / "out")])
    gbk_out.flush()
    gbk_err.flush()
    assert code == 1
    assert "a.xlsx" in raw_out.getvalue().decode("gbk")


HEAVY = "{'openpyxl','xlsxwriter','python_calamine','docxtpl','docx','jinja2','lxml','watchdog'}"


def imported_heavy_modules(snippet: str) -> str:
    """Run ``snippet`` in a fresh interpreter; return the heavy modules it imported, as printed."""
    code = f"import sys\n{snippet}\nprint(sorted({HEAVY} & set(sys.modules)))"
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, check=True, text=True, encoding="utf-8"
    )
    return done.stdout.strip().splitlines()[-1]


def test_capital_imports_nothing_heavy() -> None:
    assert imported_heavy_modules("import toolkit.cli as c; c.main(['capital', '1'])") == "[]"


def test_help_imports_nothing_heavy() -> None:
    snippet = "import toolkit, toolkit.cli as c\ntry:\n    c.main(['--help'])\nexcept SystemExit:\n    pass"
    assert imported_heavy_modules(snippet) == "[]"


def test_render_uses_the_config_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], make_workbook
) -> None:  # type: ignore[no-untyped-def]
    from docx import Document

    watched = tmp_path / "watched"
    watched.mkdir()
    (watched / "a.xlsx").write_bytes(make_workbook(plain_rows([("张三", 100)])))
    config = tmp_path / "my.toml"
    config.write_text('masthead = "某某协会工作简报"\nissue = "第三期"\ngroups = 2\n', encoding="utf-8")
    code, _, _ = run(
        ["render", "--watched", str(watched), "--output", str(tmp_path / "out"), "--config", str(config)],
        capsys,
    )
    assert code == 0
    doc = Document(str(tmp_path / "out" / "a.docx"))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "某某协会工作简报" in text and "第三期" in text
    assert len(doc.tables[0].columns) == 6  # two groups of 序号/姓名/金额


def test_bad_config_is_a_usage_error_naming_the_key(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "toolkit.toml"
    config.write_text("groups = 9\n", encoding="utf-8")
    code, _, err = run(["render", "--watched", str(tmp_path), "--config", str(config)], capsys)
    assert code == 2
    assert "设置项 groups" in err and "[settings.invalid]" in err


def test_render_pdf_without_libreoffice_says_how_to_install_it_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, make_workbook
) -> None:  # type: ignore[no-untyped-def]
    from toolkit.publish import pdf

    monkeypatch.setattr(pdf, "find_libreoffice", lambda: None)
    watched = tmp_path / "watched"
    watched.mkdir()
    for name in ("a", "b"):
        (watched / f"{name}.xlsx").write_bytes(make_workbook(plain_rows([("张三", 100)], total=100)))
    code, out, err = run(
        ["render", "--watched", str(watched), "--output", str(tmp_path / "o"), "--pdf"], capsys
    )
    assert code == 0  # the bulletins are there; only the PDFs are missing
    assert err.count("没有找到 LibreOffice") == 1
    assert "apt-get install libreoffice-writer-nogui" in err
    assert out.splitlines()[-1] == "共 2 个文件：已生成 2 个"


def test_render_pdf_failure_names_the_bulletin(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, make_workbook
) -> None:  # type: ignore[no-untyped-def]
    from toolkit.errors import PdfFailed, Problem
    from toolkit.publish import pdf

    def fail(docx: Path, **_: object) -> Path:
        raise PdfFailed(Problem("pdf.failed", "LibreOffice 转换失败（退出码 77）", file=docx.name))

    monkeypatch.setattr(pdf, "find_libreoffice", lambda: "soffice")
    monkeypatch.setattr(pdf, "convert_to_pdf", fail)
    watched = tmp_path / "watched"
    watched.mkdir()
    (watched / "a.xlsx").write_bytes(make_workbook(plain_rows([("张三", 100)], total=100)))
    code, _, err = run(
        ["render", "--watched", str(watched), "--output", str(tmp_path / "o"), "--pdf"], capsys
    )
    assert code == 0
    assert err == "a.docx: PDF 生成失败：LibreOffice 转换失败（退出码 77）\n"


def test_init_allows_one_to_the_groups_limit(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from toolkit.settings import MAX_GROUPS

    code, _, err = run(["init", str(tmp_path / "a.xlsx"), "--groups", str(MAX_GROUPS + 1)], capsys)
    assert (code, err) == (2, f"toolkit: --groups 应在 1 到 {MAX_GROUPS} 之间\n")
    assert not (tmp_path / "a.xlsx").exists()
    code, out, _ = run(["init", str(tmp_path / "a.xlsx"), "--groups", str(MAX_GROUPS)], capsys)
    assert code == 0
    assert (tmp_path / "a.xlsx").is_file()
