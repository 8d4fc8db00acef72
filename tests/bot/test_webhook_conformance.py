"""LINE's published example events, one per event type of the webhook specification, are each answered 200
and handled or ignored: none fails, none is parked, nothing LINE would refuse is sent, standby sends nothing.

Shapes and values follow the examples of the Messaging API reference (#webhook-event-objects, #message-event,
#unsend-event, #follow-event ... #membership-event) and line/line-openapi webhook.yml; only the user, group and
message ids are made fresh for the test, and the reply tokens are the fake API's own.
"""
from __future__ import annotations

import secrets

from sqlalchemy import select

from models import db
from models.line import InboxEvent

_counter = iter(range(10 ** 6))


def _base(kind: str, source: dict, *, mode: str = "active", reply: bool = True, **fields) -> dict:
    event = {"type": kind, "mode": mode, "timestamp": 1462629479859, "source": source,
             "webhookEventId": f"01FZ74A0TDDPYRVKNK77XK{next(_counter):04d}",
             "deliveryContext": {"isRedelivery": False}, **fields}
    if reply:
        event["replyToken"] = "nHuyWiB7yP5Zw52FIkcQobQuGDXCTA"
    return event


def _message(message: dict, source: dict, **fields) -> dict:
    return _base("message", source, message={"id": str(secrets.randbelow(10 ** 17)), **message}, **fields)


def published_events(user: str) -> list[dict]:
    """Return one example event of every type (and every message type) LINE documents."""
    you = {"type": "user", "userId": user}
    group = {"type": "group", "groupId": "C" + secrets.token_hex(16), "userId": user}
    room = {"type": "room", "roomId": "R" + secrets.token_hex(16), "userId": user}
    return [
        _message({"type": "text", "quoteToken": "q3Plxr4AgKd...", "text": "@All @example Good Morning!! (love)",
                  "emojis": [{"index": 29, "length": 6, "productId": "5ac1bfd5040ab15980c9b435", "emojiId": "001"}],
                  "mention": {"mentionees": [{"index": 0, "length": 4, "type": "all"},
                                             {"index": 5, "length": 8, "userId": "U49585cd0d5...", "type": "user",
                                              "isSelf": False}]}}, group),
        _message({"type": "text", "quoteToken": "q3Plxr4AgKd...", "text": "สวัสดีค่ะ",
                  "quotedMessageId": "468789577898262530", "markAsReadToken": "30yhdy232..."}, you),
        _message({"type": "image", "quoteToken": "yHAz4Ua2wx7...", "contentProvider": {"type": "line"},
                  "imageSet": {"id": "E005D41A7288F41B65593ED38FF6E9834B046AB36A37921A56BC236F13A91855",
                               "index": 1, "total": 2}}, you),
        _message({"type": "video", "quoteToken": "yHAz4Ua2wx7...", "duration": 60000,
                  "contentProvider": {"type": "external", "originalContentUrl": "https://example.com/original.mp4",
                                      "previewImageUrl": "https://example.com/preview.jpg"}}, you),
        _message({"type": "audio", "duration": 60000, "contentProvider": {"type": "line"}}, you),
        _message({"type": "file", "fileName": "file.txt", "fileSize": 2138}, you),
        _message({"type": "location", "title": "my location", "address": "1-3 Kioicho, Chiyoda-ku, Tokyo, 102-8282, Japan",
                  "latitude": 35.67966, "longitude": 139.73669}, you),
        _message({"type": "sticker", "quoteToken": "yHAz4Ua2wx7...", "stickerId": "52002738", "packageId": "11537",
                  "stickerResourceType": "ANIMATION", "keywords": ["cony", "sally", "Staring", "hi", "whatever"]}, you),
        _message({"type": "sticker", "stickerId": "738839", "packageId": "12287", "stickerResourceType": "MESSAGE",
                  "keywords": ["Anticipation", "Sparkle"], "text": "Let's hang out this weekend!"}, room),
        _base("unsend", you, reply=False, unsend={"messageId": "325708"}),
        _base("follow", you, follow={"isUnblocked": False}),
        _base("unfollow", you, reply=False),
        _base("join", group),
        _base("leave", {"type": "group", "groupId": group["groupId"]}, reply=False),
        _base("memberJoined", {"type": "group", "groupId": group["groupId"]},
              joined={"members": [{"type": "user", "userId": "U4af4980629..."}]}),
        _base("memberLeft", {"type": "group", "groupId": group["groupId"]}, reply=False,
              left={"members": [{"type": "user", "userId": "U4af4980629..."}]}),
        _base("postback", you, postback={"data": "storeId=12345", "params": {"datetime": "2017-12-25T01:00"}}),
        _base("postback", you, postback={"data": "action=richmenu-changed-to-b",
                                          "params": {"newRichMenuAliasId": "richmenu-alias-b", "status": "SUCCESS"}}),
        _base("videoPlayComplete", you, videoPlayComplete={"trackingId": "track-id"}),
        _base("beacon", you, beacon={"hwid": "d41d8cd98f", "type": "enter"}),
        _base("accountLink", you, link={"result": "ok", "nonce": "xxxxxxxxxxxxxxx"}),
        _base("membership", you, membership={"type": "joined", "membershipId": 3189}),
        _base("membership", you, membership={"type": "renewed", "membershipId": 3189}),
        _base("membership", you, reply=False, membership={"type": "left", "membershipId": 3189}),
        _base("module", you, reply=False, module={"type": "attached", "botId": "U111...",
                                                  "scopes": ["message:send"]}),
        _base("module", you, reply=False, module={"type": "detached", "botId": "U111...", "reason": "bot_deleted"}),
        _base("activated", you, reply=False, chatControl={"expireAt": 1462629479859}),
        _base("deactivated", you, reply=False),
        _base("botSuspended", {}, reply=False),
        _base("botResumed", {}, reply=False),
        _base("delivery", you, reply=False, delivery={"data": "deliverydata"}),
        _message({"type": "text", "quoteToken": "q3Plxr4AgKd...", "text": "Edited text"}, group,
                 **{"type": "messageEdited"}),
        _base("somethingNewFromLine", you, futureObject={"anything": [1, 2, 3]}),
        _message({"type": "text", "quoteToken": "q3Plxr4AgKd...", "text": "ติดตามเรื่อง", "futureField": True},
                 you, futureTopLevel={"x": 1}),
    ]


def test_every_published_event_is_answered_200_and_handled_or_ignored(line_user, fake_line):
    events = published_events(line_user.user_id)
    assert line_user.post(*events).status_code == 200
    line_user.drain()
    statuses = {row.webhook_event_id: row.status for row in db.session.scalars(select(InboxEvent))}
    assert len(statuses) == len(events)
    assert {statuses[e["webhookEventId"]] for e in events} <= {"done", "ignored"}, statuses
    sends = [c for c in fake_line.requests() if c["path"].endswith(("/reply", "/push"))]
    assert sends and all(c["body"].get("_ok") for c in sends)  # LINE would have taken every message
    assert all(c["path"].endswith("/reply") for c in sends)  # each answered with its own reply token


def test_standby_events_send_nothing(line_user, fake_line):
    standby = [dict(e, mode="standby") for e in published_events(line_user.user_id)]
    assert line_user.post(*standby).status_code == 200
    line_user.drain()
    statuses = {row.status for row in db.session.scalars(select(InboxEvent))}
    assert statuses <= {"done", "ignored"}
    assert not [c for c in fake_line.requests() if c["path"].endswith(("/reply", "/push"))]
