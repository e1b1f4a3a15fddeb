"""The words a donation list is written in, as data: header words, units, footer labels, kinds.

This is where a newcomer adds a header word, a unit, a label or a kind, and the only place for them:
the readers in ``toolkit.parse`` look words up here. (The shapes of sentences, such as a note's
``注：`` or a count's ``共计746人次``, are regular expressions in `toolkit.parse.lines`.) Everything is
compared after NFKC (full-width brackets, colons and digits become ASCII), with white space removed
and Latin letters upper-cased.

- `HEADER_WORDS`: a word of a column header and its role. A header is cut into words (longest
  first) after its unit is taken off, so ``捐赠单位（个人）隐去姓氏`` is 捐赠单位 + 个人 + 隐去姓氏; see
  `toolkit.parse.columns` for how the roles of the words combine.
- `UNITS`: what a unit in an amount header means: 元, 万元, or a foreign currency.
- `FOOTER_LABELS`: a label under the list (合计, 大写, 收款人…) and what its value is.
- `KINDS`: what a 类型 cell or a section heading says about the donor: 单位 or 个人.

The module runs past 400 lines because it is data, one word to a line as the formatter writes it;
it holds no logic.
"""

from __future__ import annotations

import re
from typing import Final

__all__ = [
    "AMOUNT",
    "BREAKDOWN",
    "CAPITALS",
    "CARRY",
    "CAPITALS_COLUMN",
    "COUNT",
    "COUNT_UNITS",
    "CURRENCY",
    "DATE",
    "ENUMERATION",
    "ERROR_VALUES",
    "FILLER",
    "FOOTER_LABELS",
    "GOODS",
    "HEADER_WORDS",
    "HEADING_WORDS",
    "KIND",
    "KINDS",
    "NAME",
    "NAME_PART",
    "NOTE",
    "ORGANISATION",
    "ORGANISATION_ENDINGS",
    "OUTFLOW_WORDS",
    "OTHER",
    "PLACEHOLDER_TITLE",
    "RECEIVER",
    "ROLE",
    "SERIAL",
    "SUBTOTAL",
    "SUPERVISOR",
    "TOTAL",
    "TRANSACTION",
    "UNITS",
    "WAN",
    "YUAN",
]

# --- column roles -----------------------------------------------------------------------------------

SERIAL: Final = "serial"
NAME: Final = "name"
NAME_PART: Final = "name_part"
"""单位, 个人: a donor's name only together with another word (单位/个人, 捐赠个人), never alone,
because a goods list's 单位 column is a unit of measure."""
AMOUNT: Final = "amount"
KIND: Final = "kind"
DATE: Final = "date"
NOTE: Final = "note"
CURRENCY: Final = "currency"
GOODS: Final = "goods"
"""品名, 规格, 数量…: a list of goods, never a cash donor list, whatever its other columns say."""
TRANSACTION: Final = "transaction"
"""交易单号, 流水号…: an extra column of a donor list; alone with amounts, a bank statement."""
OTHER: Final = "other"
"""A known extra column (电话, 地址…): never a donor's name or amount."""
FILLER: Final = "filler"
"""捐赠, 隐去姓氏…: words that qualify the others and give no role of their own."""
CAPITALS_COLUMN: Final = "capitals_column"
"""大写: a column of amounts in capitals, never the amount column."""

HEADER_WORDS: Final[dict[str, str]] = {
    **dict.fromkeys(("序号", "编号", "序", "NO", "NO.", "序列号", "顺序号"), SERIAL),
    **dict.fromkeys(
        (
            "姓名",
            "名称",
            "捐赠姓名",
            "捐款姓名",
            "捐赠人",
            "捐款人",
            "捐赠者",
            "捐款者",
            "捐赠方",
            "捐款方",
            "捐赠单位",
            "捐款单位",
            "单位名称",
            "捐赠人姓名",
            "捐款人姓名",
            "捐赠人名称",
            "捐赠单位名称",
            "捐款单位名称",
            "个人姓名",
            "捐赠企业",
            "捐赠机构",
            "爱心人士",
            "爱心单位",
            "爱心企业",
            "昵称",
            "微信昵称",
            "网名",
            "交易对方",
            "转出户名",
            "付款户名",
            "付款人姓名",
            "对方账户名称",
            "对方名称",
            "爱心团体",
            "爱心组织",
            "付款人",
            "付款方",
            "汇款人",
            "对方户名",
            "付款人名称",
            "户名",
        ),
        NAME,
    ),
    **dict.fromkeys(("单位", "个人", "企业", "团体", "机构", "集体", "组织", "人士"), NAME_PART),
    **dict.fromkeys(
        (
            "金额",
            "捐款金额",
            "捐赠金额",
            "捐款额",
            "捐赠额",
            "捐款数额",
            "捐赠数额",
            "善款金额",
            "捐款",
            "捐款数",
            "捐赠款",
            "捐赠款额",
            "到账金额",
            "入账金额",
            "收款金额",
            "汇款金额",
            "捐赠资金",
            "收入",
            "收入金额",
            "到账",
            "入账",
            "实收金额",
            "实收",
            "实际到账",
            "实到金额",
            "实际金额",
            "实际捐款",
            "贷方发生额",
            "贷方金额",
            "贷方",
            "收款额",
        ),
        AMOUNT,
    ),
    **dict.fromkeys(("类型", "类别", "捐赠类型", "捐款类型", "捐赠类别", "捐款类别", "性质"), KIND),
    **dict.fromkeys(
        (
            "日期",
            "时间",
            "捐赠日期",
            "捐款日期",
            "捐赠时间",
            "捐款时间",
            "到账日期",
            "到账时间",
            "交易日期",
            "交易时间",
            "收款日期",
            "入账日期",
            "汇款日期",
            "月份",
        ),
        DATE,
    ),
    **dict.fromkeys(
        (
            "备注",
            "说明",
            "用途",
            "捐赠用途",
            "捐款用途",
            "定向",
            "捐赠意向",
            "意向",
            "附言",
            "付款附言",
            "摘要",
            "留言",
            "捐赠方向",
        ),
        NOTE,
    ),
    **dict.fromkeys(("币种", "币别", "货币", "货币种类"), CURRENCY),
    **dict.fromkeys(
        (
            "品名",
            "物资",
            "物资名称",
            "物品",
            "物品名称",
            "规格",
            "型号",
            "规格型号",
            "数量",
            "单价",
            "计量单位",
            "品种",
            "物资类别",
        ),
        GOODS,
    ),
    **dict.fromkeys(
        ("交易单号", "单号", "流水号", "交易流水号", "订单号", "交易号", "凭证号", "收据号", "票据号"),
        TRANSACTION,
    ),
    **dict.fromkeys(
        (
            "账号",
            "帐号",
            "卡号",
            "银行账号",
            "开户行",
            "账户",
            "联系电话",
            "电话",
            "手机",
            "地址",
            "渠道",
            "捐赠渠道",
            "方式",
            "捐赠方式",
            "捐款方式",
            "笔数",
            "人数",
            "余额",
            "认捐金额",
            "认捐",
            "承诺金额",
            "借方",
            "借方发生额",
            "借方金额",
        ),
        OTHER,
    ),
    **dict.fromkeys(("捐赠", "隐去姓氏", "姓氏隐去", "已隐去姓氏", "爱心", "小写", "明细"), FILLER),
    # who the names are, before 姓名: 家长姓名, 校友姓名, 户主姓名, 职工姓名…
    **dict.fromkeys(
        (
            "家长",
            "学生",
            "校友",
            "户主",
            "职工",
            "员工",
            "党员",
            "教师",
            "老师",
            "会员",
            "村民",
            "居民",
            "志愿者",
        ),
        FILLER,
    ),
    "大写": CAPITALS_COLUMN,
}
"""Every word a column header may be made of, and its role."""

# --- units of an amount column ------------------------------------------------------------------

YUAN: Final = "元"
WAN: Final = "万元"

UNITS: Final[dict[str, str]] = {
    **dict.fromkeys(("元", "人民币", "人民币元", "RMB", "CNY", "¥"), YUAN),
    **dict.fromkeys(("万元", "人民币万元", "万"), WAN),
    **dict.fromkeys(("美元", "USD", "US$", "美金", "$"), "美元"),
    **dict.fromkeys(("港币", "港元", "HKD", "HK$"), "港币"),
    **dict.fromkeys(("欧元", "EUR", "€"), "欧元"),
    **dict.fromkeys(("日元", "JPY"), "日元"),
    **dict.fromkeys(("英镑", "GBP", "£"), "英镑"),
    **dict.fromkeys(("澳元", "AUD"), "澳元"),
    **dict.fromkeys(("加元", "加币", "CAD"), "加元"),
    **dict.fromkeys(("新加坡元", "新币", "SGD"), "新加坡元"),
    **dict.fromkeys(("新台币", "台币", "TWD"), "新台币"),
    **dict.fromkeys(("澳门元", "澳门币", "MOP"), "澳门元"),
    **dict.fromkeys(("韩元", "KRW"), "韩元"),
    **dict.fromkeys(("瑞士法郎", "CHF"), "瑞士法郎"),
    "外币": "外币",
}
"""A unit word (in brackets, after ``/`` or at the end of an amount header) and what it means: 元, 万元,
or a foreign currency, which is never added to 元."""

# --- donor kinds: what a 类型 cell or a heading says ----------------------------------------------

KINDS: Final[dict[str, str]] = {
    **dict.fromkeys(("单位", "企业", "公司", "机构", "团体", "集体", "组织", "法人"), "单位"),
    **dict.fromkeys(("个人", "自然人", "爱心人士", "党员", "职工", "员工"), "个人"),
}

HEADING_WORDS: Final = ("捐款", "捐赠", "名单", "明细", "部分", "善款")

OUTFLOW_WORDS: Final = (
    "退款",
    "退回",
    "退还",
    "支出",
    "拨付",
    "拨款",
    "划拨",
    "发放",
    "使用情况",
    "使用明细",
    "使用公示",
    "去向",
    "资助",
    "救助",
    "分配",
    "慰问金",
)
"""Money going out (退款, 支出, 拨付, 发放…): a table titled or headed so lists no donations."""
"""A heading row inside a table (``一、单位捐款``) holds one of these; its kind word gives its donors' kind."""

# --- footer labels, by what they introduce ---------------------------------------------------------

TOTAL: Final = "total"
SUBTOTAL: Final = "subtotal"
CAPITALS: Final = "capitals"
COUNT: Final = "count"
RECEIVER: Final = "receiver"
SUPERVISOR: Final = "supervisor"
ORGANISATION: Final = "organisation"
ROLE: Final = "role"
CARRY: Final = "carry"
"""过次页, 承上页, 上期结转: a sum carried from one page (or period) to the next; never a donor, never the
list's 合计."""
BREAKDOWN: Final = "breakdown"
"""其中：网络捐款 100: a part of the list's money named again under it; never a donor."""
# DATE and NOTE (above) are also label kinds.

FOOTER_LABELS: Final[dict[str, str]] = {
    **dict.fromkeys(
        (
            "合计",
            "总计",
            "共计",
            "合计金额",
            "总金额",
            "总额",
            "金额合计",
            "捐款合计",
            "捐赠合计",
            "捐款总计",
            "捐款总额",
            "捐赠总额",
            "收款合计",
            "收款金额合计",
            "收款总额",
            "捐款总金额",
            "捐赠总金额",
            "本次合计",
            "本次共计",
            "本批合计",
            "本期合计",
            "以上合计",
            "以上共计",
            "总合计",
            "全部合计",
            "本表合计",
            "本表总计",
            "以上总计",
            "全部捐款",
            "捐款总数",
            "捐赠总数",
            "总数",
            "汇总",
            "总计金额",
            "TOTAL",
            "Total",
            "total",
            "GRAND TOTAL",
            "Grand Total",
            "SUM",
        ),
        TOTAL,
    ),
    **dict.fromkeys(
        (
            "小计",
            "本页小计",
            "本页合计",
            "本组小计",
            "当日小计",
            "当日合计",
            "本日小计",
            "本日合计",
            "单位小计",
            "个人小计",
            "企业小计",
            "团体小计",
            "集体小计",
            "单位合计",
            "个人合计",
            "企业合计",
            "单位捐款小计",
            "个人捐款小计",
            "单位捐款合计",
            "个人捐款合计",
        ),
        SUBTOTAL,
    ),
    **dict.fromkeys(
        (
            "大写",
            "大写金额",
            "金额大写",
            "合计大写",
            "合计(大写)",
            "金额(大写)",
            "人民币大写",
            "人民币(大写)",
            "大写(人民币)",
            "合计人民币(大写)",
            "合计金额(大写)",
            "(大写)",
        ),
        CAPITALS,
    ),
    # 捐赠人数 / 捐款人数 are read as lines (toolkit.parse.lines): as labels they would make every name
    # starting with 捐赠人 a label candidate, and the table walk slower.
    **dict.fromkeys(("合计人数", "人数", "笔数", "捐款笔数", "共计人数", "总人数"), COUNT),
    **dict.fromkeys(("收款人", "收款员", "收款", "经收人", "收款经办人"), RECEIVER),
    **dict.fromkeys(("监督人", "监督员", "监督"), SUPERVISOR),
    **dict.fromkeys(
        (
            "单位",
            "组织",
            "机构",
            "组织单位",
            "主办单位",
            "组织机构",
            "单位名称",
            "收款单位",
            "主办",
            "公示单位",
            "发布单位",
            "接收单位",
            "受赠单位",
            "受捐单位",
            "捐赠接收单位",
        ),
        ORGANISATION,
    ),
    **dict.fromkeys(
        ("日期", "收款日期", "捐款日期", "统计日期", "截止日期", "时间", "公示日期", "发布日期", "公告日期"),
        DATE,
    ),
    **dict.fromkeys(
        (
            "经手人",
            "经办人",
            "审核人",
            "审核",
            "复核人",
            "复核",
            "会计",
            "出纳",
            "制表人",
            "制表",
            "填表人",
            "填表",
            "记账",
            "记账人",
            "负责人",
            "核对人",
            "审批人",
            "主管",
        ),
        ROLE,
    ),
    **dict.fromkeys(("注", "备注", "说明", "附注", "注释", "特别说明"), NOTE),
    **dict.fromkeys(
        (
            "制表单位",
            "制表日期",
            "填表单位",
            "填表日期",
            "填报单位",
            "编制单位",
            "联系电话",
            "电话",
            "联系人",
            "联系方式",
            "手机",
            "地址",
            "邮编",
            "邮箱",
            "传真",
            "户名",
            "账号",
            "帐号",
            "开户行",
            "开户银行",
            "银行账号",
            "收款账号",
            "累计",
            "累计金额",
            "累计捐款",
            "累计收到",
            "累计接收",
            "公示期",
        ),
        OTHER,
    ),
    **dict.fromkeys(
        (
            "过次页",
            "转下页",
            "转次页",
            "承上页",
            "接上页",
            "承前页",
            "上页转来",
            "转上页",
            "上页合计",
            "上页累计",
            "本页累计",
            "上期结转",
            "结转",
            "上期余额",
            "上期累计",
            "上次累计",
            "前期累计",
        ),
        CARRY,
    ),
    "其中": BREAKDOWN,
}
"""Every footer label and what its value is. The longest label that starts a cell wins."""

COUNT_UNITS: Final = ("人次", "人", "笔", "位", "户", "家", "名", "个")
"""What follows a number of donors: 共计746人次, 共45人, 60笔."""

ORGANISATION_ENDINGS: Final = (
    "协会",
    "学会",
    "商会",
    "工会",
    "基金会",
    "委员会",
    "联合会",
    "红十字会",
    "会",
    "协",
    "盟",
    "司",
    "公司",
    "集团",
    "局",
    "厅",
    "委",
    "院",
    "所",
    "中心",
    "部",
    "处",
    "办",
    "办公室",
    "站",
    "校",
    "学校",
    "大学",
    "学院",
    "银行",
    "支行",
    "分行",
    "支部",
    "党委",
    "总支",
    "政府",
    "街道",
    "社区",
    "村",
    "镇",
    "乡",
    "厂",
    "社",
    "馆",
    "室",
    "联",
    "团",
    "队",
    "组",
    "科",
)
"""How an organisation's name ends (协会, 红十字会, 公司…): a lone line under the list ending so (with
something before a two-character ending, or two characters before a one-character one) is the
organisation."""

# --- cells --------------------------------------------------------------------------------------

ERROR_VALUES: Final = frozenset(
    {"#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#N/A", "#NUM!", "#NULL!", "#SPILL!", "#CALC!", "#GETTING_DATA"}
)
"""Excel's error values, as the reader returns them."""

PLACEHOLDER_TITLE: Final = "请修改标题"
"""In the title of the starter workbook (``toolkit.starter.TITLE``): a title left unchanged."""

ENUMERATION: Final = re.compile(
    r"^(?:[一二三四五六七八九十]+\s*[、.]|\(\s*[一二三四五六七八九十\d]+\s*\)|\d+\s*[、])\s*"
)
"""The numbering in front of a heading: ``一、`` ``（二）`` ``3、`` (after NFKC)."""
