"""The ranges of a grade-band set as the public pages word them (a record's published grade is core.scoring.published_grade).

The guide's grades page and the methodology page word a band's range differently (a Markdown
reference table, a sentence for the public), so each has its RangeWording; which band is the
top, a middle or the bottom one is decided here once for both.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from generator.core.decimals import fmt
from generator.core.schemes import GradeBands


@dataclass(frozen=True)
class BandRange:
    """One band of a set: its grade, its minimum (included) and the next band's minimum (excluded)."""

    grade: str
    minimum: Decimal
    upper: Decimal | None  # None for the top band


@dataclass(frozen=True)
class RangeWording:
    """How a page words a band's range; each text may use {minimum} and {upper}."""

    top: str  # the highest band
    middle: str  # a band below another, with a minimum above 0
    bottom: str  # a band below another, from 0 (or below): every score under the band above
    only: str  # a highest band from 0 (or below): every score


GUIDE_WORDING = RangeWording(
    top="{minimum} 分及以上",
    middle="{minimum} 分（含）至 {upper} 分",
    bottom="{upper} 分以下",
    only="{minimum} 分及以上",
)
METHODOLOGY_WORDING = RangeWording(
    top="{minimum} 分及以上", middle="{minimum} 分至不足 {upper} 分", bottom="不足 {upper} 分", only="任意"
)


def band_ranges(bands: GradeBands) -> list[BandRange]:
    """The bands from the highest down, each with the minimum of the band above it."""
    uppers = [None] + [minimum for _, minimum in bands.bands[:-1]]
    return [BandRange(grade, minimum, upper) for (grade, minimum), upper in zip(bands.bands, uppers)]


def range_text(band: BandRange, wording: RangeWording) -> str:
    """The band's range in a page's wording (scores on a 100 scale)."""
    if band.minimum <= 0:
        text = wording.only if band.upper is None else wording.bottom
    else:
        text = wording.top if band.upper is None else wording.middle
    return text.format(minimum=fmt(band.minimum), upper=fmt(band.upper) if band.upper is not None else "")
