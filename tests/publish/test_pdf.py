"""PDFs of the bulletins: which bulletins get one, what a failure says, and what LibreOffice makes.

The policy tests stand in for LibreOffice. The tests marked ``needs_libreoffice`` need ``soffice``
(libreoffice-writer-nogui) and ``pdftotext`` (poppler-utils); ``.ci/run`` installs both. Without
them those tests skip and say why.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.workbooks import SEED_DONORS, SEED_ORG, seed_settings
from toolkit.cli import main
from toolkit.errors import PdfFailed, Problem
from toolkit.pipeline import render_folder
from toolkit.publish import pdf as pdf_module
from toolkit.publish.pdf import PdfOutcome, PdfResult, convert_to_pdf, pdf_is_stale, write_pdfs
from toolkit.publish.safekeeping import HISTORY_DIR, Keeper

needs_libreoffice = pytest.mark.skipif(
    shutil.which("soffice") is None or shutil.which("pdftotext") is None,
    reason="LibreOffice (soffice) or pdftotext (poppler-utils) is not installed",
)

INSTALL_HINT = "apt-get install libreoffice-writer-nogui"


def bulletins(folder: Path, *names: str) -> list[Path]:
    paths = [folder / f"{name}.docx" for name in names]
    for path in paths:
        path.write_bytes(b"docx")
    return paths


def fake_converter(calls: list[str], fail: set[str]) -> object:
    def convert(docx: Path, *, timeout: float, soffice: str | None, keeper: object = None) -> Path:
        calls.append(docx.name)
        if docx.name in fail:
            raise PdfFailed(Problem("pdf.failed", "LibreOffice 转换失败（退出码 1）", file=docx.name))
        target = docx.with_suffix(".pdf")
        target.write_bytes(b"%PDF")
        return target

    return convert


def test_only_missing_or_stale_pdfs_are_made(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fresh, stale, missing = bulletins(tmp_path, "fresh", "stale", "missing")
    Keeper(tmp_path).write(tmp_path / "stale.pdf", b"%PDF")
    os.utime(tmp_path / "stale.pdf", ns=(0, 0))
    Keeper(tmp_path).write(tmp_path / "fresh.pdf", b"%PDF")
    os.utime(fresh, ns=(0, 0))
    calls: list[str] = []
    monkeypatch.setattr(pdf_module, "find_libreoffice", lambda: "soffice")
    monkeypatch.setattr(pdf_module, "convert_to_pdf", fake_converter(calls, set()))
    results = list(write_pdfs([fresh, stale, missing]))
    assert calls == ["stale.docx", "missing.docx"]
    assert results == [
        PdfResult(stale, PdfOutcome.WRITTEN, pdf=tmp_path / "stale.pdf"),
        PdfResult(missing, PdfOutcome.WRITTEN, pdf=tmp_path / "missing.pdf"),
    ]


def test_a_failed_pdf_does_not_stop_the_next(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first, second = bulletins(tmp_path, "first", "second")
    calls: list[str] = []
    monkeypatch.setattr(pdf_module, "find_libreoffice", lambda: "soffice")
    monkeypatch.setattr(pdf_module, "convert_to_pdf", fake_converter(calls, {"first.docx"}))
    results = list(write_pdfs([first, second]))
    assert [r.outcome for r in results] == [PdfOutcome.FAILED, PdfOutcome.WRITTEN]
    assert results[0].problem is not None and results[0].problem.code == "pdf.failed"


def test_without_libreoffice_one_result_says_how_to_install_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    docs = bulletins(tmp_path, "a", "b")
    monkeypatch.setattr(pdf_module, "find_libreoffice", lambda: None)
    [result] = write_pdfs(docs)
    assert (result.docx, result.outcome, result.pdf) == (docs[0], PdfOutcome.NO_LIBREOFFICE, None)
    assert result.problem is not None and result.problem.code == "pdf.no_libreoffice"
    assert INSTALL_HINT in result.problem.message


def test_missing_libreoffice_says_how_to_install(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(shutil, "which", lambda name: None)
    with pytest.raises(PdfFailed) as info:
        convert_to_pdf(tmp_path / "x.docx")
    [problem] = info.value.problems
    assert problem.code == "pdf.no_libreoffice"
    assert INSTALL_HINT in problem.message


def test_a_failing_converter_is_a_pdf_failure(tmp_path: Path) -> None:
    [docx] = bulletins(tmp_path, "x")
    # Python is no LibreOffice: it refuses LibreOffice's options and exits with an error.
    with pytest.raises(PdfFailed) as info:
        convert_to_pdf(docx, soffice=sys.executable)
    [problem] = info.value.problems
    assert problem.code == "pdf.failed"
    assert problem.message.startswith("LibreOffice 转换失败（退出码 2）")
    assert not (tmp_path / "x.pdf").exists()


@pytest.mark.skipif(os.name != "posix", reason="the stand-in converter is a shell script")
def test_a_converter_that_hangs_is_stopped(tmp_path: Path) -> None:
    [docx] = bulletins(tmp_path, "x")
    hang = tmp_path / "soffice"
    hang.write_text("#!/bin/sh\nexec sleep 60\n")
    hang.chmod(0o755)
    with pytest.raises(PdfFailed) as info:
        convert_to_pdf(docx, soffice=str(hang), timeout=0.5)
    [problem] = info.value.problems
    assert problem.code == "pdf.timeout"
    assert problem.message == "LibreOffice 超过 0 秒没有完成"


@pytest.mark.skipif(os.name != "posix", reason="the stand-in converter is a shell script")
@pytest.mark.parametrize("name", ["-rf.docx", "--pidfile=捐款名单.docx", "--infilter=x.docx"])
def test_no_file_name_reaches_the_command_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    # Run from the folder that holds the bulletin, as `toolkit render --output .` does.
    monkeypatch.chdir(tmp_path)
    (tmp_path / name).write_bytes(b"docx")
    argv = tmp_path / "argv.txt"
    fake = tmp_path / "soffice"
    fake.write_text(
        "#!/bin/sh\n"
        f"printf '%s\\n' \"$@\" > '{argv}'\n"
        'for a in "$@"; do last="$a"; done\n'
        'while [ "$1" != "--outdir" ]; do shift; done\n'
        'base=$(basename "$last" .docx)\n'
        "printf '%%PDF' > \"$2/$base.pdf\"\n"
    )
    fake.chmod(0o755)
    pdf = convert_to_pdf(Path(name), soffice=str(fake))
    assert pdf == Path(name).with_suffix(".pdf")
    assert (tmp_path / pdf).read_bytes() == b"%PDF"
    args = argv.read_text(encoding="utf-8").splitlines()
    assert not any(Path(name).stem in arg for arg in args), args
    documents = [arg for arg in args[1:] if not arg.startswith("-") and arg != "pdf"]
    assert len(documents) == 2 and all(Path(d).is_absolute() for d in documents)  # the outdir and the copy


def stand_in_soffice(folder: Path, content: str) -> str:
    """A converter that writes ``content`` as the PDF of the last argument into ``--outdir``."""
    script = folder / "soffice"
    script.write_text(
        "#!/bin/sh\n"
        'out=""; prev=""; last=""\n'
        'for a in "$@"; do [ "$prev" = "--outdir" ] && out="$a"; prev="$a"; last="$a"; done\n'
        f'printf "%s" "{content}" > "$out/$(basename "$last" .docx).pdf"\n'
    )
    script.chmod(0o755)
    return str(script)


def test_a_pdf_saved_from_word_is_never_replaced(tmp_path: Path) -> None:
    [docx] = bulletins(tmp_path, "a")
    (tmp_path / "a.pdf").write_bytes(b"%PDF saved from Word")
    os.utime(tmp_path / "a.pdf", ns=(0, 0))
    assert pdf_is_stale(docx)  # its own PDF is missing: the one there is not toolkit's
    if os.name != "posix":
        return
    pdf = convert_to_pdf(docx, soffice=stand_in_soffice(tmp_path, "%PDF new"))
    assert pdf == tmp_path / "a（新版）.pdf"
    assert pdf.read_bytes() == b"%PDF new"
    assert (tmp_path / "a.pdf").read_bytes() == b"%PDF saved from Word"


@pytest.mark.skipif(os.name != "posix", reason="the stand-in converter is a shell script")
def test_a_replaced_pdf_goes_to_the_history_folder(tmp_path: Path) -> None:
    [docx] = bulletins(tmp_path, "a")
    convert_to_pdf(docx, soffice=stand_in_soffice(tmp_path, "%PDF one"))
    pdf = convert_to_pdf(docx, soffice=stand_in_soffice(tmp_path, "%PDF two"))
    assert pdf.read_bytes() == b"%PDF two"
    [kept] = (tmp_path / HISTORY_DIR).iterdir()
    assert kept.read_bytes() == b"%PDF one"


# ---------------------------------------------------------------- with LibreOffice


def pdf_text(pdf: Path) -> str:
    done = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, check=True)
    return done.stdout.decode("utf-8")


def pdf_pages(pdf: Path) -> int:
    done = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, check=True, text=True)
    match = re.search(r"^Pages:\s+(\d+)", done.stdout, re.M)
    assert match is not None
    return int(match.group(1))


@pytest.fixture(scope="module")
def sample_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    repo = Path(__file__).resolve().parents[2]
    output = tmp_path_factory.mktemp("output")
    [result] = render_folder(repo / "watched", output, settings=seed_settings())  # as the Quick start
    assert result.output is not None
    return convert_to_pdf(result.output)


@needs_libreoffice
@pytest.mark.timeout(300)
def test_sample_pdf_shows_the_bulletin(sample_pdf: Path) -> None:
    text = re.sub(r"\s+", "", pdf_text(sample_pdf))
    for expected in (
        "全国质协系统抗击疫情防控工作",
        "第八期",
        "中国质量协会宣传部",
        "15538.27",
        "20945.73",
        "伍万元整",
        "收款人",
        "朱蕊",
        "监督人",
        "刘刚",
        SEED_ORG,
        "2020年2月5日",
        "报送",
        "抄报",
        "发送",
    ):
        assert expected in text, expected
    for name, _ in SEED_DONORS:
        assert name in text, name


@needs_libreoffice
@pytest.mark.timeout(300)
def test_sample_fits_on_two_pages(sample_pdf: Path) -> None:
    assert pdf_pages(sample_pdf) <= 2


@needs_libreoffice
@pytest.mark.timeout(300)
def test_render_pdf_flag(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    repo = Path(__file__).resolve().parents[2]
    code = main(["render", "--watched", str(repo / "watched"), "--output", str(tmp_path), "--pdf"])
    assert code == 0
    assert (tmp_path / "捐款名单.pdf").is_file()
    assert "PDF" in capsys.readouterr().out


@needs_libreoffice
@pytest.mark.timeout(600)
def test_names_that_look_like_options_are_converted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from tests.workbooks import build_workbook, plain_rows

    monkeypatch.chdir(tmp_path)
    (tmp_path / "toolkit.toml").write_text("", encoding="utf-8")  # no settings notice
    watched = tmp_path / "watched"
    watched.mkdir()
    for name in ("-rf.xlsx", "--pidfile=捐款名单.xlsx"):
        (watched / name).write_bytes(build_workbook(plain_rows([("张三", 100)], total=100)))
    code = main(["render", "--watched", "watched", "--output", ".", "--pdf"])
    out, err = capsys.readouterr()
    assert (code, err) == (0, "")
    assert pdf_text(tmp_path / "-rf.pdf").count("张三") == 1
    assert pdf_text(tmp_path / "--pidfile=捐款名单.pdf").count("张三") == 1
