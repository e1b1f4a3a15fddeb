"""The rendered sample opens in LibreOffice and its PDF shows everything the clerk expects.

These tests need ``soffice`` (libreoffice-writer-nogui) and ``pdftotext`` (poppler-utils);
``.ci/run`` installs both. Without them the tests skip and say why.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.workbooks import SEED_DONORS, SEED_ORG
from toolkit.cli import main
from toolkit.pipeline import render_folder
from toolkit.publish import convert_to_pdf

pytestmark = [
    pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed"),
    pytest.mark.skipif(
        shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) is not installed"
    ),
    pytest.mark.timeout(300),
]


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
    repo = Path(__file__).resolve().parent.parent
    output = tmp_path_factory.mktemp("output")
    [result] = render_folder(repo / "watched", output)
    assert result.output is not None
    return convert_to_pdf(result.output)


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


def test_sample_fits_on_two_pages(sample_pdf: Path) -> None:
    assert pdf_pages(sample_pdf) <= 2


def test_render_pdf_flag(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    repo = Path(__file__).resolve().parent.parent
    code = main(["render", "--watched", str(repo / "watched"), "--output", str(tmp_path), "--pdf"])
    assert code == 0
    assert (tmp_path / "捐款名单.pdf").is_file()
    assert "PDF" in capsys.readouterr().out


def test_missing_libreoffice_says_how_to_install(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(shutil, "which", lambda name: None)
    with pytest.raises(FileNotFoundError) as info:
        convert_to_pdf(tmp_path / "x.docx")
    assert "apt-get install libreoffice-writer-nogui" in str(info.value)
