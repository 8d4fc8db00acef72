"""Renderers: one report document in, the bytes of one file format out."""
from __future__ import annotations

import json

from stats.document import FORMATS, Report, json_ready


def render(report: Report, fmt: str) -> bytes:
    """Render a report as pdf, xlsx, csv, html, json or png."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format: {fmt}")
    if fmt == "json":
        return json.dumps(json_ready(report.data), ensure_ascii=False, indent=2).encode()
    if fmt == "csv":
        from stats.render.tabular import render_csv
        return render_csv(report)
    if fmt == "xlsx":
        from stats.render.sheet import render_xlsx
        return render_xlsx(report)
    if fmt == "pdf":
        from stats.render.memo import render_pdf
        return render_pdf(report)
    if fmt == "png":
        from stats.render.chart import render_png
        return render_png(report.chart)
    from stats.render.page import render_html
    return render_html(report)
