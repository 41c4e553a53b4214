"""The public pages' charts, drawn on the server as SVG by pygal: no script, no font or
file from elsewhere, so they show on a closed network. Every chart's figures are also in a
table beside it on the page, which is what screen readers get."""

import sys
from collections.abc import Sequence
from datetime import date
from typing import Literal

import pygal  # type: ignore[import-untyped]
from pygal.style import Style  # type: ignore[import-untyped]

# pygal adds an import hook for its map plugins (unused here) that every later import in
# the process then consults, with an ImportWarning on Python 3.11: take it out again.
sys.meta_path[:] = [f for f in sys.meta_path if type(f).__name__ != "PluginImportFixer"]

Language = Literal["da", "en"]
LABELS = {
    "da": {"received": "Modtaget", "published": "Offentliggjort", "week": "uge"},
    "en": {"received": "Received", "published": "Published", "week": "week"},
}
# The site's blues, lighter for received and dark for published: each mark at least 3:1
# against the white background (WCAG 1.4.11), the text 4.5:1.
STYLE = Style(
    background="#ffffff",
    plot_background="#ffffff",
    foreground="#1d2330",
    foreground_strong="#1d2330",
    foreground_subtle="#5d6575",
    colors=("#5a84a8", "#1f4e74"),
    font_family="system-ui, sans-serif",
    label_font_size=13,
    major_label_font_size=13,
    legend_font_size=13,
    opacity="1",
    opacity_hover="1",
)
WEEKS_SHOWN = 26
Size = Literal["wide", "narrow"]
# Drawn at the size it is shown, so its 13 px labels stay 13 px: a phone (390 px) gets a
# narrow chart of the last eight weeks instead of half a year scaled down to 6 px text.
SIZES: dict[Size, tuple[int, int, int]] = {"wide": (800, 260, WEEKS_SHOWN), "narrow": (360, 260, 8)}


def weekly(
    weeks: Sequence[tuple[date, int, int]], language: Language = "da", size: Size = "wide"
) -> str:
    """Messages received and published per week (Mondays), the last half year (wide) or
    the last eight weeks (narrow)."""
    text = LABELS[language]
    width, height, count = SIZES[size]
    shown = list(weeks)[-count:]
    chart = pygal.Bar(
        style=STYLE,
        js=[],  # pygal's tooltips load a script from its site: none here
        disable_xml_declaration=True,
        width=width,
        height=height,
        show_y_guides=True,
        legend_at_bottom=True,
        print_values=False,
        x_label_rotation=0 if len(shown) <= 8 and size == "wide" else 40,
        min_scale=1,
    )
    chart.x_labels = [f"{text['week']} {monday.isocalendar().week}" for monday, _, _ in shown]
    most = max((received for _, received, _ in shown), default=0)
    step = max(1, -(-most // 5))  # counts are whole: five or so whole-number guides
    chart.y_labels = list(range(0, most + step, step))
    chart.add(text["received"], [received for _, received, _ in shown])
    chart.add(text["published"], [published for _, _, published in shown])
    return str(chart.render(is_unicode=True))
