"""The public chart's marks and text stand out from its background (WCAG 1.4.11, 1.4.3)."""

import re
from datetime import date

from ingest.publish import charts


def luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def contrast(a: str, b: str) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_bars_are_3_to_1_and_text_4_5_to_1_against_the_background() -> None:
    svg = charts.weekly([(date(2026, 11, 2), 5, 3), (date(2026, 11, 9), 4, 4)])
    background = charts.STYLE.background
    for colour in charts.STYLE.colors:
        assert colour in svg  # the marks drawn are these
        assert contrast(colour, background) >= 3, colour
    for text in (charts.STYLE.foreground, charts.STYLE.foreground_subtle):
        assert contrast(text, background) >= 4.5, text
    assert re.search(r"uge 45", svg)


def test_a_phone_gets_a_chart_drawn_at_its_width_with_the_last_eight_weeks() -> None:
    mondays = [date.fromordinal(date(2026, 1, 5).toordinal() + 7 * n) for n in range(20)]
    weeks = [(monday, 3, 2) for monday in mondays]
    narrow = charts.weekly(weeks, "da", "narrow")
    assert re.search(r'<svg[^>]*viewBox="0 0 360 260"', narrow)
    labels = re.findall(r"uge (\d+)", narrow)
    assert sorted(set(labels), key=int) == [str(m.isocalendar().week) for m in mondays[-8:]]
    assert len(set(re.findall(r"uge (\d+)", charts.weekly(weeks, "da")))) == 20
