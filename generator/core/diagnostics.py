"""Diagnostics: every problem found in the records, with a stable code.

The registry below is the single source of truth for codes: the CLI, the site's
problem list and the editors' guide (generated page of all codes) read it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from .decimals import MAX_INTEGER_DIGITS, MAX_PLACES, MAX_SIGNIFICANT
from .reading import MAX_NARRATIVE_BYTES, MAX_RECORD_BYTES

_MB = 1024 * 1024

# Where a value sits in a record's TOML: ("indicator", 3, "score"), ("budget", "rate"), () for the file.
KeyPath = tuple[str | int, ...]


class Severity(str, Enum):
    """The severity model (issue 11; the guide's 诊断代码 page says it to editors): an error is only what stops a
    record being read or rendered, or would publish something false as if it were checked. A discrepancy in the
    published source is a warning, and the record is published with it under 数据核对; a remark is a note."""

    ERROR = "error"  # blocks publishing
    WARNING = "warning"  # shown, does not block
    INFO = "info"  # a remark, e.g. a hand-rounded published score

    @property
    def label(self) -> str:
        return {"error": "错误", "warning": "警告", "info": "提示"}[self.value]


class Listing(str, Enum):
    """Who reads a warning or note: editors only, or the public as well, on the record's page (数据核对) and in
    its downloads, under one of the headings below (in this order) and in the plain words of Diagnostic.public."""

    EDITORS = "editors"  # how the files are written (encoding, blanks, invisible characters…), across records
    SCORES = "scores"
    BUDGET = "budget"
    REPORT = "report"

    @property
    def heading(self) -> str:
        """The heading under 数据核对 on a public page ("" for editors only)."""
        return {"editors": "", "scores": "得分核对", "budget": "预算核对", "report": "报告正文核对"}[self.value]

    @property
    def public(self) -> bool:
        return self is not Listing.EDITORS


@dataclass(frozen=True)
class CodeInfo:
    code: str
    severity: Severity
    title: str  # short Chinese title
    meaning: str  # what it means
    fix: str  # how to fix it
    # Warnings and notes: who reads them (tests/test_public_findings.py requires it of each). Errors withhold
    # the record, so they are for editors only and leave it None.
    listing: Listing | None = None


_E, _W, _I = Severity.ERROR, Severity.WARNING, Severity.INFO
_EDITORS, _SCORES, _BUDGET, _REPORT = Listing.EDITORS, Listing.SCORES, Listing.BUDGET, Listing.REPORT

CODES: dict[str, CodeInfo] = {
    c.code: c
    for c in [
        # --- files and syntax (E0xx)
        CodeInfo(
            "E001",
            _E,
            "文件编码不是 UTF-8",
            "文件看起来是用 GBK/GB2312 等编码保存的，工具只读取 UTF-8。",
            "在编辑器中选择“另存为 → 编码 UTF-8”后重新保存该文件。",
        ),
        CodeInfo(
            "W002",
            _W,
            "文件带有 BOM",
            "文件开头有 UTF-8 BOM（Windows 记事本常见），已忽略，但部分工具会出错。",
            "在编辑器中选择“UTF-8（无 BOM）”重新保存。",
            listing=_EDITORS,
        ),
        CodeInfo(
            "E003",
            _E,
            "TOML 语法错误",
            "文件不符合 TOML 语法，无法读取。",
            "按提示的行列修改：检查引号是否成对、等号两边、方括号表头和逗号。",
        ),
        CodeInfo("E004", _E, "文件为空", "记录文件没有任何内容。", "填写记录内容，或删除该文件。"),
        CodeInfo("E005", _E, "无法读取文件", "文件不存在或没有读取权限。", "检查文件路径与权限。"),
        CodeInfo(
            "E006",
            _E,
            "链接指向记录目录之外",
            "记录文件或叙述文件是符号链接，指向记录目录（如 projects/）之外，或指向不存在的文件。"
            "为防止把目录外的文件（如系统文件、其他项目的文件）公开，工具不读取它，该记录也不发布。"
            "指向记录目录之内的链接可以使用。",
            "把文件本身（而不是链接）放进记录目录，或删除该链接。",
        ),
        CodeInfo(
            "E007",
            _E,
            "不是普通文件",
            "以记录或叙述文件命名的是目录、设备、命名管道等特殊文件。工具不读取它，该记录也不发布。",
            "换成普通的文本文件，或删除、改名该项。",
        ),
        CodeInfo(
            "E008",
            _E,
            "文件过大",
            f"记录文件最大 {MAX_RECORD_BYTES // _MB} MB，叙述文件最大 {MAX_NARRATIVE_BYTES // _MB} MB"
            "（正常的记录和叙述只有几十 KB）。超过上限的文件不读取，该记录也不发布。",
            "检查是否误粘贴了大量内容（如整份报告的图片、表格数据），删去多余部分。",
        ),
        # --- structure (E1xx)
        CodeInfo(
            "E101",
            _E,
            "缺少必填字段",
            "该字段是必填项，记录中没有写（或写了空值）。没有写的字段无法区分“原文没有”与“尚未录入”。",
            '按说明补充该字段；原文确实没有印出这一项时，可写 "未公布" 的字段（见字段说明）写成 字段 = "未公布"。',
        ),
        CodeInfo(
            "E102",
            _E,
            "字段类型错误",
            "字段的值类型不对（例如应为数字却写成了文字）。",
            "按字段说明改为正确类型；数字不要加引号。",
        ),
        CodeInfo("E103", _E, "取值不在允许范围内", "该字段只能取几个规定的值之一。", "改为提示中列出的某个值。"),
        CodeInfo(
            "E104",
            _E,
            "未知字段",
            "记录中出现了格式中没有的字段，多半是拼写错误。",
            "按“您是否想写”的提示改正字段名，或删除该字段。",
        ),
        CodeInfo(
            "E105",
            _E,
            "非法数值",
            "数值为 nan 或 inf，或超出合理范围。记录中的每个数字：绝对值小于 10 的 "
            f"{MAX_INTEGER_DIGITS} 次方，小数不超过 {MAX_PLACES} 位，有效数字不超过 {MAX_SIGNIFICANT} 位；"
            "金额、分值等字段另有上限 10¹²。",
            "填写一个普通的有限数字，检查是否多写了数字或写错了指数（如 1e-999）。",
        ),
        CodeInfo("E106", _E, "数值不能为负", "金额、分值、得分等不能为负数。", "改为 0 或正数。"),
        CodeInfo("E107", _E, "日期格式错误", "日期应写成 2021、2021-08 或 2021-08-31。", "按正确格式填写日期。"),
        CodeInfo(
            "E108", _E, "层级路径错误", 'path 应为由指标名称组成的列表，例如 ["产出指标", "数量指标"]。', "改正 path。"
        ),
        CodeInfo(
            "E109", _E, "嵌套过深或数据过大", "记录的嵌套层级或条目数量超出合理范围。", "检查是否误写了大量重复内容。"
        ),
        CodeInfo(
            "E110",
            _E,
            "缺少叙述文件",
            "每个记录都需要同名的 .md 叙述文件（评价报告正文），或写明原文没有公布报告正文。"
            "缺少文件时无法区分“原文没有”与“尚未录入”。",
            '在同一目录下新建同名 .md 文件，写入评价报告的文字部分；原文没有公布报告正文时，在记录中写 narrative = "未公布"。',
        ),
        CodeInfo(
            "W111",
            _W,
            "叙述文件为空",
            "同名 .md 叙述文件没有正文内容。",
            "写入评价报告的文字部分（项目基本情况、评价结论、存在问题等）。",
            listing=_EDITORS,
        ),
        CodeInfo(
            "W112",
            _W,
            "叙述文件缺少章节标题",
            "叙述文件没有任何 ## 标题，公开页面无法分节显示。",
            "按报告原文的章节加上 ## 标题，例如“## 一、项目基本情况”。",
            listing=_EDITORS,
        ),
        CodeInfo("E113", _E, "叙述文件不是 UTF-8", "叙述 .md 文件不是 UTF-8 编码。", "另存为 UTF-8 编码。"),
        CodeInfo(
            "W130",
            _W,
            "字段留空",
            '字段写了，但值是空字符串 ""（多为 new 命令生成的待填项）。',
            '照原文填写；原表有这一栏而原文留空时写 "未公布"（可写的字段见字段说明）；原表没有这一项时删除这一行。',
            listing=_EDITORS,
        ),
        CodeInfo(
            "E114",
            _E,
            "文字中含有控制字符",
            "文字里有看不见的控制字符（多为从 Word、网页或 PDF 复制时带入），会破坏网页和导出的表格。",
            "删除该处的不可见字符后重新输入；可在编辑器中开启“显示不可见字符”查找。",
        ),
        CodeInfo(
            "E127",
            _E,
            "页面路径冲突",
            "两个记录会生成同一个网页（同一年度目录下的文件名相同），或一个记录的旧文件名（former_slugs）占用了另一个记录的网址。",
            "改正其中一个记录的文件名或年度目录；旧文件名只写这个记录自己以前用过的名字。",
        ),
        CodeInfo(
            "E128",
            _E,
            "项目编号格式不对",
            "项目编号（id）是网页地址和下载文件名的一部分，只能用小写英文字母、数字和连字符，最长 64 个字符。",
            "改为如 bayannur-treasury-epay 的写法；同一项目各年度保持相同。",
        ),
        CodeInfo(
            "E129",
            _E,
            "文件名格式不对",
            "记录的文件名是项目网页的地址，只能用小写英文字母、数字和连字符，最长 80 个字符（不能有空格、中文或大写字母）。",
            "把 .toml 和 .md 两个文件改成同样的合规名字，通常与 id 相同。",
        ),
        CodeInfo(
            "E130",
            _E,
            "评价年度不合理",
            "year（评价年度未公布时为 filed_year）超出了 1990 至 2100 年的范围，多为多写了位数。",
            "改正该年份，并把文件放到对应的年度目录。",
        ),
        CodeInfo(
            "E131",
            _E,
            "文字中有方向控制符",
            "文字里有看不见的文字方向控制符（如 U+202E），它会改变显示顺序，让一个名称看起来像另一个名称，不能发布。",
            "删除该字符：在编辑器中开启“显示不可见字符”，或把这段文字删掉后重新输入。",
        ),
        CodeInfo(
            "W132",
            _W,
            "文字中有不可见的格式字符",
            "文字里有零宽空格等看不见的格式字符（多为从网页或 Word 复制时带入），读者看不到，但会让全文检索找不到这个词。",
            "删除该字符后重新校验。",
            listing=_EDITORS,
        ),
        CodeInfo(
            "E140",
            _E,
            "个人信息（按设置不发布）",
            "网站设置为有个人信息的记录不发布（personal_data: fail）：文字中有个人的手机号码、固定电话、身份证号或银行卡号。",
            "从记录中删去该号码或改为脱敏形式；若是单位有意公开的联系电话，把它照原样写进 public_contacts 列表。",
        ),
        CodeInfo(
            "W140",
            _W,
            "个人信息",
            "文字中有个人的手机号码、固定电话、身份证号或银行卡号。政府网站公开个人信息须作脱敏处理：网站公开时"
            "自动把它显示为脱敏形式（如 138****1234），记录文件中仍是完整号码。",
            "若是个人信息，建议从记录中删去或改为脱敏形式；若是单位有意公开的联系电话（如咨询电话），"
            "把该号码照原样写进 public_contacts 列表，网站就照原样公开它。",
            listing=_EDITORS,
        ),
        CodeInfo(
            "E133",
            _E,
            "部门页面冲突",
            "两个不同的主管部门名称会生成同一个部门页面，其中一个部门的项目会从页面上消失。",
            "统一部门名称的写法（同一部门用同一个名称），或改正写错的名称。",
        ),
        CodeInfo(
            "E135",
            _E,
            "旧文件名格式不对",
            "former_slugs 列出记录以前用过的文件名，网站在这些旧网址留下转向新网址的页面。旧文件名和文件名一样只能用小写英文字母、"
            "数字和连字符，最长 80 个字符，并且不能与现在的文件名相同。",
            "按以前实际用过的文件名（不含 .toml）改正，或删除写错的一项。",
        ),
        CodeInfo(
            "W134",
            _W,
            "叙述文件没有对应的记录",
            "有一个 .md 叙述文件，但同一目录下没有同名的 .toml 记录，它不会被发布。",
            "补上对应的记录，或把叙述文件改成与记录相同的名字，或删除它。",
            listing=_EDITORS,
        ),
        CodeInfo(
            "E190",
            _E,
            "无法计算该记录",
            "记录中的数值超出了可以计算的范围（例如极小的预算数或极大的完成值），复核计分无法完成。",
            "检查该记录中异常的数字（多写或少写了位数、单位写错），改正后重新校验。",
        ),
        CodeInfo(
            "E199",
            _E,
            "工具处理该记录时出错",
            "处理这个记录时工具自身出了意外错误。这是工具的问题，不一定是记录写错了；该记录不发布，其他记录照常处理。",
            "把这条信息（含括号中的错误类型）和该记录文件报告给维护人员；在修复前，可检查该记录中不寻常的写法。",
        ),
        CodeInfo(
            "E120",
            _E,
            "记录重复",
            "同一项目同一年度同一评价类型出现了两个记录。",
            "删除重复的记录，或改正其中一个的 id、年度或评价类型。",
        ),
        CodeInfo(
            "W121",
            _W,
            "同一项目编号名称不一致",
            "同一个项目编号在不同记录中使用了不同的项目名称。",
            "确认是否同一项目：是则统一名称，否则改用不同的项目编号。",
            listing=_EDITORS,
        ),
        CodeInfo(
            "E122",
            _E,
            "评分方案不存在",
            "scheme 或 grade_bands 指定的方案找不到。",
            "改为内置方案名（见方法说明页），或在 projects/schemes/ 中定义该方案。",
        ),
        CodeInfo(
            "E123",
            _E,
            "评分规则不存在",
            "rule 引用的规则名称既不在本记录的 [rules] 中，也不在评分方案中。",
            "改正规则名称，或在 [rules.名称] 中定义它。",
        ),
        CodeInfo("E124", _E, "评分规则参数错误", "规则缺少必需的参数，或参数不合理。", "按规则类型的说明补全参数。"),
        CodeInfo("E125", _E, "方案文件错误", "projects/schemes/ 中的方案文件有错误。", "按提示改正方案文件。"),
        CodeInfo(
            "E126",
            _E,
            "文件位置与年度不符",
            "记录应放在 projects/<年度>/ 目录下，且与 year 字段（评价年度未公布时为 filed_year）一致。",
            "移动文件或改正年份。",
        ),
        # --- gaps in the source (issue 11): "未公布", the filing year, the narrative
        CodeInfo(
            "W150",
            _W,
            "写了正文未公布却有叙述文件",
            '记录写了 narrative = "未公布"（原文没有公布报告正文），同一目录下却有同名 .md 叙述文件。网站照常发布该叙述文件。',
            '原文有报告正文时删除 narrative = "未公布"；原文没有时删除 .md 文件。',
            listing=_EDITORS,
        ),
        CodeInfo(
            "W151",
            _W,
            "年度已写明时不需要归档年度",
            'filed_year（归档年度）只在 year = "未公布" 时使用；记录写了评价年度，filed_year 不起作用。',
            "删除 filed_year。",
            listing=_EDITORS,
        ),
        CodeInfo(
            "W152",
            _W,
            "满分写了两处且不一致",
            "顶层的 max_score 与 [form] 中的 max_score 不同。计算时使用顶层的 max_score。",
            "核对原表印明的满分，只在一处填写（原表印明的满分写在 [form] 中）。",
            listing=_EDITORS,
        ),
        # --- indicator tree and scores (E2xx / W2xx)
        CodeInfo(
            "W204",
            _W,
            "扣分但无扣分说明",
            "该指标得分低于分值，但没有填写扣分原因（reason）。",
            "补充 reason：扣分说明或偏差原因及改进措施。",
            listing=_SCORES,
        ),
        CodeInfo(
            "W205",
            _W,
            "公布总分与各项得分之和不符",
            "公布的总分（total）不等于各项指标公布得分之和。",
            "核对原文：若原文如此，保留并在说明中注明；若录入有误，请改正。",
            listing=_SCORES,
        ),
        CodeInfo(
            "W206",
            _W,
            "公布得分与评分规则计算结果不符",
            "按该指标的评分规则和完成值计算出的得分与公布得分不同。",
            "核对完成值、评分规则与得分；原文如此则保留，网站会同时显示复核得分。",
            listing=_SCORES,
        ),
        CodeInfo(
            "I207",
            _I,
            "公布得分为手工取整",
            "公布得分与按规则计算的得分只差取整（例如 8.62 写成 9）。",
            "一般无需处理；如原文保留了小数，请照录。",
            listing=_SCORES,
        ),
        CodeInfo(
            "W208",
            _W,
            "定性指标得分不在档次范围内",
            "所选档次（level）对应的得分区间不包含公布得分。",
            "核对档次与得分。",
            listing=_SCORES,
        ),
        CodeInfo(
            "W209",
            _W,
            "无法按规则计算得分",
            "目标值或完成值中没有可用的数字，评分规则无法计算。",
            "在 target/actual 中写明数字和单位（如 “≥24 万笔”），或为该指标指定定性规则。",
            listing=_SCORES,
        ),
        CodeInfo(
            "W210",
            _W,
            "完成值照抄了目标值",
            "完成值与目标值完全相同且带有比较符号（如 “≥266米”），不是实际测得的数值：该项得分不按规则复核，以公布得分为准。",
            "填写实际完成的数值（如 “280米”）。",
            listing=_SCORES,
        ),
        CodeInfo(
            "W211",
            _W,
            "目标值与完成值单位不一致",
            "目标值和完成值使用了不同的、不能换算的单位（如“个”与“项”），无法直接比较，该项得分不按规则复核。"
            "能换算的单位（如“万元”与“元”、“公里”与“米”）按目标值的单位换算后计分，不报此项。",
            "核对原表的单位；原文如此则保留。",
            listing=_SCORES,
        ),
        CodeInfo(
            "W212",
            _W,
            "公布等级与分数段不符",
            "按适用的等级分数段，总分对应的等级与公布等级不同。",
            "核对总分、等级与所用等级方案。",
            listing=_SCORES,
        ),
        CodeInfo(
            "W213",
            _W,
            "酌情扣分缺少原因",
            "填写了 discretion（酌情扣分），但没有 reason。",
            "补充扣分原因。",
            listing=_SCORES,
        ),
        CodeInfo(
            "W215",
            _W,
            "缺少得分",
            "计分记录的指标没有填写得分（score）。总分按可能的范围核对。",
            '照录原文得分；原文该处留空时写 score = "未公布"。',
            listing=_SCORES,
        ),
        CodeInfo(
            "W216",
            _W,
            "定性档次不在规则中",
            "level 填写的档次不是该规则定义的档次之一。",
            "改为规则中的档次名称。",
            listing=_SCORES,
        ),
        CodeInfo(
            "W217",
            _W,
            "得分不是扣分单位的整数倍",
            "按清单扣分规则，扣分应为每项扣分的整数倍。",
            "核对得分或规则。",
            listing=_SCORES,
        ),
        CodeInfo(
            "I219",
            _I,
            "完成值未填写",
            "指标没有填写完成值，评分规则无法复核，以公布得分为准。",
            "原文给出完成值时请照录；原文没有则无需处理。",
            listing=_SCORES,
        ),
        CodeInfo(
            "I251",
            _I,
            "得分与总分均未公布",
            "计分的评价表，各项得分和总分原文都是空白（记录中写“未公布”）：得分无法核对，网站在“数据核对”中说明。",
            "原文如此时照录，无需处理。",
            listing=_SCORES,
        ),
        CodeInfo(
            "I271",
            _I,
            "原表对应关系不确定",
            "编辑在记录中说明：原表这一行的值与指标（或金额与资金来源）的对应关系不确定（栏目错位、合并单元格、文字无法辨认）。"
            "该行照原表顺序录入，网站在“数据核对”中如实说明。",
            "原文如此时照录；能对照原件核实后删去 uncertain。",
            listing=_SCORES,
        ),
        CodeInfo(
            "I270",
            _I,
            "金额上限类指标完成值为 0",
            "以金额为上限的指标（“≤”金额目标，或没有比较符号的成本指标）完成值为 0：节约与未实施无法区分，"
            "评分规则不复核该项，以公布得分为准。",
            "原文如此时照录；原文说明了原因（如未实施、未验收）时可写在 reason 中。",
            listing=_SCORES,
        ),
        # --- tree, weights and totals as published (issue 11: once errors E201, E202, E203, E214; see RETIRED)
        CodeInfo(
            "W241",
            _W,
            "下级分值之和与本级分值不符",
            "某一级指标的分值不等于其下级指标分值之和。原表如此时照录，网站在“数据核对”中说明。"
            "评价表只公布了一部分（[form] excerpt）时，下级分值之和小于本级分值不再报告。",
            "核对该级指标及其下级指标的分值；原文如此则保留。",
            listing=_SCORES,
        ),
        CodeInfo(
            "W242",
            _W,
            "分值合计与满分不符",
            "一级指标分值之和不等于满分（max_score 或方案的满分）。原表如此时照录，网站在“数据核对”中说明。"
            "评价表只公布了一部分（[form] excerpt）时，分值之和小于满分不再报告。",
            "核对各一级指标分值和满分；原文如此则保留。",
            listing=_SCORES,
        ),
        CodeInfo(
            "W243",
            _W,
            "得分超过分值",
            "指标的公布得分超过其分值，或某一上级指标下各项公布得分之和超过该上级指标的分值（末级分值未公布时按上级核对）。",
            "核对得分与分值；原文如此则保留。",
            listing=_SCORES,
        ),
        CodeInfo(
            "W244",
            _W,
            "缺少分值",
            '计分记录的指标没有写分值（weight），也不能由上级 split = "equal" 推算。该指标不按评分规则单独复核，复核总分无法计算。',
            '照录原文分值；原文没有印出末级分值时写 weight = "未公布"；原文规定平均分摊时在上级 [[group]] 中写 split = "equal"。',
            listing=_EDITORS,
        ),
        CodeInfo(
            "I245",
            _I,
            "分值未公布",
            '原文没有印出这些指标的分值（weight = "未公布"）。这些指标不按评分规则单独复核，只按上级指标的分值整体核对；复核总分无法计算。',
            "无需处理。",
            listing=_SCORES,
        ),
        CodeInfo(
            "W246",
            _W,
            "公布总分高于可能的最高分",
            "部分指标的得分未公布（或评价表只公布了一部分）：已公布的得分加上其余指标最多能得的分数，仍低于公布总分。",
            "核对总分和各项得分；原文如此则保留。",
            listing=_SCORES,
        ),
        CodeInfo(
            "W247",
            _W,
            "公布总分低于已公布得分之和",
            "部分指标的得分未公布（或评价表只公布了一部分）：公布总分低于已公布的各项得分之和，而得分不会是负数。",
            "核对总分和各项得分；原文如此则保留。",
            listing=_SCORES,
        ),
        CodeInfo(
            "W248",
            _W,
            "复核总分超过满分",
            "按评分规则复核的总分超过了满分，多因各项分值之和超过满分。",
            "核对各项分值与满分；原文如此则保留。",
            listing=_SCORES,
        ),
        CodeInfo(
            "I249",
            _I,
            "总分只能按范围核对",
            "部分指标的得分未公布，总分无法逐项核对；公布总分在可能的范围之内。",
            "无需处理。",
            listing=_SCORES,
        ),
        CodeInfo(
            "I250",
            _I,
            "评价表只公布了一部分",
            "记录写明原文只公布了评价表的一部分（[form] excerpt）：未印出的分值、得分和总分不再逐项报告，"
            "核对只针对已公布部分，复核合计标为“已公布部分合计”。",
            "无需处理；excerpt 中写明截止处。",
            listing=_SCORES,
        ),
        CodeInfo(
            "W218",
            _W,
            "分组路径没有对应指标",
            "[[group]] 的 path 下没有任何指标。",
            "改正 path，或删除该分组。",
            listing=_EDITORS,
        ),
        # --- targets, units, rounding, weights and sub-rows as forms print them (issue 11: W260–W269)
        CodeInfo(
            "W260",
            _W,
            "目标值或完成值的写法无法识别",
            "目标值或完成值中数字旁有无法识别的符号（如文字识别留下的 “^80%”“工5%”“5=50%”，或残留的公式命令），"
            "不能当作一个普通数字计分：该项得分不按规则复核，以公布得分为准。",
            "对照原表改成能识别的写法（如 “≥80%”）；原表本身无法辨认时写 “未公布”，并在 uncertain 中照录原文。",
            listing=_SCORES,
        ),
        CodeInfo(
            "W262",
            _W,
            "目标值和完成值都未公布却得满分",
            "该指标没有目标值也没有完成值，却得了满分：公布材料无法说明它是否完成，得分无法核实。",
            "原文给出目标值或完成值时照录；原文确实空白时保留，网站会说明该项得分无法核实。",
            listing=_SCORES,
        ),
        CodeInfo(
            "W263",
            _W,
            "完成值与目标值相同却被扣分",
            "文字目标的完成值与目标值写法相同（已达到目标），得分却低于分值。",
            "核对得分、完成值和扣分说明；原文如此则保留。",
            listing=_SCORES,
        ),
        CodeInfo(
            "W264",
            _W,
            "一级指标分值与表上注明的分值不符",
            "表上印的分值说明（[form] weight_note）与各一级指标的分值不同。",
            "核对各一级指标的分值与表上的说明；原文如此则保留。",
            listing=_SCORES,
        ),
        CodeInfo(
            "W265",
            _W,
            "一级指标分值与评分方案规定的分值不符",
            "记录所用评分方案规定了一级指标的分值（binding_weights = true），记录中的分值与之不同。",
            "核对各一级指标的分值与所用方案；原表确实用了别的分值时，改用相应的方案或不写 scheme。",
            listing=_SCORES,
        ),
        CodeInfo(
            "I266",
            _I,
            "一级指标分值与评分方案的常用分值不同",
            "记录中一级指标的分值与所写评分方案的常用分值不同。该方案的分值不是强制的，只提示编辑核对，不在公开页面显示。",
            "核对原表的分值；原表如此则无需处理。",
            listing=_EDITORS,
        ),
        CodeInfo(
            "W267",
            _W,
            "“其中”子行的单位不一致",
            "指标下的“其中”子行（[[indicator.parts]]）用了不同的、不能换算的单位，无法相加核对。",
            "核对原表各子行的单位；原文如此则保留。",
            listing=_SCORES,
        ),
        CodeInfo(
            "W268",
            _W,
            "“其中”子行之和与该指标不符",
            "指标下各“其中”子行的数值相加，与该指标的目标值、完成值、分值或得分不同。",
            "核对各子行与该指标的数值；原文如此则保留。",
            listing=_SCORES,
        ),
        CodeInfo(
            "W269",
            _W,
            "预算合计行为 0 而“其中”各行有金额",
            "预算表的合计行为 0，而资金来源或明细各行显示有预算和支出：执行率无法从合计行计算，预算执行率的得分不按规则复核。",
            "核对原表的合计行；原文如此则保留，网站会说明该项得分无法核对。",
            listing=_SCORES,
        ),
        # --- budget (W3xx)
        CodeInfo(
            "W301",
            _W,
            "预算执行率与金额不符",
            "公布的执行率不等于 执行数 ÷ 预算数。",
            "核对执行数、预算数和执行率。",
            listing=_BUDGET,
        ),
        CodeInfo(
            "W302",
            _W,
            "“其中”各行之和与合计不符",
            "资金来源“其中”各行相加不等于合计行。",
            "核对各资金来源金额。",
            listing=_BUDGET,
        ),
        CodeInfo(
            "W303",
            _W,
            "明细之和与预算合计不符",
            "子项目/明细各行相加不等于预算合计。",
            "核对明细金额。",
            listing=_BUDGET,
        ),
        CodeInfo(
            "W304",
            _W,
            "结余结转恒等式不成立",
            "应有 资金结余结转数 = 财政拨款数 − 实际支付数 = 结转数 + 财政收回数，以及 指标结余数 = 预算数 − 财政拨款数。",
            "核对结余、结转与收回金额。",
            listing=_BUDGET,
        ),
        CodeInfo(
            "W305",
            _W,
            "预算调整率与金额不符",
            "公布的预算调整率不等于 调整数 ÷ 年初预算数，或调整后预算 ≠ 年初预算 + 调整数。",
            "核对调整数与调整率。",
            listing=_BUDGET,
        ),
        CodeInfo(
            "W306",
            _W,
            "叙述中的比率与数据不符",
            "叙述文件中引用的执行率等比率与记录中的金额算出的不同。",
            "核对叙述文字与表格数据，改正有误的一方；原文如此则保留。",
            listing=_REPORT,
        ),
        CodeInfo(
            "W307",
            _W,
            "叙述中的得分与表格不符",
            "叙述文件中写的某指标得分或总分与记录中的公布得分不同。",
            "核对叙述文字与指标表，改正有误的一方；原文如此则保留。",
            listing=_REPORT,
        ),
        CodeInfo(
            "W308",
            _W,
            "执行数超过预算数",
            "执行数大于预算数，执行率超过 100%。",
            "核对执行数与预算数。",
            listing=_BUDGET,
        ),
        CodeInfo(
            "W309",
            _W,
            "预算执行率得分与金额不符",
            "预算执行率指标的完成值与预算金额算出的执行率不同。",
            "核对完成值与预算金额。",
            listing=_BUDGET,
        ),
        CodeInfo(
            "W220",
            _W,
            "有总分而没有指标",
            "记录写了公布总分（total），却没有任何指标行，总分无法按指标复核。",
            "照原表录入指标；原表确无指标时保留总分，网站会说明该总分未经复核。",
            listing=_SCORES,
        ),
        CodeInfo(
            "W310",
            _W,
            "预算数为 0 却有执行数",
            "记录的预算数为 0，但执行数大于 0，执行率无法计算，预算执行率指标也无法复核。",
            "核对原表：预算数常写在“全年预算数”或“调整后预算数”栏，照原表填写。",
            listing=_BUDGET,
        ),
        # --- publication dates and the revisions of a published record (E4xx; issue 13, history)
        CodeInfo(
            "E401",
            _E,
            "修订日期早于公开日期",
            "[[revisions]] 中一条修订记录的日期早于记录首次公开的日期（publish_date）。修订是公开之后的改动，"
            "日期不会早于首次公开；照此发布，页面会显示一个不真实的日期。",
            "核对两个日期：publish_date 写首次公开的日期，以后不再改动；修订记录的 date 写实际改动的那一天。",
        ),
        CodeInfo(
            "E402",
            _E,
            "修订日期晚于今天",
            "修订记录的日期在构建网站（或校验）的日期之后，页面会显示一个还没有到来的更新日期。"
            "构建日期是当天（设置了 SOURCE_DATE_EPOCH 时是它表示的日期，按协调世界时）。",
            "修订记录的 date 写实际改动的那一天，不晚于今天。",
        ),
        CodeInfo(
            "W403",
            _W,
            "修订记录没有按日期先后排列",
            "[[revisions]] 应按日期从早到晚排列，页面照此顺序列出修订记录。",
            "把日期较早的修订记录移到前面。",
            listing=_EDITORS,
        ),
        CodeInfo(
            "W404",
            _W,
            "修订日期没有写到日",
            "修订记录的日期只写了年或年月。页面的更新日期和 Git 历史的核对都以日为单位。",
            "写成 2025-03-18 这样的完整日期。",
            listing=_EDITORS,
        ),
        CodeInfo(
            "W405",
            _W,
            "有修订记录而没有公开日期",
            "记录有 [[revisions]]，却没有写首次公开的日期（publish_date）：页面没有发布日期，修订日期也无从核对。",
            "照实际情况写上记录首次公开的日期 publish_date（不是修订的日期，也不是今天）。",
            listing=_EDITORS,
        ),
        CodeInfo(
            "W406",
            _W,
            "已公开记录的数字改动了而没有修订记录",
            "validate 把已公开的记录与 Git 历史中的版本（当前分支与默认分支的合并基点，或 --since 指定的版本）比较："
            "得分、分值、总分、等级、预算金额、指标值或完成值改动了，却没有新增日期不早于该版本的修订记录。"
            "公开后改动数字而不说明，读者无从知道页面改过。",
            "在记录末尾加一条 [[revisions]]：date 写改动的日期，note 写改了什么、为什么改，"
            "如“更正：指标‘系统故障率’的公布得分由 8 分更正为 6 分（录入时抄错）”。",
            listing=_EDITORS,
        ),
        CodeInfo(
            "W407",
            _W,
            "已公开记录的公开日期或修订记录被改动",
            "与 Git 历史中的版本相比，已公开记录的首次公开日期（publish_date）或已有的修订记录被改动或删除。"
            "它们是页面的历史，改动它们就是改写历史（政府网站检查把“伪造发稿日期”列为单项否决）。",
            "恢复原来的 publish_date 和已有的修订记录；新的改动另加一条 [[revisions]] 说明。",
            listing=_EDITORS,
        ),
        CodeInfo(
            "I408",
            _I,
            "没有与 Git 历史比较",
            "validate 在 Git 仓库中会把已公开的记录与默认分支的合并基点（或 --since 指定的版本）比较，检查改动的数字"
            "是否写了修订记录（W406）。本次没有比较，原因见说明：不是 Git 仓库、没有安装 git、浅克隆中没有该版本，"
            "或找不到默认分支。",
            "在完整克隆的仓库中运行（持续集成中 actions/checkout 设 fetch-depth: 0，GitLab 设 GIT_DEPTH: 0），"
            "或用 --since 指定比较的版本（分支、标签或提交）。",
            listing=_EDITORS,
        ),
        # --- problems found, recommendations and their follow-up (issue 17: E5xx / W5xx / I5xx)
        CodeInfo(
            "E501",
            _E,
            "编号格式不对",
            "问题和建议的编号（key）只能用英文字母、数字和连字符，最长 32 个字符：以后年度的记录用 年度 + 编号 指明原问题，"
            "网页也用它链接到问题。",
            "改为如 p1、budget-precision 的写法；已被以后年度引用的编号不要再改。",
        ),
        CodeInfo(
            "E502",
            _E,
            "编号重复",
            "同一记录中两个问题（或两条建议）用了同一个编号；或同一项目同一年度的两个记录列出了编号相同的问题，"
            "以后年度的整改情况无法指明是哪一个。",
            "给每个问题、每条建议一个不同的编号（同一项目同一年度内的问题编号都不相同）。",
        ),
        CodeInfo(
            "E503",
            _E,
            "问题类别不在允许范围内",
            "问题的类别（category）只能是 决策、过程、产出、效益，或本记录的一级指标名称（可不带“指标”二字）。",
            "改为提示中列出的某个类别；拿不准时可不写类别。",
        ),
        CodeInfo(
            "W504",
            _W,
            "问题没有类别",
            "问题没有写类别（category）：问题清单中列为“未分类”，按类别筛选和统计时不计入任何类别。",
            "按问题所属的评价环节写 category（决策、过程、产出、效益，或本记录的一级指标名称）。",
            listing=_EDITORS,
        ),
        CodeInfo(
            "E505",
            _E,
            "建议针对的问题不存在",
            "建议的 answers 中有一个编号不是本记录任何一个问题（[[problems]]）的编号，网页无法链接到它。",
            "改正编号，或在 [[problems]] 中补上该问题；建议不针对具体问题时删去 answers。",
        ),
        CodeInfo(
            "E510",
            _E,
            "整改情况指向的年度没有评价记录",
            "[[follow_up]] 的 year 应是同一项目（同一 id）较早年度的一个评价记录的年度，本记录自己的年度和以后的年度都不行。",
            "改正 year；原问题所在的记录还没有录入时，先录入该记录（可以是草稿）。",
        ),
        CodeInfo(
            "E511",
            _E,
            "整改情况指向的问题不存在",
            "[[follow_up]] 的 problem 不是该年度记录中任何一个问题（[[problems]]）的编号。",
            "按提示中列出的编号改正 problem，或在该年度的记录中补上该问题。",
        ),
        CodeInfo(
            "E512",
            _E,
            "同一问题的整改情况写了两次",
            "本记录中两个 [[follow_up]] 指向同一年度的同一问题，公开页面无法确定它的整改情况。",
            "合并为一个 [[follow_up]]。",
        ),
        CodeInfo(
            "W513",
            _W,
            "上次评价所列问题没有整改情况",
            "同一项目上一次评价（较早年度中最近的一年）的记录列出了问题，本记录没有说明其中任何一个的整改情况。"
            "公开页面把这些问题的整改情况显示为“未说明”。",
            "报告说明了整改情况时，为每个问题写一个 [[follow_up]]（year、problem、status、evidence）；"
            '报告确实没有说明时，可为它们写 status = "未说明"，这条警告就不再出现。',
            listing=_EDITORS,
        ),
        CodeInfo(
            "I514",
            _I,
            "上次评价的部分问题没有整改情况",
            "本记录说明了上一次评价所列部分问题的整改情况，其余问题在公开页面上显示为“未说明”。",
            "报告说明了其余问题的整改情况时补上对应的 [[follow_up]]；没有说明时无需处理。",
            listing=_EDITORS,
        ),
        CodeInfo(
            "W520",
            _W,
            "评价结果应用的金额与调整方向不符",
            '[result_use] 写了 change = "持平" 或 "未说明"，却写了调整金额（amount）。',
            "核对原文：预算有调整时改正 change，没有调整时删除 amount。",
            listing=_EDITORS,
        ),
        CodeInfo(
            "W521",
            _W,
            "受影响的预算年度早于评价年度",
            "[result_use] 的 budget_year 早于本记录的评价年度：评价结果只能影响以后年度的预算。",
            "核对原文中的预算年度。",
            listing=_EDITORS,
        ),
    ]
}


# Codes no longer used, and what replaced them. Their numbers stay free: a code never comes back with another
# meaning (the guide lists them, so that an editor holding an old message finds the new code).
RETIRED: dict[str, str] = {
    "E201": "W241",
    "E202": "W242",
    "E203": "W243",
    "E214": "W244、I245",
}


@dataclass(frozen=True)
class Problem:
    """A problem found while scoring, at a key of the record, before it is placed at a file:line:col.

    Scoring and the rule kinds produce these; checks.Reporter.report turns each into a Diagnostic.
    """

    code: str
    message: str
    key: KeyPath = ()
    public: str = ""  # the same for the public (see Diagnostic.public)

    def under(self, prefix: KeyPath, subject: str) -> Problem:
        """The problem of a part (a rule's input) stated for the whole: key under `prefix`, message led by `subject`."""
        public = f"{subject}：{self.public}。" if self.public else ""
        return Problem(self.code, f"{subject}：{self.message}。", prefix + self.key, public)


@dataclass(frozen=True)
class Diagnostic:
    code: str
    file: str
    line: int
    column: int
    message: str
    severity: Severity = field(default=Severity.ERROR)
    # For the public page (数据核对) and downloads, when the code is listed there: which published figure, what
    # the recomputation gives and by which rule, in plain Chinese without codes, files, field names or
    # instructions. Editors' outputs show `message`, never this.
    public: str = ""

    def to_json(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "severity": self.severity.value,
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "message": self.message,
        }

    def to_text(self) -> str:
        return f"{self.file}:{self.line}:{self.column}: {self.severity.label} {self.code}: {self.message}"

    @property
    def listing(self) -> Listing:
        """Who reads it (a code without a listing, an error among them, is for editors only)."""
        return CODES[self.code].listing or Listing.EDITORS


class PublicTextMissing(RuntimeError):
    """A check reported a code the public reads without the words for the public: a fault of the tool, which
    evaluate_file reports as E199 on the record (never a finding shown with the editors' words)."""


def make(code: str, file: str, line: int, column: int, message: str, public: str = "") -> Diagnostic:
    info = CODES[code]
    return Diagnostic(
        code=code, file=file, line=line, column=column, message=message, severity=info.severity, public=public
    )


def sort_key(d: Diagnostic) -> tuple[str, int, int, str, str]:
    return (d.file, d.line, d.column, d.code, d.message)


def has_errors(diags: list[Diagnostic]) -> bool:
    return any(d.severity is Severity.ERROR for d in diags)
