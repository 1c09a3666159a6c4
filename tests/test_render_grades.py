"""Grades on the public pages: the published grade, and the band ranges the guide and the methodology page word."""

from __future__ import annotations

from decimal import Decimal

import pytest

from generator.core.schemes import GradeBands, load_library
from generator.core.scoring import published_grade
from generator.render.grades import GUIDE_WORDING, METHODOLOGY_WORDING, band_ranges, range_text
from generator.render.guide import run_example

D = Decimal
INDICATOR = '\n[[indicator]]\npath = []\nname = "预算执行率"\nweight = 100\nscore = 85\n'


@pytest.fixture(scope="module")
def library():
    return load_library(None)


def _texts(bands: GradeBands, wording) -> list[tuple[str, str]]:
    return [(band.grade, range_text(band, wording)) for band in band_ranges(bands)]


def test_band_ranges_carry_the_minimum_of_the_band_above(library):
    ranges = band_ranges(library.grade_bands["national4"])
    assert [(r.grade, r.minimum, r.upper) for r in ranges] == [
        ("优", 90, None),
        ("良", 80, 90),
        ("中", 60, 80),
        ("差", 0, 60),
    ]


def test_one_band_set_in_each_page_wording(library):
    bands = library.grade_bands["national4"]
    assert _texts(bands, GUIDE_WORDING) == [
        ("优", "90 分及以上"),
        ("良", "80 分（含）至 90 分"),
        ("中", "60 分（含）至 80 分"),
        ("差", "60 分以下"),
    ]
    assert _texts(bands, METHODOLOGY_WORDING) == [
        ("优", "90 分及以上"),
        ("良", "80 分至不足 90 分"),
        ("中", "60 分至不足 80 分"),
        ("差", "不足 60 分"),
    ]


def test_a_band_from_zero_or_below_covers_every_lower_score():
    single = GradeBands("one", "一档", (("合格", D(0)),))
    assert _texts(single, GUIDE_WORDING) == [("合格", "0 分及以上")]
    assert _texts(single, METHODOLOGY_WORDING) == [("合格", "任意")]
    negative = GradeBands("neg", "负下限", (("通过", D(60)), ("不通过", D(-10))))
    assert _texts(negative, GUIDE_WORDING)[1] == ("不通过", "60 分以下")
    assert _texts(negative, METHODOLOGY_WORDING)[1] == ("不通过", "不足 60 分")


def test_the_guide_and_the_methodology_page_use_the_shared_wording(library):
    from generator.render.guide import grade_bands_page
    from generator.render.listings import methodology_page
    from generator.render.summary import summarize

    guide = grade_bands_page(library)
    for grade, text in _texts(library.grade_bands["five"], GUIDE_WORDING):
        assert f"| {grade} | {text} |" in guide
    _, ev, _ = run_example("total = 85\n" + INDICATOR, library=library)
    methodology = methodology_page([summarize(ev)])
    for grade, text in _texts(ev.bands, METHODOLOGY_WORDING):
        assert f'data-grade="{grade}">{grade}</span></td><td>{text}</td>' in methodology


@pytest.mark.parametrize(
    "head, expected",
    [
        ('total = 85\ngrade = "优"\n', "优"),  # the stated grade, even where the bands disagree (W212 reports it)
        ("total = 85\n", "良"),  # none stated: the bands applied to the published total
        ("total = 59.5\n", "差"),
    ],
)
def test_published_grade_is_the_stated_one_else_the_bands(library, head, expected):
    _, ev, _ = run_example(head + INDICATOR, library=library)
    assert published_grade(ev) == expected


def test_an_unscored_record_has_no_published_grade(library):
    _, ev, _ = run_example(
        'scored = false\ngrade = "优"\n' + INDICATOR.replace("weight = 100\nscore = 85\n", ""), library=library
    )
    assert published_grade(ev) is None
