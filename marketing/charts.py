"""Bar charts of daily figures, drawn as SVG by the admin's templates: their geometry."""

import itertools
import math


def nice_step(raw):
    """The smallest of 1, 2, 5, 10, 20, 50… that is at least `raw`: a readable axis step."""
    step, factors = 1, itertools.cycle((2, 2.5, 2))
    while step < raw:
        step = round(step * next(factors))
    return step


def svg_number(value):
    # Coordinates go into SVG attributes as text: a localized "12,5" would break them.
    return f"{value:.1f}".removesuffix(".0")


def bar_chart(days, series, *, rtl, width=720, height=240):
    """The geometry of an SVG bar chart with one group of bars per day.

    `series` lists (key, label, colour): each day dict holds a value under
    each key. Time runs in the reading direction: right to left, the first day
    stands at the right edge and the value axis on the right.
    """
    start, end, top, bottom = 48, 8, 12, 28
    plot_width, plot_height = width - start - end, height - top - bottom
    highest = max((day[key] or 0 for day in days for key, _label, _colour in series), default=0)
    step = nice_step(highest / 4)
    ceiling = step * max(1, math.ceil(highest / step))

    def x(offset, size):
        """The left edge of something `size` wide, `offset` from the plot's start edge."""
        return width - start - offset - size if rtl else start + offset

    def y(value):
        return top + plot_height - plot_height * value / ceiling

    slot = plot_width / len(days)
    bar_width = slot * 0.8 / len(series)
    bars = []
    for index, day in enumerate(days):
        for position, (key, label, colour) in enumerate(series):
            value = day[key] or 0
            offset = index * slot + slot * 0.1 + position * bar_width
            bars.append(
                {
                    "x": svg_number(x(offset, bar_width)),
                    "y": svg_number(y(value)),
                    "width": svg_number(bar_width),
                    "height": svg_number(y(0) - y(value)),
                    "day": day["day"],
                    "value": day[key],
                    "label": label,
                    "colour": colour,
                }
            )
    plot_x = x(0, plot_width)
    return {
        "width": width,
        "height": height,
        "direction": "rtl" if rtl else "ltr",
        "legend": [{"label": label, "colour": colour} for _key, label, colour in series],
        "plot_x1": svg_number(plot_x),
        "plot_x2": svg_number(plot_x + plot_width),
        "tick_x": svg_number(width - start + 6 if rtl else start - 6),
        "ticks": [
            {"value": value, "y": svg_number(y(value))} for value in range(0, ceiling + 1, step)
        ],
        "bars": bars,
        # Today and every seventh day before it.
        "day_labels": [
            {"day": day["day"], "x": svg_number(x(index * slot, slot) + slot / 2)}
            for index, day in enumerate(days)
            if (len(days) - 1 - index) % 7 == 0
        ],
        "day_label_y": svg_number(height - 8),
    }


def interval_chart(rows, *, rtl, width=560, row_height=36):
    """The geometry of a horizontal chart of rates with their intervals, one row each.

    `rows` lists (label, rate, (low, high)) in percent, rate and interval None
    without views. Bars grow from the start edge: rightwards left to right,
    leftwards right to left.
    """
    start, end, top = 48, 16, 8
    plot_width = width - start - end
    highest = max((interval[1] for _label, _rate, interval in rows if interval), default=0)
    ceiling = max(1, nice_step(highest))

    def x(value):
        offset = plot_width * value / ceiling
        return width - start - offset if rtl else start + offset

    bars = []
    for index, (label, rate, interval) in enumerate(rows):
        y = top + index * row_height
        bar = {"label": label, "label_y": svg_number(y + row_height / 2), "rate": rate}
        if rate is not None:
            # More clicks than views (flagged on the page) would run off the chart.
            left, right = sorted((x(0), x(min(rate, ceiling))))
            bar.update(
                x=svg_number(left),
                width=svg_number(right - left),
                y=svg_number(y + 6),
                height=svg_number(row_height - 12),
                low_x=svg_number(x(interval[0])),
                high_x=svg_number(x(interval[1])),
                whisker_y=svg_number(y + row_height / 2),
            )
        bars.append(bar)
    return {
        "width": width,
        "height": top * 2 + row_height * len(rows),
        "direction": "rtl" if rtl else "ltr",
        "label_x": svg_number(width - start + 8 if rtl else start - 8),
        "bars": bars,
        "ceiling": ceiling,
    }
