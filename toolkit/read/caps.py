"""The reader's limits, and every refusal it can make, as one `Problem` with a Chinese sentence.

Every format reader is bounded by the same `Limits`, checked before the cell library spends memory:

* ``max_unpacked_bytes`` (``max_unpacked_mb`` in toolkit.toml): what the file unpacks to. For a
  zip (.xlsx, .ods) the sum of the members' declared sizes; for an .xls or a .csv the file itself.
* ``max_ratio``: a zip member over `RATIO_FLOOR_BYTES` may unpack to at most this many times its
  packed size (zip-bomb guard).
* ``max_cells``: the cells a sheet spans (from its first used row, counting from column A) and the
  cells all sheets span together. Unless given, it follows ``max_unpacked_bytes``: a cell held in
  memory costs about `CELL_BYTES`, so ``max_unpacked_mb`` is the setting that raises it.
* ``max_rows`` (``max_rows`` in toolkit.toml): rows per sheet. A longer sheet is refused, never cut
  short: a list read in part would give a wrong total.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NoReturn

from toolkit import codes
from toolkit.errors import Problem, UnreadableWorkbook
from toolkit.records import cell_name

__all__ = [
    "CELL_BYTES",
    "DEFAULT_MAX_RATIO",
    "DEFAULT_MAX_ROWS",
    "DEFAULT_MAX_UNPACKED_BYTES",
    "RATIO_FLOOR_BYTES",
    "Budget",
    "Limits",
    "corrupt",
    "refuse",
]

DEFAULT_MAX_UNPACKED_BYTES = 200 * 2**20
"""Refuse files that unpack to more than this (``max_unpacked_mb`` in toolkit.toml)."""
DEFAULT_MAX_RATIO = 200
"""Refuse any zip member over `RATIO_FLOOR_BYTES` that unpacks to more than this many times its size."""
DEFAULT_MAX_ROWS = 1_048_576
"""Refuse sheets with more rows than this (Excel's own limit; ``max_rows`` in toolkit.toml)."""
RATIO_FLOOR_BYTES = 2**20
"""Zip members that unpack to less than this are never refused for their compression ratio."""
CELL_BYTES = 40
"""Memory one cell of the grid costs, about: ``max_unpacked_bytes // CELL_BYTES`` cells are allowed."""


@dataclass(frozen=True, slots=True)
class Limits:
    """The caps one read is held to; see the module docstring."""

    max_unpacked_bytes: int = DEFAULT_MAX_UNPACKED_BYTES
    max_ratio: int = DEFAULT_MAX_RATIO
    max_rows: int = DEFAULT_MAX_ROWS
    max_cells: int = DEFAULT_MAX_UNPACKED_BYTES // CELL_BYTES

    def check_file_size(self, name: str, size: int) -> None:
        """Refuse a file (or the sum of its members) larger than ``max_unpacked_bytes``."""
        if size > self.max_unpacked_bytes:
            refuse(
                name,
                codes.FILE_TOO_LARGE,
                value=f"{_mb(size)} MB",
                size_mb=_mb(size),
                cap_mb=_mb(self.max_unpacked_bytes),
            )

    def check_sheet(self, name: str, sheet: str, first_row: int, last_row: int, last_col: int) -> None:
        """Refuse a sheet whose used cells reach past ``max_rows`` or span more than ``max_cells``.

        ``first_row``, ``last_row`` and ``last_col`` are 0-based bounds of the used cells.
        """
        if last_row < first_row:
            return
        area = (last_row - first_row + 1) * (last_col + 1)
        if area > self.max_cells:
            span = f"{cell_name(first_row, 0)}:{cell_name(last_row, last_col)}"
            refuse(
                name,
                codes.SHEET_TOO_LARGE,
                sheet=sheet,
                value=span,
                area=span,
                cells=f"{area:,}",
                cap=f"{self.max_cells:,}",
            )
        self.check_rows(name, sheet, last_row + 1)

    def check_rows(self, name: str, sheet: str, rows: int) -> None:
        """Refuse a sheet of more than ``max_rows`` rows (counting from row 1)."""
        if rows > self.max_rows:
            refuse(
                name,
                codes.SHEET_TOO_MANY_ROWS,
                sheet=sheet,
                cell=cell_name(self.max_rows, 0),
                value=f"{rows:,} 行",
                rows=f"{rows:,}",
                cap=f"{self.max_rows:,}",
            )


class Budget:
    """The cells all sheets of one workbook may span together (``max_cells``)."""

    def __init__(self, name: str, limits: Limits) -> None:
        self.name = name
        self.limits = limits
        self.spent = 0

    def spend(self, sheet: str, cells: int) -> None:
        self.spent += cells
        if self.spent > self.limits.max_cells:
            refuse(
                self.name,
                codes.WORKBOOK_TOO_LARGE,
                sheet=sheet,
                value=f"{self.spent:,}",
                cells=f"{self.spent:,}",
                cap=f"{self.limits.max_cells:,}",
            )


def _mb(size: int) -> str:
    return f"{size / 2**20:,.0f}"


_SAVE_AS = "点 文件 → 另存为，保存类型选“Excel 工作簿 (*.xlsx)”，再把新保存的文件放进来。"
_FORMATS = "Excel 工作簿（.xlsx、.xlsm）、Excel 97-2003 工作簿（.xls）、WPS 表格、OpenDocument 表格（.ods）或 CSV 文件"

# Chinese messages, one per code. Placeholders are filled by `refuse`.
_MESSAGES: dict[str, str] = {
    codes.FILE_EMPTY: "文件是空的（0 字节），可能还没有复制完，或者保存时出了错。请等复制完成后再试；如果仍是空的，请在 Excel 中重新保存原文件，再把它放进来。",
    codes.FILE_ENCRYPTED: "工作簿设置了打开密码，无法读取。请在 Excel 或 WPS 中输入密码打开它，点 文件 → 信息 → 保护工作簿 → 用密码进行加密（WPS：文件 → 文档加密 → 密码加密），清空密码并确定，保存后再把文件放进来。",
    codes.FILE_DOCX: "这是 Word 或 WPS 文字文档，不是表格。请放入捐款名单的表格文件。",
    codes.FILE_NOT_ZIP: f"无法识别这个文件：它不是 toolkit 能读的表格。toolkit 能读 {_FORMATS}。请确认选对了文件；如果是其他软件导出的表格，请用 Excel 或 WPS 打开后{_SAVE_AS}",
    codes.FILE_TRUNCATED: "文件已损坏或没有复制完整（文件的目录缺失或不完整）。请重新复制一次；如果仍然不行，请在 Excel 或 WPS 中打开原文件重新保存，再把它放进来。",
    codes.FILE_TOO_LARGE: "文件解压后约 {size_mb} MB，超过了上限 {cap_mb} MB，为安全起见不予读取。请删除用不到的工作表、图片和多余的行列后重新保存；如确需处理这么大的文件，可调大 toolkit.toml 中的 max_unpacked_mb 设置。",
    codes.FILE_TOO_COMPRESSED: "文件中的“{part}”解压后约 {size_mb} MB，是压缩后大小的 {ratio} 倍，远超正常的表格文件（可能是“压缩炸弹”），为安全起见不予读取。请在 Excel 中打开原文件，复制需要的内容到新工作簿保存后再放进来。",
    codes.FILE_CORRUPT: "文件内容已损坏，无法读取（{detail}）。请在 Excel 或 WPS 中打开原文件，{save}",
    codes.FILE_XLSB: f"这是 Excel 二进制工作簿（.xlsb），不能直接读取。请在 Excel 中打开它，{_SAVE_AS}",
    codes.FILE_UNSUPPORTED_FORMAT: f"这是{{kind}}，toolkit 不能直接读取。请用 WPS 或 Excel 打开它，{_SAVE_AS}",
    codes.FILE_NOT_WORKBOOK: f"这个文件里没有表格（它是压缩包或其他文档）。请确认选对了文件，放入捐款名单的表格：{_FORMATS}。",
    codes.FILE_UNSAFE_XML: "文件中的“{part}”含有正常表格文件不会有的 XML 声明（DOCTYPE/ENTITY），为安全起见不予读取。请在 Excel 中打开原文件，另存为新的 .xlsx 文件再放进来；如果文件来自他人，请向对方确认来源。",
    codes.SHEET_TOO_LARGE: "工作表“{sheet}”的使用范围 {area} 太大（约 {cells} 个单元格，上限 {cap} 个），通常是在很远的行或列误填了内容。请在 Excel 中删除多余的行和列（Ctrl+End 可以找到最后一个单元格）后保存，再把文件放进来；如确需处理这么大的表格，可调大 toolkit.toml 中的 max_unpacked_mb 设置（每 1 MB 允许约 26,000 个单元格）。",
    codes.SHEET_TOO_MANY_ROWS: "工作表“{sheet}”有 {rows} 行，超过了上限 {cap} 行。只读一部分会让名单和合计不完整，所以整个文件不予读取。请删除名单下方多余的行后保存；如确需处理这么多行，请调大 toolkit.toml 中的 max_rows 设置。",
    codes.WORKBOOK_TOO_LARGE: "工作簿的各个工作表合起来约有 {cells} 个单元格（读到工作表“{sheet}”时），超过了上限 {cap} 个。请删除用不到的工作表和多余的行列后保存；如确需处理这么大的文件，可调大 toolkit.toml 中的 max_unpacked_mb 设置（每 1 MB 允许约 26,000 个单元格）。",
    codes.WORKBOOK_NO_SHEETS: "工作簿里没有任何工作表，无法读取。请在 Excel 中打开确认后重新保存，再把文件放进来。",
    codes.WORKBOOK_EMPTY: "表格里没有任何内容（所有工作表都是空的）。请确认选对了文件，并且填写后已经保存。",
}

SAVE_AGAIN = "重新保存，或重新复制一份再放进来。"
"""The usual end of a ``file.corrupt`` message; formats toolkit reads less well suggest .xlsx instead."""
SAVE_AS_XLSX = _SAVE_AS


def refuse(
    name: str, code: str, *, sheet: str = "", cell: str = "", value: str = "", **fields: object
) -> NoReturn:
    """Raise `UnreadableWorkbook` with the one `Problem` for ``code`` about file ``name``."""
    message = _MESSAGES[code].format(sheet=sheet, **fields)
    raise UnreadableWorkbook(Problem(code, message, file=name, sheet=sheet, cell=cell, value=value))


def corrupt(name: str, detail: str, *, sheet: str = "", save: str = SAVE_AGAIN) -> NoReturn:
    """Refuse with ``file.corrupt``; ``detail`` says in Chinese what is wrong."""
    refuse(name, codes.FILE_CORRUPT, sheet=sheet, detail=detail, save=save)
