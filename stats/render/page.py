"""HTML: a self-contained page (chart embedded) that opens in any browser without the server."""
from __future__ import annotations

import base64

from flask import render_template

from stats.document import Report
from stats.render.chart import render_png


def render_html(report: Report) -> bytes:
    """Render the report as one HTML file."""
    chart = base64.b64encode(render_png(report.chart)).decode() if report.tables[0].rows else ""
    return render_template("stats/report_file.html", report=report, chart=chart).encode()
