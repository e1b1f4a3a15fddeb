"""Benchmark ``toolkit render`` against two baselines measured in the same run.

    python benchmarks/bench_render.py            # 1k, 10k and 100k donors
    python benchmarks/bench_render.py --sizes 1000 10000

For every size it generates a 3-column donor workbook (序号 / 捐赠姓名 / 金额/元 plus the signature
block) and times, each in a fresh Python process so that start-up and peak memory are comparable:

* ``floor``  - the least work any implementation must do: read the cells with python-calamine,
  build a bare table as XML strings, deflate it into a .docx zip.
* ``naive``  - the obvious glue: openpyxl ``load_workbook`` then a docxtpl ``{%tr for %}`` row loop
  with autoescape, then save (only up to 10k donors unless ``--naive-100k``: it takes ~30 s).
* ``toolkit`` - ``toolkit render`` with the default, packed and styled bulletin template.

It prints seconds (wall time of the whole process, interpreter start included), peak RSS, the
ratios toolkit/floor and naive/toolkit, and toolkit's time per donor. Also the wall time of
``python -m toolkit render`` on the 45-donor sample in ``watched/``. Benchmarks are not tests:
nothing here fails on timing.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

# Each worker runs in its own process and reports {"rss_mb": ...} on its last stdout line.
_RSS = (
    "import sys, json\n"
    "try:\n"
    "    import resource\n"
    "    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
    "    rss = rss / 1024 if sys.platform != 'darwin' else rss / 2**20\n"
    "except ImportError:  # Windows: no resource module; peak RSS is not reported\n"
    "    rss = float('nan')\n"
    "print(json.dumps({'rss_mb': round(rss, 1)}))\n"
)

FLOOR = """
import io, sys, zipfile
from xml.sax.saxutils import escape
import python_calamine as pc
src, dst = sys.argv[1], sys.argv[2]
rows = pc.CalamineWorkbook.from_path(src).get_sheet_by_index(0).to_python()
body = []
for r in rows[1:]:
    if len(r) < 3 or r[2] == '' or not isinstance(r[2], (int, float)):
        continue
    body.append('<w:tr>' + ''.join('<w:tc><w:p><w:r><w:t>%s</w:t></w:r></w:p></w:tc>' % escape(str(v)) for v in r[:3]) + '</w:tr>')
doc = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
       '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:tbl>'
       + ''.join(body) + '</w:tbl></w:body></w:document>')
with zipfile.ZipFile(TEMPLATE) as zin, zipfile.ZipFile(dst, 'w', zipfile.ZIP_DEFLATED) as zout:
    for item in zin.infolist():
        data = doc.encode('utf-8') if item.filename == 'word/document.xml' else zin.read(item)
        zout.writestr(item.filename, data)
"""

NAIVE = """
import sys
import openpyxl
from docxtpl import DocxTemplate
src, dst, tpl = sys.argv[1], sys.argv[2], sys.argv[3]
ws = openpyxl.load_workbook(src, data_only=True).worksheets[0]
donors = [dict(serial=r[0], donor=r[1], amount=r[2]) for r in ws.iter_rows(min_row=2, values_only=True)
          if r[2] is not None and isinstance(r[2], (int, float))]
doc = DocxTemplate(tpl)
doc.render({'donors': donors}, autoescape=True)
doc.save(dst)
"""

TOOLKIT = """
import sys
from toolkit.cli import main
code = main(['render', '--watched', sys.argv[1], '--output', sys.argv[2], '--quiet'])
assert code == 0, code
"""


def make_workbook(path: Path, donors: int) -> None:
    import xlsxwriter

    wb = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    ws = wb.add_worksheet("捐款名单")
    ws.write_row(0, 0, ["序号", "捐赠姓名", "金额/元"])
    total = 0
    for i in range(1, donors + 1):
        cents = (i * 7919) % 100000 + 100
        total += cents
        amount = cents / 100 if cents % 100 else cents // 100
        ws.write_row(i, 0, [i, f"捐赠人{i:06d}", amount])
    r = donors + 1
    ws.write_row(r, 0, ["收款人", "朱蕊"])
    ws.write_row(r + 1, 0, ["监督人", "刘刚"])
    ws.write_row(r + 2, 0, ["单位", "新疆维吾尔自治区质量协会"])
    ws.write_row(r + 3, 0, ["日期", "2020年2月5日"])
    wb.close()


def make_naive_template(path: Path) -> None:
    from docx import Document

    doc = Document()
    table = doc.add_table(rows=3, cols=3)
    table.cell(0, 0).text = "{%tr for d in donors %}"
    table.cell(1, 0).text = "{{ d.serial }}"
    table.cell(1, 1).text = "{{ d.donor }}"
    table.cell(1, 2).text = "{{ d.amount }}"
    table.cell(2, 0).text = "{%tr endfor %}"
    doc.save(str(path))


def run(code: str, *args: str, env: dict[str, str] | None = None) -> tuple[float, float]:
    """Run ``code`` in a fresh interpreter; return (wall seconds, peak RSS MB)."""
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", code + "\n" + _RSS, *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        check=False,
    )
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"benchmark step failed:\n{done.stderr[-2000:]}")
    rss = json.loads(done.stdout.strip().splitlines()[-1])["rss_mb"]
    return elapsed, rss


def sample_wall_time(work: Path) -> float:
    """Wall time of ``python -m toolkit render`` on the shipped 45-donor sample (best of 3)."""
    best = float("inf")
    for i in range(3):
        out = work / f"sample-out-{i}"
        started = time.perf_counter()
        subprocess.run(
            [
                sys.executable,
                "-m",
                "toolkit",
                "render",
                "--watched",
                str(REPO / "watched"),
                "--output",
                str(out),
                "-q",
            ],
            check=True,
            capture_output=True,
        )
        best = min(best, time.perf_counter() - started)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000])
    parser.add_argument("--naive-100k", action="store_true", help="also run the naive glue at 100k (slow)")
    args = parser.parse_args()

    from docx import Document

    print(f"machine: {platform.platform()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    with tempfile.TemporaryDirectory(prefix="toolkit-bench-") as tmp:
        work = Path(tmp)
        base_docx = work / "base.docx"
        Document().save(str(base_docx))
        naive_tpl = work / "naive.docx"
        make_naive_template(naive_tpl)
        floor_code = FLOOR.replace("TEMPLATE", repr(str(base_docx)))

        print(
            f"45-donor sample, `python -m toolkit render`, wall time incl. start-up: {sample_wall_time(work):.2f} s"
        )
        header = f"{'donors':>8} {'floor s':>8} {'naive s':>8} {'toolkit s':>9} {'tk/floor':>8} {'naive/tk':>8} {'µs/donor':>8} {'floor MB':>8} {'naive MB':>8} {'tk MB':>7}"
        print(header)
        for n in args.sizes:
            watched = work / f"w{n}"
            watched.mkdir()
            xlsx = watched / f"donors-{n}.xlsx"
            make_workbook(xlsx, n)
            floor_s, floor_mb = run(floor_code, str(xlsx), str(work / f"floor-{n}.docx"))
            naive_s = naive_mb = float("nan")
            if n <= 10000 or args.naive_100k:
                naive_s, naive_mb = run(NAIVE, str(xlsx), str(work / f"naive-{n}.docx"), str(naive_tpl))
            out = work / f"out{n}"
            tk_s, tk_mb = run(TOOLKIT, str(watched), str(out))
            print(
                f"{n:>8} {floor_s:>8.2f} {naive_s:>8.2f} {tk_s:>9.2f} {tk_s / floor_s:>8.2f} "
                f"{naive_s / tk_s:>8.1f} {tk_s / n * 1e6:>8.1f} {floor_mb:>8.0f} {naive_mb:>8.0f} {tk_mb:>7.0f}"
            )
            shutil.rmtree(out, ignore_errors=True)


if __name__ == "__main__":
    main()
