"""Small, exact statistics: quantiles, Student t quantiles and confidence intervals.

Replications are independent, so a metric's 95% confidence interval is the mean across
replications plus or minus `t(0.975, n - 1) * s / sqrt(n)`. The t quantile is computed, not
looked up: the t distribution's CDF is a regularised incomplete beta function (evaluated with
Lentz's continued fraction), inverted by bisection to full double precision.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

__all__ = ["Estimate", "bounded", "estimate", "quantile", "student_t_cdf", "student_t_quantile"]

_EPS = 1e-15
_TINY = 1e-300


def quantile(ordered: Sequence[float], q: float) -> float:
    """The `q` quantile of already sorted values, interpolating linearly (numpy's default)."""
    if not ordered:
        return math.nan
    position = q * (len(ordered) - 1)
    low = math.floor(position)
    high = min(low + 1, len(ordered) - 1)
    weight = position - low
    return ordered[low] * (1.0 - weight) + ordered[high] * weight


def _beta_fraction(a: float, b: float, x: float) -> float:
    """The continued fraction of the incomplete beta function (modified Lentz's method)."""
    qab, qap, qam = a + b, a + 1.0, a - 1.0
    c, d = 1.0, 1.0 - qab * x / qap
    d = 1.0 / (d if abs(d) > _TINY else _TINY)
    h = d
    for m in range(1, 500):
        m2 = 2 * m
        for numerator in (
            m * (b - m) * x / ((qam + m2) * (a + m2)),
            -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2)),
        ):
            d = 1.0 + numerator * d
            d = 1.0 / (d if abs(d) > _TINY else _TINY)
            c = 1.0 + numerator / c
            c = c if abs(c) > _TINY else _TINY
            h *= d * c
        if abs(d * c - 1.0) < _EPS:
            break
    return h


def _incomplete_beta(a: float, b: float, x: float) -> float:
    """The regularised incomplete beta function I_x(a, b)."""
    if x <= 0.0:
        return 0.0
    if x >= 1.0:
        return 1.0
    log_front = (
        math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * math.log(x) + b * math.log1p(-x)
    )
    front = math.exp(log_front)
    if x < (a + 1.0) / (a + b + 2.0):
        return front * _beta_fraction(a, b, x) / a
    return 1.0 - front * _beta_fraction(b, a, 1.0 - x) / b


def student_t_cdf(t: float, df: float) -> float:
    """P(T <= t) for Student's t distribution with `df` degrees of freedom."""
    tail = 0.5 * _incomplete_beta(df / 2.0, 0.5, df / (df + t * t))
    return 1.0 - tail if t > 0 else tail


def student_t_quantile(p: float, df: float) -> float:
    """The `p` quantile of Student's t with `df` degrees of freedom (0 < p < 1)."""
    if not 0.0 < p < 1.0 or df <= 0:
        raise ValueError("need 0 < p < 1 and df > 0")
    if p < 0.5:
        return -student_t_quantile(1.0 - p, df)
    low, high = 0.0, 1.0
    while student_t_cdf(high, df) < p:
        low, high = high, high * 2.0
    for _ in range(200):
        middle = (low + high) / 2.0
        if middle in (low, high):
            break
        if student_t_cdf(middle, df) < p:
            low = middle
        else:
            high = middle
    return (low + high) / 2.0


@dataclass(frozen=True, slots=True)
class Estimate:
    """A metric across replications: its mean and the half-width of its 95% interval.

    `half_width` is NaN when there is only one replication (no interval can be given).
    `floor` and `ceiling` are the figure's possible range (0 to 1 for a share, 0 upwards for
    a count or a time): the interval is clipped to it, and `clipped` says when it was.
    """

    mean: float
    half_width: float
    n: int
    floor: float = -math.inf
    ceiling: float = math.inf

    @property
    def low(self) -> float:
        return max(self.mean - self.half_width, self.floor)

    @property
    def high(self) -> float:
        return min(self.mean + self.half_width, self.ceiling)

    @property
    def clipped(self) -> bool:
        """True when the t interval went beyond the figure's possible range and was cut."""
        return (
            self.mean - self.half_width < self.floor or self.mean + self.half_width > self.ceiling
        )

    def covers(self, value: float) -> bool:
        """True when `value` lies inside the interval."""
        return self.low <= value <= self.high

    def as_dict(self) -> dict[str, float | int | None]:
        def clean(value: float) -> float | None:
            return None if math.isnan(value) else value

        return {
            "mean": clean(self.mean),
            "low": clean(self.low),
            "high": clean(self.high),
            "n": self.n,
        }


def estimate(
    values: Sequence[float],
    level: float = 0.95,
    *,
    floor: float = -math.inf,
    ceiling: float = math.inf,
) -> Estimate:
    """The mean of `values` (one per replication, NaNs left out) with its t interval, clipped
    to `floor` and `ceiling` (a share's interval never goes below 0% or above 100%)."""
    finite = [v for v in values if not math.isnan(v)]
    n = len(finite)
    if n == 0:
        return Estimate(math.nan, math.nan, 0, floor, ceiling)
    mean = math.fsum(finite) / n
    if n == 1:
        return Estimate(mean, math.nan, 1, floor, ceiling)
    variance = math.fsum((v - mean) ** 2 for v in finite) / (n - 1)
    t = student_t_quantile(0.5 + level / 2.0, n - 1)
    return Estimate(mean, t * math.sqrt(variance / n), n, floor, ceiling)


def bounded(values: Sequence[float], share: bool) -> Estimate:
    """`estimate` of a figure that cannot be negative: a share (0 to 1), or a count or time."""
    return estimate(values, floor=0.0, ceiling=1.0 if share else math.inf)
