"""How sure a call-to-action experiment's results are: pure functions on counts.

A variant shown `views` times and clicked `clicks` times has a click rate;
its 95% interval is Wilson's score interval, which stays inside 0..1 and
behaves with few clicks. Whether a variant beats the control is the
probability, under a Beta-binomial model with a uniform prior (each rate
Beta(1 + clicks, 1 + views - clicks) after the counts), that its rate is the
higher one: computed exactly, not by sampling.
"""

import math
from dataclasses import dataclass

Z_95 = 1.959963984540054


def usable(clicks, views):
    """(clicks, views) as the model can take them: no count below zero and no more
    clicks than views. More clicks than views happen (a read count a browser
    blocked, counts sent by hand); the results page flags them (`is_anomalous`)."""
    views = max(0, views)
    return min(max(0, clicks), views), views


def wilson_interval(clicks, views, *, z=Z_95):
    """The (low, high) 95% interval of the click rate, or None without views."""
    clicks, views = usable(clicks, views)
    if views <= 0:
        return None
    rate = clicks / views
    spread = z * math.sqrt(rate * (1 - rate) / views + z * z / (4 * views * views))
    centre = rate + z * z / (2 * views)
    scale = 1 + z * z / views
    return (max(0.0, (centre - spread) / scale), min(1.0, (centre + spread) / scale))


def _log_beta(a, b):
    return math.lgamma(a) + math.lgamma(b) - math.lgamma(a + b)


def probability_beats(variant, control):
    """P(rate of `variant` > rate of `control`), each a (clicks, views) pair.

    With posteriors Beta(a1, b1) for the variant and Beta(a2, b2) for the
    control, P(X > Y) = sum over i < a1 of
    B(a2 + i, b1 + b2) / ((b1 + i) B(1 + i, b1) B(a2, b2)) (Evan Miller's
    closed form), summed in logarithms; the sum has `clicks + 1` terms.
    """
    variant, control = usable(*variant), usable(*control)
    a1, b1 = 1 + variant[0], 1 + variant[1] - variant[0]
    a2, b2 = 1 + control[0], 1 + control[1] - control[0]
    log_terms = [
        _log_beta(a2 + i, b1 + b2) - math.log(b1 + i) - _log_beta(1 + i, b1) - _log_beta(a2, b2)
        for i in range(a1)
    ]
    peak = max(log_terms)
    total = peak + math.log(sum(math.exp(term - peak) for term in log_terms))
    return min(1.0, max(0.0, math.exp(total)))


@dataclass
class VariantResult:
    key: str
    is_control: bool
    views: int
    clicks: int

    @property
    def rate(self):
        return self.clicks / self.views if self.views else None

    @property
    def interval(self):
        return wilson_interval(self.clicks, self.views)

    @property
    def is_anomalous(self):
        """More clicks than views, or a count below zero: what no one viewer does."""
        return self.clicks > self.views or min(self.clicks, self.views) < 0


@dataclass
class Verdict:
    """Each variant's chance of beating the control, and the winner once one is clear."""

    beats_control: dict
    winner: str | None
    enough_data: bool
    # The variants whose counts no viewers could have made (`is_anomalous`).
    anomalies: list


def judge(results, *, minimum_views, confidence=0.95):
    """The verdict on `results` (VariantResults, one of them the control).

    No winner is named until every variant has `minimum_views`, nor while a
    variant's counts are anomalous; then the winner is the variant most likely
    to beat the control if that chance is at least `confidence`, or the
    control if every variant's is at most 1 - `confidence`.
    """
    control = next(result for result in results if result.is_control)
    beats = {
        result.key: probability_beats(
            (result.clicks, result.views), (control.clicks, control.views)
        )
        for result in results
        if not result.is_control
    }
    enough = all(result.views >= minimum_views for result in results)
    anomalies = [result.key for result in results if result.is_anomalous]
    winner = None
    if enough and beats and not anomalies:
        best = max(beats, key=beats.get)
        if beats[best] >= confidence:
            winner = best
        elif all(chance <= 1 - confidence for chance in beats.values()):
            winner = control.key
    return Verdict(beats_control=beats, winner=winner, enough_data=enough, anomalies=anomalies)
