"""Office Open XML workbooks (.xlsx, .xlsm, and an .xls or .xlsm under another name).

After `toolkit.read.package` has checked the zip, `read_xlsx` reads which member holds each sheet
and the calculation flag from ``xl/workbook.xml`` and its relationships, scans each sheet's XML
(`toolkit.read.sheetxml`: used range, formulas without a result, error cells, hidden rows; and
`toolkit.read.styles`: cells whose number format shows 万元 or a foreign currency), refuses
a sheet over the caps, and only then lets python-calamine read the cell values.
"""

from __future__ import annotations

import io
import logging
import posixpath
from collections.abc import Mapping
from dataclasses import dataclass

from toolkit import codes
from toolkit.read.caps import Budget, Limits, corrupt, refuse
from toolkit.read.grid import build_sheet, cell_library
from toolkit.read.package import Package
from toolkit.read.sheetxml import scan_sheet
from toolkit.read.styles import unit_cells, unit_styles
from toolkit.records import Sheet, Workbook, cell_name

__all__ = ["read_xlsx"]

log = logging.getLogger(__name__)


def read_xlsx(package: Package, limits: Limits) -> Workbook:
    """The `Workbook` in a checked OOXML package."""
    layout = _WorkbookLayout.parse(package)
    styles = unit_styles(package.part("xl/styles.xml"))
    return Workbook(
        name=package.name,
        sheets=tuple(_read_sheets(package, layout, limits, styles)),
        never_calculated=layout.never_calculated,
    )


@dataclass(frozen=True, slots=True)
class _WorkbookLayout:
    """Which zip member holds each sheet, and the workbook's calculation flag."""

    sheet_parts: dict[str, str]
    never_calculated: bool

    @classmethod
    def parse(cls, package: Package) -> _WorkbookLayout:
        from defusedxml import ElementTree

        workbook_xml = package.part("xl/workbook.xml") or b""
        rels_xml = package.part("xl/_rels/workbook.xml.rels")
        try:
            workbook = ElementTree.fromstring(workbook_xml)
            rels = ElementTree.fromstring(rels_xml) if rels_xml else None
        except Exception as exc:  # ParseError, defusedxml's ValueErrors, expat limits
            log.info("%s：workbook.xml 无法读取：%s", package.name, exc)
            corrupt(package.name, "工作簿目录无法解析")

        targets: dict[str, str] = {}
        if rels is not None:
            for rel in rels:
                if _local(rel.tag) == "Relationship" and rel.get("TargetMode") != "External":
                    targets[rel.get("Id", "")] = _resolve_target(rel.get("Target", ""))

        sheet_parts: dict[str, str] = {}
        never_calculated = False
        for element in workbook.iter():
            tag = _local(element.tag)
            if tag == "sheet":
                rel_id = next((v for k, v in element.attrib.items() if _local(k) == "id"), "")
                if rel_id in targets:
                    sheet_parts[element.get("name", "")] = targets[rel_id]
            elif tag == "calcPr":
                never_calculated = element.get("fullCalcOnLoad", "0").lower() in {"1", "true"}
        return cls(sheet_parts, never_calculated)


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]


def _resolve_target(target: str) -> str:
    if target.startswith("/"):
        return posixpath.normpath(target.lstrip("/"))
    return posixpath.normpath(posixpath.join("xl", target))


def _read_sheets(
    package: Package, layout: _WorkbookLayout, limits: Limits, styles: Mapping[int, str]
) -> list[Sheet]:
    from python_calamine import CalamineWorkbook, SheetTypeEnum, SheetVisibleEnum

    name = package.name
    budget = Budget(name, limits)
    sheets: list[Sheet] = []
    with cell_library(name):
        book = CalamineWorkbook.from_filelike(io.BytesIO(package.data))
        try:
            for meta in book.sheets_metadata:
                if meta.typ != SheetTypeEnum.WorkSheet:
                    log.info("%s：跳过 %s %r", name, meta.typ, meta.name)
                    continue
                part = layout.sheet_parts.get(meta.name)
                xml = package.part(part) if part else None
                if xml is None:
                    corrupt(name, f"找不到工作表“{meta.name}”的数据", sheet=meta.name)
                scan = scan_sheet(xml, never_calculated=layout.never_calculated, max_cells=limits.max_cells)
                if scan.area > limits.max_cells:
                    span = f"{cell_name(scan.first_row, 0)}:{cell_name(scan.last_row, scan.last_col)}"
                    refuse(
                        name,
                        codes.SHEET_TOO_LARGE,
                        sheet=meta.name,
                        value=span,
                        area=span,
                        cells=f"{scan.area:,}",
                        cap=f"{limits.max_cells:,}",
                    )
                source = book.get_sheet_by_name(meta.name)
                sheets.append(
                    build_sheet(
                        source,
                        meta.name,
                        meta.visible == SheetVisibleEnum.Visible,
                        file=name,
                        limits=limits,
                        budget=budget,
                        errors=scan.errors,
                        missing=scan.missing,
                        placeholders=scan.placeholders,
                        hidden_rows=scan.hidden_rows,
                        formulas=scan.formulas,
                        unit_formats=unit_cells(xml, styles),
                    )
                )
        finally:
            book.close()
    return sheets
