"""`flask line richmenu` draws the Thai menu and registers it through the Messaging API."""
from __future__ import annotations

import io

from PIL import Image

from bot import texts


def test_richmenu_is_created_uploaded_and_made_default(app, fake_line):
    result = app.test_cli_runner().invoke(args=["line", "richmenu"])
    assert result.exit_code == 0, result.output
    calls = {c["path"]: c for c in fake_line.requests()}
    created = calls["/v2/bot/richmenu"]["body"]
    assert created["size"] == {"width": 2500, "height": 843} and created["chatBarText"] == "เมนู"
    labels = [area["action"]["label"] for area in created["areas"]]
    assert labels == [texts.CMD_COMPLAINT, texts.CMD_FEEDBACK, texts.CMD_RATING, texts.CMD_TRACKING, texts.CMD_INFO]
    assert {area["action"]["data"] for area in created["areas"]} == {
        "action=complaint", "action=feedback", "action=rating", "action=tracking", "action=info"}
    upload = next(c for path, c in calls.items() if path.endswith("/content"))
    assert upload["body"]["contentType"] == "image/png" and upload["body"]["bytes"] > 10_000
    assert any(path.startswith("/v2/bot/user/all/richmenu/") for path in calls)
    assert "ริชเมนู" in result.output


def test_richmenu_image_only_writes_the_picture_and_registers_nothing(app, fake_line, tmp_path):
    out = tmp_path / "menu.png"
    result = app.test_cli_runner().invoke(args=["line", "richmenu", "--image-only", str(out)])
    assert result.exit_code == 0, result.output
    picture = Image.open(io.BytesIO(out.read_bytes()))
    assert picture.size == (2500, 843) and picture.format == "PNG"
    assert len(picture.convert("RGB").getcolors(maxcolors=1 << 20)) > 8  # coloured buttons with drawn text, not a blank
    assert not any("richmenu" in c["path"] for c in fake_line.requests())
