"""Inline SVG charts with a text alternative and their numbers in a table.

No JavaScript, no external library: the SVG is part of the page, scales with the viewport and
prints.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from html import escape

from generator.core.decimals import HUNDRED, ZERO, fmt, q2

WIDTH = 640
LABEL_W = 200
BAR_H = 18
GAP = 10
TOP = 8


@dataclass(frozen=True)
class RateRow:
    """One bar of a score-rate chart: an indicator or group, its published score and its weight."""

    label: str
    score: Decimal
    weight: Decimal

    @property
    def rate(self) -> Decimal:
        """The score as a percentage of the weight (0 when the weight is 0)."""
        return q2(self.score / self.weight * HUNDRED) if self.weight else ZERO


def _clip(label: str, limit: int = 14) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"


def rate_chart(chart_id: str, caption: str, rows: list[RateRow]) -> str:
    """Horizontal bars: score rate (得分率) per indicator group."""
    if not rows:
        return ""
    plot_w = WIDTH - LABEL_W - 70
    height = TOP + len(rows) * (BAR_H + GAP) + 20
    parts = [
        f'<svg class="pd-svg" viewBox="0 0 {WIDTH} {height}" role="img" aria-labelledby="{chart_id}-t {chart_id}-d" preserveAspectRatio="xMinYMin meet">',
        f'<title id="{chart_id}-t">{escape(caption)}</title>',
        f'<desc id="{chart_id}-d">{escape("；".join(f"{r.label} 得分率 {fmt(r.rate)}%" for r in rows))}</desc>',
    ]
    for pct in (0, 50, 100):
        x = LABEL_W + plot_w * pct / 100
        parts.append(f'<line class="pd-grid" x1="{x:.1f}" y1="{TOP - 4}" x2="{x:.1f}" y2="{height - 16}"/>')
        parts.append(f'<text class="pd-axis" x="{x:.1f}" y="{height - 4}" text-anchor="middle">{pct}%</text>')
    for i, r in enumerate(rows):
        y = TOP + i * (BAR_H + GAP)
        w = float(min(r.rate, HUNDRED)) / 100 * plot_w
        parts.append(
            f'<text class="pd-label" x="{LABEL_W - 8}" y="{y + BAR_H - 4}" text-anchor="end">{escape(_clip(r.label))}</text>'
        )
        parts.append(f'<rect class="pd-bar-bg" x="{LABEL_W}" y="{y}" width="{plot_w}" height="{BAR_H}"/>')
        parts.append(f'<rect class="pd-bar" x="{LABEL_W}" y="{y}" width="{w:.1f}" height="{BAR_H}"/>')
        parts.append(f'<text class="pd-value" x="{LABEL_W + w + 6:.1f}" y="{y + BAR_H - 4}">{fmt(r.rate)}%</text>')
    parts.append("</svg>")
    table = [
        '<table class="pd-chart-data"><thead><tr><th>指标</th><th>分值</th><th>得分</th><th>得分率</th></tr></thead><tbody>'
    ]
    for r in rows:
        table.append(
            f"<tr><td>{escape(r.label)}</td><td>{fmt(r.weight)}</td><td>{fmt(r.score)}</td><td>{fmt(r.rate)}%</td></tr>"
        )
    table.append("</tbody></table>")
    return (
        f'<figure class="pd-chart" id="{chart_id}">{"".join(parts)}<figcaption>{escape(caption)}</figcaption></figure>'
        f'<div class="pd-table-wrap">{"".join(table)}</div>'
    )


@dataclass(frozen=True)
class BudgetBar:
    """One pair of bars of the budget chart: a budget line, its budget and its executed amount."""

    label: str
    budget: Decimal
    executed: Decimal


def budget_chart(chart_id: str, caption: str, rows: list[BudgetBar], unit: str) -> str:
    """Paired bars: budget against executed, per line."""
    if not rows:
        return ""
    top_value = max(max(r.budget, r.executed) for r in rows) or Decimal(1)
    plot_w = WIDTH - LABEL_W - 90
    pair_h = 2 * 12 + 12
    height = TOP + len(rows) * pair_h + 28
    parts = [
        f'<svg class="pd-svg" viewBox="0 0 {WIDTH} {height}" role="img" aria-labelledby="{chart_id}-t {chart_id}-d" preserveAspectRatio="xMinYMin meet">',
        f'<title id="{chart_id}-t">{escape(caption)}</title>',
        f'<desc id="{chart_id}-d">{escape("；".join(f"{r.label} 预算 {fmt(r.budget)}{unit}，执行 {fmt(r.executed)}{unit}" for r in rows))}</desc>',
    ]
    for i, r in enumerate(rows):
        y = TOP + i * pair_h
        wb = float(r.budget / top_value) * plot_w
        we = float(r.executed / top_value) * plot_w
        parts.append(
            f'<text class="pd-label" x="{LABEL_W - 8}" y="{y + 16}" text-anchor="end">{escape(_clip(r.label))}</text>'
        )
        parts.append(f'<rect class="pd-bar-budget" x="{LABEL_W}" y="{y}" width="{wb:.1f}" height="11"/>')
        parts.append(f'<text class="pd-value" x="{LABEL_W + wb + 6:.1f}" y="{y + 10}">{fmt(r.budget)}</text>')
        parts.append(f'<rect class="pd-bar" x="{LABEL_W}" y="{y + 12}" width="{we:.1f}" height="11"/>')
        parts.append(f'<text class="pd-value" x="{LABEL_W + we + 6:.1f}" y="{y + 22}">{fmt(r.executed)}</text>')
    ly = height - 12
    parts.append(
        f'<rect class="pd-bar-budget" x="{LABEL_W}" y="{ly - 9}" width="12" height="10"/><text class="pd-axis" x="{LABEL_W + 16}" y="{ly}">预算数</text>'
    )
    parts.append(
        f'<rect class="pd-bar" x="{LABEL_W + 80}" y="{ly - 9}" width="12" height="10"/><text class="pd-axis" x="{LABEL_W + 96}" y="{ly}">执行数（{escape(unit)}）</text>'
    )
    parts.append("</svg>")
    return (
        f'<figure class="pd-chart" id="{chart_id}">{"".join(parts)}<figcaption>{escape(caption)}</figcaption></figure>'
    )
