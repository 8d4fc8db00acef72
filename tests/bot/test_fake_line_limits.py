"""The fake LINE API refuses what LINE refuses: one case per documented limit (bot/line_limits.py cites each)."""
from __future__ import annotations

import io
import time
import uuid

import pytest
import requests
from PIL import Image

from bot.richmenu import HEIGHT, WIDTH, menu_request

USER = "U" + "0" * 31 + "1"
GROUP = "C" + "ab" * 16


def _call(fake, path: str, body=None, *, token: str | None = None, headers: dict | None = None, data=None):
    auth = {"Authorization": f"Bearer {token if token is not None else fake.state.token}"}
    return requests.post(f"{fake.url}{path}", json=body, data=data, headers={**auth, **(headers or {})}, timeout=5)


def _push(fake, *messages, to=USER, retry_key=None):
    return _call(fake, "/v2/bot/message/push", {"to": to, "messages": list(messages)},
                 headers={"X-Line-Retry-Key": retry_key or str(uuid.uuid4())})


def _text(text: str, **extra) -> dict:
    return {"type": "text", "text": text, **extra}


def _quick(*actions) -> dict:
    return _text("เลือกค่ะ", quickReply={"items": [{"type": "action", "action": a} for a in actions]})


def _message_action(label: str, text: str = "ตกลง") -> dict:
    return {"type": "message", "label": label, "text": text}


def _bubble(body_text: str = "สวัสดี", action: dict | None = None) -> dict:
    contents = [{"type": "text", "text": body_text, "wrap": True}]
    if action:
        contents.append({"type": "button", "action": action})
    return {"type": "bubble", "body": {"type": "box", "layout": "vertical", "contents": contents}}


def _flex(contents: dict, alt: str = "การ์ด") -> dict:
    return {"type": "flex", "altText": alt, "contents": contents}


def _refused(answer, prop: str | None = None) -> list[dict]:
    assert answer.status_code == 400, answer.text
    body = answer.json()
    assert body["message"]
    if prop is not None:
        # The SDK's models name the innermost field ("items"); the limit checks name the whole path.
        assert any(d["property"].startswith(prop) or prop.endswith(d["property"]) for d in body["details"]), body
    return body.get("details", [])


# One refusal per limit; each with its accepted neighbour where the edge matters.
REFUSALS = {
    "six messages in one push": ([_text("ก")] * 6, "messages"),
    "no message at all": ([], "messages"),
    "text of 5,001 UTF-16 units (an emoji counts two)": ([_text("ก" * 4999 + "😀")], "messages[0].text"),
    "14 quick-reply items": ([_quick(*[_message_action(str(n)) for n in range(14)])], "messages[0].quickReply.items"),
    "a quick-reply label of 21 graphemes": ([_quick(_message_action("ก" * 21))], "messages[0].quickReply.items[0]"),
    "a quick-reply item without a label": ([_quick({"type": "camera"})], "messages[0].quickReply.items[0]"),
    "a message action text of 301 graphemes": ([_quick(_message_action("ตกลง", "ก" * 301))], "messages[0].quickReply"),
    "a Flex button label of 41 graphemes": ([_flex(_bubble(action=_message_action("ก" * 41)))], "messages[0].contents"),
    "a bubble over 30 KB": ([_flex(_bubble("ก" * 11000))], "messages[0].contents[0]"),
    "a carousel of 13 bubbles": ([_flex({"type": "carousel", "contents": [_bubble()] * 13})], "messages[0].contents"),
    "a carousel over 50 KB": ([_flex({"type": "carousel", "contents": [_bubble("ก" * 6000)] * 3})],
                              "messages[0].contents"),
    "alt text of 1,501 units": ([_flex(_bubble(), alt="ก" * 1501)], "messages[0].altText"),
    "postback data of 301 characters": ([_quick({"type": "postback", "label": "ส่ง", "data": "x" * 301})],
                                        "messages[0].quickReply.items[0].action.data"),
    "postback display text of 301 graphemes": (
        [_quick({"type": "postback", "label": "ส่ง", "data": "a=1", "displayText": "ก" * 301})],
        "messages[0].quickReply.items[0].action.displayText"),
    "a javascript: URI": ([_flex(_bubble(action={"type": "uri", "label": "เปิด", "uri": "javascript:alert(1)"}))],
                          "messages[0].contents"),
    "a URI of 1,001 characters": ([_flex(_bubble(action={"type": "uri", "label": "เปิด",
                                                         "uri": "https://a.th/" + "x" * 988}))], "messages[0].contents"),
    "a message type LINE does not have (SDK model)": ([{"type": "nope"}], "messages"),
    "a text message without text (SDK model)": ([{"type": "text"}], "text"),
}


@pytest.mark.parametrize("messages,prop", REFUSALS.values(), ids=REFUSALS.keys())
def test_the_fake_refuses_each_documented_limit(fake_line, messages, prop):
    _refused(_push(fake_line, *messages) if messages else _call(
        fake_line, "/v2/bot/message/push", {"to": USER, "messages": []}), prop)
    assert fake_line.delivered() == []


def test_the_edges_themselves_are_accepted(fake_line):
    thai_label = "ความพึงพอใจของผู้ที่ใช้งาน"  # 26 code points, 20 graphemes: LINE counts graphemes
    accepted = [
        [_text("ก" * 4998 + "😀")] * 5,
        [_quick(*[_message_action(str(n)) for n in range(12)], _message_action(thai_label))],
        [_flex(_bubble("ก" * 9000, {"type": "uri", "label": "ก" * 40, "uri": "tel:044000000"}), alt="ก" * 1500)],
        [_flex({"type": "carousel", "contents": [_bubble()] * 12})],
    ]
    for messages in accepted:
        answer = _push(fake_line, *messages)
        assert answer.status_code == 200, answer.text
    assert len(fake_line.delivered()) == len(accepted)


def test_wrong_access_token_is_401_with_lines_body(fake_line):
    answer = _call(fake_line, "/v2/bot/message/push", {"to": USER, "messages": [_text("ก")]}, token="wrong")
    assert answer.status_code == 401 and "access token" in answer.json()["message"]


def test_push_needs_a_uuid_retry_key_and_a_user_group_or_room_id(fake_line):
    for key in ("not-a-uuid", "12345", uuid.uuid4().hex):
        refused = _push(fake_line, _text("ก"), retry_key=key)
        assert refused.status_code == 400 and "X-Line-Retry-Key" in refused.json()["message"]
    _refused(_push(fake_line, _text("ก"), to="somebody"), "to")
    _refused(_push(fake_line, _text("ก"), to="U" + "0" * 31), "to")
    for to in (USER, GROUP, "R" + "f" * 32):
        assert _push(fake_line, _text("ก"), to=to).status_code == 200


def test_a_retry_key_already_accepted_is_409_with_the_accepted_request_id(fake_line):
    key = str(uuid.uuid4())
    assert _push(fake_line, _text("ก"), retry_key=key).status_code == 200
    again = _push(fake_line, _text("ก"), retry_key=key)
    assert again.status_code == 409 and again.headers["x-line-accepted-request-id"]
    assert again.json()["message"] == "The retry key is already accepted"
    assert len(fake_line.delivered()) == 1


def test_reply_tokens_are_the_fakes_own_single_use_and_expiring(fake_line):
    def reply(token):
        return _call(fake_line, "/v2/bot/message/reply", {"replyToken": token, "messages": [_text("ก")]})

    assert reply("0" * 32).json() == {"message": "Invalid reply token"}
    token = fake_line.reply_token()
    assert reply(token).status_code == 200
    assert reply(token).json() == {"message": "Invalid reply token"}  # used once already
    fake_line.state.reply_token_seconds = 0.05
    late = fake_line.reply_token()
    time.sleep(0.1)
    assert reply(late).status_code == 400 and len(fake_line.delivered()) == 1


def test_429_and_5xx_come_with_lines_error_body(fake_line):
    fake_line.fail("push", 429, 500)
    assert _push(fake_line, _text("ก")).json() == {"message": "Too many requests"}
    assert _push(fake_line, _text("ก")).status_code == 500


def test_the_loading_animation_is_for_a_user_and_5_to_60_seconds(fake_line):
    path = "/v2/bot/chat/loading/start"
    assert _call(fake_line, path, {"chatId": USER, "loadingSeconds": 20}).status_code == 202
    _refused(_call(fake_line, path, {"chatId": GROUP, "loadingSeconds": 20}), "chatId")
    _refused(_call(fake_line, path, {"chatId": USER, "loadingSeconds": 7}), "loadingSeconds")


def _menu(fake, **changes) -> requests.Response:
    return _call(fake, "/v2/bot/richmenu", {**menu_request("ทดสอบ").to_dict(), **changes})


def _picture(size=(WIDTH, HEIGHT), fmt="PNG") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, "white").save(out, fmt)
    return out.getvalue()


def test_rich_menu_object_limits(fake_line):
    _refused(_menu(fake_line, chatBarText="ก" * 15), "chatBarText")
    _refused(_menu(fake_line, size={"width": 2500, "height": 2500}), "size")
    _refused(_menu(fake_line, size={"width": 2600, "height": 843}), "size")
    area = {"bounds": {"x": 0, "y": 0, "width": 10, "height": 10}, "action": {"type": "message", "text": "ก"}}
    _refused(_menu(fake_line, areas=[area] * 21), "areas")
    assert _menu(fake_line).status_code == 200


@pytest.mark.parametrize("content_type,picture", [
    ("application/json", _picture()),  # what line-bot-sdk 3.27 sent by default
    ("image/png", _picture(fmt="JPEG")),
    ("image/png", _picture((1200, 405))),
    ("image/png", b"\x89PNG\r\n\x1a\n" + b"0" * (1024 * 1024)),
], ids=["sent as JSON", "JPEG called PNG", "not the menu's size", "over 1 MB"])
def test_rich_menu_image_type_and_size(fake_line, content_type, picture):
    menu_id = _menu(fake_line).json()["richMenuId"]
    answer = _call(fake_line, f"/v2/bot/richmenu/{menu_id}/content", data=picture, headers={"Content-Type": content_type})
    assert answer.status_code == 400 and answer.json()["message"]
    assert menu_id not in fake_line.state.rich_menu_images
