"""Every counter poster decodes, with a real QR decoder, to URLs that open the right forms."""
from __future__ import annotations

import re
import shutil
import subprocess

import pytest
import zxingcpp
from PIL import Image, ImageDraw

from intake.service_points import sync_service_points
from models import db
from tests.intake.helpers import heading
from tests.conftest import page_text


@pytest.fixture
def points(app):
    sync_service_points(app.config["PROFILE"])
    db.commit()


def decode_png(path) -> set[str]:
    return {code.text for code in zxingcpp.read_barcodes(Image.open(path))}


def decode_pdf(path, tmp_path) -> set[str]:
    if shutil.which("pdftoppm") is None:
        pytest.skip("PDF poster decode skipped: pdftoppm (poppler-utils) is not installed")
    prefix = tmp_path / path.stem
    subprocess.run(["pdftoppm", "-r", "120", "-png", "-singlefile", str(path), str(prefix)], check=True)
    return decode_png(prefix.with_suffix(".png"))


def decode_svg(path) -> set[str]:
    """Rasterise the QR squares the SVG draws (path commands in mm) and decode them."""
    scale = 6  # pixels per mm
    image = Image.new("L", (210 * scale, 297 * scale), 255)
    draw = ImageDraw.Draw(image)
    for d in re.findall(r'<path d="([^"]+)"', path.read_text()):
        for x, y, side in re.findall(r"M([\d.]+) ([\d.]+)h([\d.]+)", d):
            x, y, side = float(x), float(y), float(side)
            draw.rectangle((x * scale, y * scale, (x + side) * scale - 1, (y + side) * scale - 1), fill=0)
    return {code.text for code in zxingcpp.read_barcodes(image)}


@pytest.mark.parametrize("fmt", ["png", "pdf", "svg"])
def test_every_poster_decodes_to_its_own_rating_form(app, client, points, tmp_path, fmt):
    result = app.test_cli_runner().invoke(args=["qr", "all", "--out-dir", str(tmp_path), "--format", fmt])
    assert result.exit_code == 0, result.output
    base = app.config["SETTINGS"].public_base_url
    profile = app.config["PROFILE"]
    for spec in profile.service_points:
        path = tmp_path / f"poster-{spec.code}.{fmt}"
        urls = {"png": decode_png, "svg": decode_svg}[fmt](path) if fmt != "pdf" else decode_pdf(path, tmp_path)
        assert urls == {f"{base}/r/{spec.code}", f"{base}/complaint", profile.add_friend_url}
        rating_form = client.get(f"/r/{spec.code}")
        assert rating_form.status_code == 200 and spec.name in page_text(rating_form)
        assert heading(client.get("/complaint")) == "แจ้งเรื่องร้องเรียนการทุจริตและประพฤติมิชอบ"


def test_a_poster_without_line_has_no_line_code(app, points, tmp_path):
    from dataclasses import replace

    app.config["PROFILE"] = replace(app.config["PROFILE"], add_friend_url="")
    out = tmp_path / "tax.png"
    result = app.test_cli_runner().invoke(args=["qr", "poster", "--point", "tax", "--format", "png", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert decode_png(out) == {"http://127.0.0.1:5000/r/TAX", "http://127.0.0.1:5000/complaint"}


def test_an_unknown_point_is_refused_naming_the_known_ones(app, points, tmp_path):
    result = app.test_cli_runner().invoke(args=["qr", "poster", "--point", "NOPE", "--out", str(tmp_path / "x.pdf")])
    assert result.exit_code != 0 and "ไม่พบจุดบริการ NOPE" in result.output and "TAX" in result.output
    assert not (tmp_path / "x.pdf").exists()


def test_the_pdf_poster_keeps_its_thai_text_searchable(app, points, tmp_path):
    from pypdf import PdfReader

    out = tmp_path / "tax.pdf"
    app.test_cli_runner().invoke(args=["qr", "poster", "--point", "TAX", "--out", str(out)])
    text = PdfReader(out).pages[0].extract_text()
    assert "สแกนเพื่อประเมินความพึงพอใจ" in text and app.config["PROFILE"].name in text
