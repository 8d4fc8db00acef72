"""PNG bar charts drawn by matplotlib with the Sarabun font, so Thai labels render."""
from __future__ import annotations

import io
import threading

import matplotlib

matplotlib.use("Agg")
from matplotlib import font_manager  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from stats.document import Chart  # noqa: E402
from config.thai import FONT_BOLD as BOLD, FONT_REGULAR as REGULAR, line_pieces  # noqa: E402

font_manager.fontManager.addfont(str(REGULAR))
font_manager.fontManager.addfont(str(BOLD))
_FAMILY = font_manager.FontProperties(fname=str(REGULAR)).get_name()
_COLORS = ("#2e7d32", "#f9a825", "#1565c0", "#6a1b9a")
# matplotlib's font caches are not thread-safe; web threads and the clock may draw at once.
_LOCK = threading.Lock()


def wrap_words(text: str, width: int) -> str:
    """Break a label into lines of about `width` characters, only between Thai words."""
    lines, line = [], ""
    for word in line_pieces(text):
        if line and len(line) + len(word) > width:
            lines.append(line.rstrip())
            line = word.lstrip()
        else:
            line += word
    return "\n".join(lines + [line.rstrip()] if line.strip() else lines)


def render_png(chart: Chart, width: float = 8, height: float = 4, dpi: int = 150) -> bytes:
    """Draw a bar chart and return it as PNG bytes."""
    with _LOCK:
        figure = Figure(figsize=(width, height), dpi=dpi)
        axes = figure.subplots()
        positions = range(len(chart.labels))
        bottom = [0.0] * len(chart.labels)
        count = len(chart.series)
        bar_width = 0.7 if chart.stacked or count == 1 else 0.8 / count
        for i, (name, values) in enumerate(chart.series.items()):
            if chart.stacked:
                axes.bar(positions, values, bar_width, bottom=bottom, label=name, color=_COLORS[i % 4])
                bottom = [b + v for b, v in zip(bottom, values)]
            else:
                shifted = [p + (i - (count - 1) / 2) * bar_width for p in positions]
                bars = axes.bar(shifted, values, bar_width, label=name, color=_COLORS[(i + 2) % 4])
                # Scores keep two decimals; counts and days read as written; empty bars stay unlabelled.
                fmt = "%.2f" if chart.y_max else "%g"
                axes.bar_label(bars, labels=[fmt % v if v else "" for v in values], fontfamily=_FAMILY, fontsize=9)
        label_width = max(6, int(60 / max(1, len(chart.labels))))
        axes.set_xticks(list(positions), [wrap_words(label, label_width) for label in chart.labels],
                        fontfamily=_FAMILY, fontsize=10)
        axes.set_ylabel(chart.y_label, fontfamily=_FAMILY, fontsize=11)
        axes.set_title(wrap_words(chart.title, 70), fontfamily=_FAMILY, fontsize=13)
        if chart.y_max:
            axes.set_ylim(0, chart.y_max)
        else:
            axes.yaxis.get_major_locator().set_params(integer=True)
            axes.set_ylim(bottom=0)
        if count > 1:
            axes.legend(prop={"family": _FAMILY, "size": 10})
        axes.spines[["top", "right"]].set_visible(False)
        figure.tight_layout()
        out = io.BytesIO()
        figure.savefig(out, format="png")
        return out.getvalue()
