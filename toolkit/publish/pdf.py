"""PDFs of the bulletins (``toolkit render --pdf``), made by LibreOffice.

`write_pdfs` holds the policy: a bulletin gets a new PDF when its PDF is missing or older than it
(so unchanged bulletins without a PDF get one too); a failed conversion is reported and the next
bulletin is tried; without LibreOffice there is one result that says how to install it, and no
further attempts. `convert_to_pdf` converts one bulletin. A PDF is a bulletin too: the one it
replaces goes to the history folder, and a PDF toolkit did not write (one saved from Word) is
never replaced; the new one is written beside it (`toolkit.publish.safekeeping.Keeper`).
"""

from __future__ import annotations

import enum
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from toolkit import codes
from toolkit.errors import PdfFailed, Problem
from toolkit.publish.safekeeping import Keeper

__all__ = [
    "TIMEOUT_SECONDS",
    "PdfOutcome",
    "PdfResult",
    "convert_to_pdf",
    "find_libreoffice",
    "pdf_is_stale",
    "write_pdfs",
]

TIMEOUT_SECONDS = 180.0
"""Longest wait for LibreOffice to convert one bulletin."""

_WORK_NAME = "bulletin.docx"
"""The name LibreOffice sees: a copy of the bulletin in a private temp folder, never the clerk's name."""

_INSTALL = (
    "没有找到 LibreOffice，无法生成 PDF。Windows：从 libreoffice.org 下载安装；"
    "Debian/Ubuntu：sudo apt-get install libreoffice-writer-nogui fonts-noto-cjk；"
    "macOS：brew install --cask libreoffice。也可以在 Word/WPS 中“另存为 PDF”。"
)


class PdfOutcome(enum.Enum):
    """How the PDF of one bulletin ended."""

    WRITTEN = "written"
    """The PDF was written beside the bulletin."""
    FAILED = "failed"
    """LibreOffice failed or took too long on this bulletin; the next one is still tried."""
    NO_LIBREOFFICE = "no_libreoffice"
    """LibreOffice is not installed: no PDF is made for this bulletin or any after it."""


@dataclass(frozen=True, slots=True)
class PdfResult:
    """What ``--pdf`` did for one bulletin.

    Attributes:
        docx: the bulletin.
        outcome: see `PdfOutcome`.
        pdf: the PDF written (`PdfOutcome.WRITTEN` only).
        problem: why there is no PDF (``pdf.failed``, ``pdf.timeout``, ``pdf.no_libreoffice``).
    """

    docx: Path
    outcome: PdfOutcome
    pdf: Path | None = None
    problem: Problem | None = None


def _pdf_target(docx: Path, keeper: Keeper | None) -> tuple[Path, Keeper]:
    """Where the PDF of ``docx`` goes: beside it with its stem, unless that file is not toolkit's."""
    keeper = keeper or Keeper(docx.parent)
    return keeper.place(docx.with_suffix(".pdf").name, ".pdf"), keeper


def pdf_is_stale(docx: Path, keeper: Keeper | None = None) -> bool:
    """Whether the PDF of ``docx`` is missing or older than it."""
    target, _ = _pdf_target(docx, keeper)
    try:
        return target.stat().st_mtime_ns < docx.stat().st_mtime_ns
    except FileNotFoundError:
        return True


def find_libreoffice() -> str | None:
    """The LibreOffice program (``soffice``), or None when it is not installed."""
    exe = shutil.which("soffice") or shutil.which("libreoffice")
    if exe is None and os.name == "nt":  # pragma: no cover - Windows only
        for base in (os.environ.get("PROGRAMFILES", ""), os.environ.get("PROGRAMFILES(X86)", "")):
            candidate = Path(base) / "LibreOffice" / "program" / "soffice.exe"
            if base and candidate.is_file():
                return str(candidate)
    return exe


def write_pdfs(
    bulletins: Iterable[Path], *, timeout: float = TIMEOUT_SECONDS, keeper: Keeper | None = None
) -> Iterator[PdfResult]:
    """Make the PDF of each bulletin whose PDF is missing or stale; one result per attempt, in order.

    Bulletins whose PDF is up to date are skipped without a result. LibreOffice is looked for once,
    at the first bulletin that needs it. ``keeper`` keeps the output folder's rules (how many
    versions the history folder keeps); by default one with the default history.
    """
    soffice: str | None = None
    for docx in bulletins:
        if not pdf_is_stale(docx, keeper):
            continue
        if soffice is None:
            soffice = find_libreoffice()
            if soffice is None:
                yield PdfResult(docx, PdfOutcome.NO_LIBREOFFICE, problem=_no_libreoffice(docx))
                return
        try:
            pdf = convert_to_pdf(docx, timeout=timeout, soffice=soffice, keeper=keeper)
        except PdfFailed as exc:
            yield PdfResult(docx, PdfOutcome.FAILED, problem=exc.problems[0])
            continue
        yield PdfResult(docx, PdfOutcome.WRITTEN, pdf=pdf)


def _no_libreoffice(docx: Path) -> Problem:
    return Problem(codes.PDF_NO_LIBREOFFICE, _INSTALL, file=docx.name)


def convert_to_pdf(
    docx: Path, *, timeout: float = TIMEOUT_SECONDS, soffice: str | None = None, keeper: Keeper | None = None
) -> Path:
    """Write ``docx`` as PDF beside it with LibreOffice (``soffice --headless``); return the PDF path.

    ``soffice`` is the LibreOffice program; None means look for it (`find_libreoffice`). The PDF
    is written by ``keeper`` (by default one for the bulletin's folder): the PDF it replaces goes
    to the history folder, and one toolkit did not write stays, the new one beside it.

    No file name of the clerk's reaches LibreOffice's command line, where a name such as
    ``-rf.docx`` or ``--pidfile=捐款名单.docx`` would be read as an option: the bulletin is copied
    into a private temp folder under a fixed name, and LibreOffice gets that copy's absolute path.

    Raises:
        PdfFailed: LibreOffice is not installed (``pdf.no_libreoffice``, the message says how to
            install it), failed (``pdf.failed``) or took longer than ``timeout`` (``pdf.timeout``).
    """
    exe = soffice or find_libreoffice()
    if exe is None:
        raise PdfFailed(_no_libreoffice(docx))
    target, keeper = _pdf_target(docx, keeper)
    with tempfile.TemporaryDirectory(prefix="toolkit-pdf-") as tmp:
        work = Path(tmp).resolve()
        source = work / _WORK_NAME
        shutil.copyfile(docx, source)
        (work / "out").mkdir()
        cmd = [
            exe,
            f"-env:UserInstallation={(work / 'profile').as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(work / "out"),
            str(source),
        ]
        try:
            done = subprocess.run(cmd, capture_output=True, timeout=timeout, check=False)
        except subprocess.TimeoutExpired:
            raise PdfFailed(
                Problem(codes.PDF_TIMEOUT, f"LibreOffice 超过 {timeout:.0f} 秒没有完成", file=docx.name)
            ) from None
        produced = work / "out" / Path(_WORK_NAME).with_suffix(".pdf")
        if done.returncode != 0 or not produced.is_file():
            detail = done.stderr.decode("utf-8", "replace").strip()[-300:]
            raise PdfFailed(
                Problem(
                    codes.PDF_FAILED,
                    f"LibreOffice 转换失败（退出码 {done.returncode}）{detail}",
                    file=docx.name,
                    value=detail,
                )
            )
        keeper.write(target, produced.read_bytes())
    return target
