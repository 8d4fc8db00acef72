"""HTML: a self-contained page (chart embedded) that opens in any browser without the server."""
from __future__ import annotations

import base64
import re

from flask import render_template

from stats.document import Report
from config.thai import thai_digits
from stats.render.chart import render_png


def render_html(report: Report) -> bytes:
    """Render the report as one HTML file."""
    chart = base64.b64encode(render_png(report.chart)).decode() if report.tables[0].rows else ""
    html = render_template("stats/report_file.html", report=report, chart=chart)
    return (_thai_digits_in_text(html) if report.digits == "thai" else html).encode()


def _thai_digits_in_text(html: str) -> str:
    # Only the text between tags: attributes, styles and the embedded chart keep their digits.
    parts = re.split(r"(<[^>]*>)", html)
    in_style = False
    for i, part in enumerate(parts):
        if part.startswith("<"):
            in_style = part.lower().startswith("<style") or (in_style and not part.lower().startswith("</style"))
        elif not in_style:
            parts[i] = thai_digits(part)
    return "".join(parts)
