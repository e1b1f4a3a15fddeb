"""The command line, run in-process through ``main(argv)``: exit codes and exact messages."""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.console import StrictGbk, child_encoding, run
from tests.workbooks import build_workbook, plain_rows
from toolkit.cli import main
from toolkit.messages import NO_SETTINGS, prefixed

NOTICE = prefixed(NO_SETTINGS) + "\n"
"""The line render and watch print first while no settings file is found (tests run in the repository)."""


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
    assert err == NOTICE + f"toolkit：找不到文件夹 {nope}（请用 --watched 指定{purpose}）\n"
    assert not (tmp_path / "o").exists()


def test_a_missing_workbook_or_a_folder_named_to_render_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "子文件夹").mkdir()
    argv = ["render", "不存在.xlsx", str(tmp_path / "子文件夹"), "--watched", str(tmp_path)]
    code, out, err = run([*argv, "--output", str(tmp_path / "o")], capsys)
    assert (code, out) == (2, "")
    assert "找不到文件 不存在.xlsx" in err and "子文件夹 是文件夹，不是表格文件" in err


@pytest.mark.parametrize("command", ["render", "watch"])
def test_output_path_that_is_a_file_is_a_usage_error(
    command: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    output = tmp_path / "output"
    output.write_text("a file")
    code, _, err = run([command, "--watched", str(tmp_path), "--output", str(output)], capsys)
    assert code == 2
    assert err == NOTICE + f"toolkit：{output} 是一个文件，不是文件夹（请用 --output 指定输出文件夹）\n"


def test_unreadable_watched_folder_exits_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from toolkit import intake

    def refuse(folder: Path) -> list[Path]:
        raise PermissionError(13, "Permission denied", str(folder))

    monkeypatch.setattr(intake, "scan_folder", refuse)
    code, _, err = run(["render", "--watched", str(tmp_path), "--output", str(tmp_path / "o")], capsys)
    assert code == 1
    assert err == NOTICE + f"toolkit：无法打开文件夹 {tmp_path}（没有权限）。请检查 --watched 的路径和权限\n"


def test_missing_template_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "我的模板.docx"
    code, _, err = run(
        ["render", "--watched", str(tmp_path), "--output", str(tmp_path / "o"), "--template", str(missing)],
        capsys,
    )
    assert code == 2
    assert err.startswith(NOTICE + f"toolkit：我的模板.docx：找不到或无法读取 Word 模板 {missing}（")
    assert err.endswith("请检查 --template 或 toolkit.toml 中的 template 设置 [template.missing]\n")


def test_every_outcome_has_words() -> None:
    from toolkit.messages import OUTCOME_COUNTS, OUTCOME_WORDS
    from toolkit.records import Outcome

    assert set(OUTCOME_WORDS) == set(OUTCOME_COUNTS) == set(Outcome)


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
    assert "toolkit capital：“abc”：" in err and "“-5”" in err


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
    lines = done.stdout.decode(child_encoding()).splitlines()
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


def test_check_json_keeps_every_character_on_a_gbk_console(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file named 😀表𠮷.xlsx: on a GBK console the JSON escapes what GBK cannot show."""
    bad = tmp_path / "😀表𠮷.xlsx"
    bad.write_bytes(b"not a workbook at all")
    console = StrictGbk()
    monkeypatch.setattr(sys, "stdout", console)
    assert main(["check", "--json", str(bad)]) == 1
    assert {p["file"] for p in json.loads(console.text)} == {"😀表𠮷.xlsx"}


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
        [sys.executable, "-c", code], capture_output=True, check=True, text=True, encoding=child_encoding()
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
    assert code == 1  # the bulletins are there, but the PDFs asked for are not
    assert err.count("没有找到 LibreOffice") == 1
    assert "apt-get install libreoffice-writer-nogui" in err
    assert err.splitlines()[-1] == "toolkit：有 1 个 PDF 没有生成，所以退出码为 1；简报（.docx）都已生成"
    assert out.splitlines()[-1] == "共 2 个文件：已生成 2 个"
    assert (tmp_path / "o" / "a.docx").is_file() and (tmp_path / "o" / "b.docx").is_file()


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
    assert code == 1
    assert (
        err.splitlines()[1] == "a.docx：PDF 没有生成：LibreOffice 转换失败（退出码 77）"
    )  # after the notice


# ---------------------------------------------------------------- what a clerk reads


def two_files(folder: Path, make_workbook) -> None:  # type: ignore[no-untyped-def]
    folder.mkdir()
    (folder / "good.xlsx").write_bytes(make_workbook(plain_rows([("张三", 100), ("李四", 200)], total=300)))
    (folder / "bad.xlsx").write_bytes(make_workbook(plain_rows([("张三", 100), ("李四", "abc")], total=900)))


def test_render_summaries_are_chinese_and_a_rejected_file_shows_no_total(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], make_workbook
) -> None:  # type: ignore[no-untyped-def]
    watched, output = tmp_path / "watched", tmp_path / "output"
    two_files(watched, make_workbook)
    code, out, _ = run(["render", "--watched", str(watched), "--output", str(output)], capsys)
    assert code == 1
    lines = out.splitlines()
    bad = next(line for line in lines if line.startswith("bad.xlsx: "))
    assert re.fullmatch(r"bad\.xlsx: 有错误，未生成，共 2 处问题（2 处错误），\d+\.\d\d 秒", bad)
    assert "位捐赠人" not in bad and "合计" not in bad
    good = next(line for line in lines if line.startswith("good.xlsx: "))
    assert re.fullmatch(
        rf"good\.xlsx: 已生成，2 位捐赠人，合计 300 元，\d+\.\d\d 秒 → {re.escape(str(output))}.good\.docx（第一期）",
        good,
    )
    assert "  错误 捐款名单 > C4：金额“abc”不是数字" in out
    assert lines[-1] == "共 2 个文件：已生成 1 个，有错误未生成 1 个"
    assert not re.search(r"rendered|rejected|unchanged", out)

    code, out, _ = run(["render", "--watched", str(watched), "--output", str(output)], capsys)
    assert re.search(r"^good\.xlsx: 未变化，跳过，\d+\.\d\d 秒$", out, re.M)
    assert out.splitlines()[-1] == "共 2 个文件：未变化 2 个"


def test_global_options_work_before_the_command(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], make_workbook
) -> None:  # type: ignore[no-untyped-def]
    watched, output = tmp_path / "watched", tmp_path / "output"
    two_files(watched, make_workbook)
    code, out, _ = run(["-q", "render", "--watched", str(watched), "--output", str(output)], capsys)
    assert code == 1
    assert "bad.xlsx: " in out and "good.xlsx" not in out  # quiet: only the problems


def test_capital_on_a_terminal_prints_its_usage_instead_of_waiting(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

        def __iter__(self):  # type: ignore[no-untyped-def]
            raise AssertionError("toolkit capital waited for input on a terminal")

    monkeypatch.setattr(sys, "stdin", Terminal())
    code, out, err = run(["capital"], capsys)
    assert (code, out) == (2, "")
    assert err.startswith("用法：toolkit capital ")
    assert "toolkit capital 50000" in err


def test_internal_error_is_one_sentence_and_a_crash_file_in_the_output_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from toolkit import pipeline

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("a bug of ours")

    monkeypatch.setattr(pipeline, "render_folder", broken)
    output = tmp_path / "output"
    code, out, err = run(["render", "--watched", str(tmp_path), "--output", str(output)], capsys)
    assert (code, out) == (1, "")
    crashes = list(output.glob("toolkit-crash-*.txt"))
    assert len(crashes) == 1
    assert err == NOTICE + (
        f"toolkit：toolkit 出了内部错误（RuntimeError），不是你操作的问题。详细记录已写入 {crashes[0]}，"
        "请把这个文件和你的表格发给维护人员\n"
    )
    text = crashes[0].read_bytes()
    assert text.startswith(b"\xef\xbb\xbf") and b"\r\n" in text
    assert "RuntimeError: a bug of ours" in text.decode("utf-8-sig")
    assert "Traceback" not in err

    code, _, err = run(["render", "-v", "--watched", str(tmp_path), "--output", str(output)], capsys)
    assert code == 1
    assert "Traceback (most recent call last)" in err and "RuntimeError: a bug of ours" in err
    assert err.splitlines()[-1].startswith("toolkit：toolkit 出了内部错误（RuntimeError）")


def test_internal_error_without_an_output_folder_goes_to_the_temp_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import tempfile

    from toolkit import money

    def broken(*args: object, **kwargs: object) -> str:
        raise ZeroDivisionError("oops")

    monkeypatch.setattr(money, "to_capitals", broken)
    monkeypatch.setattr(tempfile, "gettempdir", lambda: str(tmp_path))
    code, _, err = run(["capital", "1"], capsys)
    assert code == 1
    (crash,) = tmp_path.glob("toolkit-crash-*.txt")
    assert str(crash) in err and "ZeroDivisionError" in crash.read_text("utf-8-sig")
    assert "命令：toolkit capital 1" in crash.read_text("utf-8-sig")


def test_launcher_writes_the_three_launchers_and_a_watched_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(["launcher", str(tmp_path)], capsys)
    assert code == 0
    names = ["生成简报.cmd", "生成简报.command", "生成简报.sh"]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([*names, "watched"])
    assert out.startswith(
        f"已在 {tmp_path.resolve()} 写入 生成简报.cmd、生成简报.command、生成简报.sh。并建立了 watched 文件夹。"
    )
    if os.name != "nt":
        assert os.access(tmp_path / "生成简报.sh", os.X_OK) and os.access(
            tmp_path / "生成简报.command", os.X_OK
        )
    assert os.path.abspath(sys.executable) in (tmp_path / "生成简报.sh").read_text("utf-8")

    code, out, _ = run(["launcher", str(tmp_path)], capsys)  # again: replaced, watched kept
    assert code == 0 and "并建立了" not in out


def test_launcher_into_a_missing_folder_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(["launcher", str(tmp_path / "nope")], capsys)
    assert code == 2
    assert err == f"toolkit：文件夹 {tmp_path / 'nope'} 不存在，请先建立它，或换一个文件夹\n"


def test_the_launcher_script_renders_its_own_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], seed_bytes: bytes
) -> None:
    """Run the Linux launcher as a double-click would: from another folder, a key pressed at the end."""
    if os.name == "nt" or not Path("/bin/bash").exists():
        pytest.skip("needs bash")
    folder = tmp_path / "捐款"
    folder.mkdir()
    run(["launcher", str(folder)], capsys)
    (folder / "watched" / "捐款名单.xlsx").write_bytes(seed_bytes)
    env = dict(os.environ, PYTHONIOENCODING="utf-8")
    done = subprocess.run(
        ["/bin/bash", str(folder / "生成简报.sh")],
        input=b"x",
        capture_output=True,
        cwd=tmp_path,
        env=env,
        timeout=120,
    )
    out = done.stdout.decode("utf-8")
    assert done.returncode == 0, done.stderr.decode("utf-8", "replace")
    assert "捐款名单.xlsx: 已生成，45 位捐赠人，合计 50000 元" in out
    assert (folder / "output" / "捐款名单.docx").is_file()


def test_every_printed_line_fits_a_gbk_console(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, make_workbook
) -> None:  # type: ignore[no-untyped-def]
    """Help, a bad option, a render with problems, a check and capitals, through a strict GBK console."""
    watched, output = tmp_path / "watched", tmp_path / "output"
    two_files(watched, make_workbook)
    console_out, console_err = StrictGbk(), StrictGbk()
    monkeypatch.setattr(sys, "stdout", console_out)
    monkeypatch.setattr(sys, "stderr", console_err)
    for argv in (
        ["--help"],
        *([c, "--help"] for c in ("render", "check", "capital", "watch", "init", "template", "launcher")),
        ["render", "--frobnicate"],
        ["render", "--watched", str(watched), "--output", str(output)],
        ["check", str(watched / "bad.xlsx"), str(watched / "good.xlsx")],
        ["capital", "50000", "abc"],
        ["render", "--watched", str(tmp_path / "nope")],
    ):
        main(argv)
    assert "有错误，未生成" in console_out.text and "伍万元整" in console_out.text


def test_init_allows_one_to_the_groups_limit(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from toolkit.settings import MAX_GROUPS

    code, _, err = run(["init", str(tmp_path / "a.xlsx"), "--groups", str(MAX_GROUPS + 1)], capsys)
    assert (code, err) == (2, f"toolkit：--groups 要在 1 到 {MAX_GROUPS} 之间\n")
    assert not (tmp_path / "a.xlsx").exists()
    code, out, _ = run(["init", str(tmp_path / "a.xlsx"), "--groups", str(MAX_GROUPS)], capsys)
    assert code == 0
    assert (tmp_path / "a.xlsx").is_file()


def test_template_check_speaks_chinese(capsys: pytest.CaptureFixture[str]) -> None:
    template = Path(__file__).resolve().parent.parent / "templates" / "bulletin.docx"
    code, out, _ = run(["template", "check", str(template)], capsys)
    assert code == 0
    assert out.startswith("bulletin.docx: 可以使用（名单表格可快速生成）\n用到的变量：")
    assert "  total_capitals   合计金额的大写，如 伍万元整" in out


@pytest.mark.skipif(os.name != "posix", reason="symbolic links made here need POSIX")
def test_a_folder_of_links_only_is_not_called_empty(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], make_workbook
) -> None:  # type: ignore[no-untyped-def]
    watched, elsewhere = tmp_path / "watched", tmp_path / "elsewhere"
    watched.mkdir()
    elsewhere.mkdir()
    (elsewhere / "list.xlsx").write_bytes(make_workbook(plain_rows([("张三", 100)], total=100)))
    (watched / "list.xlsx").symlink_to(elsewhere / "list.xlsx")
    code, out, err = run(["render", "--watched", str(watched), "--output", str(tmp_path / "o")], capsys)
    assert code == 1
    assert "没有表格文件" not in err
    assert out.startswith("list.xlsx: 有错误，未生成")
    assert "符号链接" in out and "[file.symlink]" in out


def test_a_bulletin_whose_record_could_not_be_saved_exits_1_and_says_what_is_true(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, make_workbook
) -> None:  # type: ignore[no-untyped-def]
    import errno

    from toolkit.publish.state import StateStore

    def full(self: StateStore, state: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    watched = tmp_path / "watched"
    watched.mkdir()
    (watched / "a.xlsx").write_bytes(make_workbook(plain_rows([("张三", 100)], total=100)))
    argv = ["render", "--watched", str(watched), "--output", str(tmp_path / "o")]
    with monkeypatch.context() as m:
        m.setattr(StateStore, "put", full)
        code, out, _ = run(argv, capsys)
    assert code == 1
    assert out.startswith("a.xlsx: 已生成")
    assert "简报已写好，可以使用；但没能记下这次处理" in out and "磁盘已满" in out
    assert "未完成" not in out
    code, out, _ = run(argv, capsys)
    assert (code, out.split("，")[:2]) == (0, ["a.xlsx: 未变化", "跳过"])


def test_library_warnings_never_reach_the_console(tmp_path: Path) -> None:
    """A library's Python warning (watchdog's duplicate-callback RuntimeWarning, openpyxl's
    UserWarnings) goes to the log, shown with -v only."""
    script = (
        "import sys, warnings\n"
        "import toolkit.pipeline as p\n"
        "real = p.check_workbook\n"
        "def noisy(*a, **k):\n"
        "    warnings.warn(\"Callback with id '1' already exists for watch <Watch: wd=1>\", RuntimeWarning)\n"
        "    warnings.warn('Data Validation extension is not supported', UserWarning)\n"
        "    return real(*a, **k)\n"
        "p.check_workbook = noisy\n"
        "from toolkit.cli import main\n"
        "sys.exit(main(sys.argv[1:]))\n"
    )
    watched = tmp_path / "watched"
    watched.mkdir()
    (watched / "a.xlsx").write_bytes(build_workbook(plain_rows([("张三", 100)], total=100)))
    (tmp_path / "toolkit.toml").write_text("", encoding="utf-8")  # a settings file: no notice either
    argv = [sys.executable, "-W", "default", "-c", script, "render", "--watched", str(watched)]
    quiet = subprocess.run(
        [*argv, "--output", str(tmp_path / "q")],
        capture_output=True,
        encoding=child_encoding(),
        check=False,
        cwd=tmp_path,
    )
    assert quiet.returncode == 0, quiet.stderr
    assert quiet.stderr == ""
    assert "Warning" not in quiet.stdout
    loud = subprocess.run(
        [*argv, "--output", str(tmp_path / "v"), "-v"],
        capture_output=True,
        encoding=child_encoding(),
        check=False,
    )
    assert "Callback with id" in loud.stderr and "py.warnings" in loud.stderr


def test_a_reader_that_goes_away_gets_no_error_message() -> None:
    """``toolkit capital … | head -1``: when the pipe closes, toolkit stops without a word on stderr."""
    amounts = [str(n) for n in range(1, 30001)]
    with subprocess.Popen(
        [sys.executable, "-m", "toolkit", "capital", *amounts],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
    ) as proc:
        assert proc.stdout is not None and proc.stderr is not None
        assert proc.stdout.readline().decode("utf-8").strip() == "壹元整"
        proc.stdout.close()
        err = proc.stderr.read()
        assert proc.wait(timeout=60) == 1
    assert err == b""


def test_verbose_log_lines_are_chinese(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """``-v`` shows toolkit's own diagnostics, level and sentence in Chinese."""
    (tmp_path / "旧名单.xlsx").mkdir()  # a folder named like a workbook is skipped
    code, _, err = run(
        ["render", "-v", "--watched", str(tmp_path), "--output", str(tmp_path / "out")], capsys
    )
    assert code == 0
    assert "信息 toolkit.intake：跳过 旧名单.xlsx：是文件夹" in err
    assert "INFO" not in err
