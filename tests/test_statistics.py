"""The experiment statistics against values worked out another way."""

import math

import pytest

from marketing.statistics import VariantResult, judge, probability_beats, wilson_interval


def beta_density(x, a, b):
    return math.exp(
        (a - 1) * math.log(x) + (b - 1) * math.log(1 - x) - math.lgamma(a) - math.lgamma(b)
        + math.lgamma(a + b)
    )  # fmt: skip


def integrated(variant, control, steps=20_000):
    """P(X > Y) by numeric integration of the two Beta posteriors on a grid:
    the variant's density times the control's distribution function."""
    a1, b1 = 1 + variant[0], 1 + variant[1] - variant[0]
    a2, b2 = 1 + control[0], 1 + control[1] - control[0]
    width = 1 / steps
    total, below = 0.0, 0.0
    for i in range(steps):
        x = (i + 0.5) * width
        control_mass = beta_density(x, a2, b2) * width
        # The control's distribution function at the middle of this step.
        total += beta_density(x, a1, b1) * width * (below + control_mass / 2)
        below += control_mass
    return total


@pytest.mark.parametrize(
    ("clicks", "views", "low", "high"),
    [
        (50, 100, 0.4038, 0.5962),
        (0, 10, 0.0, 0.2775),
        (10, 10, 0.7225, 1.0),
    ],
)
def test_wilson_interval_matches_the_published_values(clicks, views, low, high):
    interval = wilson_interval(clicks, views)
    assert interval == pytest.approx((low, high), abs=1e-4)


def test_no_views_has_no_interval():
    assert wilson_interval(0, 0) is None


def test_equal_results_beat_each_other_half_the_time():
    assert probability_beats((12, 300), (12, 300)) == pytest.approx(0.5, abs=1e-9)


@pytest.mark.parametrize(
    ("variant", "control"),
    [((20, 100), (10, 100)), ((3, 50), (8, 60)), ((40, 1000), (31, 1000)), ((0, 5), (1, 5))],
)
def test_the_chance_of_beating_the_control_matches_numeric_integration(variant, control):
    assert probability_beats(variant, control) == pytest.approx(
        integrated(variant, control), abs=1e-3
    )


def test_the_two_chances_add_up_to_one():
    assert probability_beats((20, 100), (10, 100)) + probability_beats(
        (10, 100), (20, 100)
    ) == pytest.approx(1.0, abs=1e-9)


def test_no_winner_is_named_before_the_minimum_sample():
    results = [VariantResult("a", True, 50, 1), VariantResult("b", False, 50, 20)]
    verdict = judge(results, minimum_views=100)
    assert verdict.winner is None and not verdict.enough_data
    assert verdict.beats_control["b"] > 0.99


def test_a_clearly_better_variant_wins_once_the_sample_is_large_enough():
    results = [VariantResult("a", True, 1000, 30), VariantResult("b", False, 1000, 60)]
    assert judge(results, minimum_views=500).winner == "b"


def test_the_control_wins_when_every_variant_is_clearly_worse():
    results = [
        VariantResult("a", True, 1000, 60),
        VariantResult("b", False, 1000, 25),
        VariantResult("c", False, 1000, 30),
    ]
    assert judge(results, minimum_views=500).winner == "a"


def test_a_close_race_names_no_winner():
    results = [VariantResult("a", True, 1000, 50), VariantResult("b", False, 1000, 52)]
    verdict = judge(results, minimum_views=500)
    assert verdict.enough_data and verdict.winner is None


def test_the_control_does_not_win_while_one_variant_is_as_good():
    # b is clearly worse, c about as good as the control: nothing is settled.
    results = [
        VariantResult("a", True, 1000, 60),
        VariantResult("b", False, 1000, 25),
        VariantResult("c", False, 1000, 58),
    ]
    assert judge(results, minimum_views=500).winner is None


@pytest.mark.parametrize(("clicks", "views"), [(30, 10), (5, 0), (-3, 10), (4, -1)])
def test_the_statistics_take_any_counts(clicks, views):
    interval = wilson_interval(clicks, views)
    assert interval is None or 0 <= interval[0] <= interval[1] <= 1
    assert 0 <= probability_beats((clicks, views), (5, 100)) <= 1
    assert 0 <= probability_beats((5, 100), (clicks, views)) <= 1


def test_no_winner_is_named_while_a_variant_has_more_clicks_than_views():
    results = [VariantResult("a", True, 1000, 30), VariantResult("b", False, 400, 900)]
    verdict = judge(results, minimum_views=100)
    assert verdict.winner is None
    assert verdict.anomalies == ["b"]
