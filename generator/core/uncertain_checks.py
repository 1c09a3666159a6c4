"""Values whose pairing with their row the editor marked uncertain (`uncertain = "…"` on an indicator or a budget
row, issue 11): the record keeps the source's order, and the page says so in 数据核对 (I271)."""

from __future__ import annotations

from .checks import Reporter
from .model import Record


def check_uncertain(record: Record, rep: Reporter) -> None:
    for ind in record.indicators:
        note = (ind.uncertain or "").strip()
        if note:
            rep.at(
                "I271",
                ind.key + ("uncertain",),
                f"指标“{ind.name}”标注了对应关系不确定：{note}",
                f"指标“{ind.name}”：原表这一行的值与指标的对应关系不能确定（{note}），按原表顺序录入，复核结果仅供参考。",
            )
    budget = record.budget
    if budget is None:
        return
    for rows in (budget.sources, budget.items):
        for row in rows:
            note = (row.uncertain or "").strip()
            if note:
                rep.at(
                    "I271",
                    row.key + ("uncertain",),
                    f"预算行“{row.name}”标注了对应关系不确定：{note}",
                    f"预算“{row.name}”一行：原表中的金额辨认或对应不能确定（{note}），按原表录入，核对结果仅供参考。",
                )
