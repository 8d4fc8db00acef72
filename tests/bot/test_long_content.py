"""Long content degrades into what LINE accepts: cut texts, a tracking card within 30 KB, short labels."""
from __future__ import annotations

import json

from bot import texts
from bot.line_limits import ACTION_LABEL_MAX, BUBBLE_BYTES_MAX, TEXT_MAX, fit_label, fit_text, grapheme_len, utf16_len
from config.thai import line_pieces, thai_words
from models import Complaint, db, server_keys
from staff.casedesk import add_note, change_status
from tests.bot.conftest import _dicts, postbacks, texts_of
from tests.bot.test_complaint_dialog import _file_complaint
from tests.conftest import OFFICER_PASSWORD

LONG_REPLY = ("เจ้าหน้าที่ได้ตรวจสอบเอกสารการจัดซื้อจัดจ้างย้อนหลังและสอบถามผู้เกี่ยวข้องแล้ว 📄 " * 70)[:4990] + "🙏🙏"


def test_fit_text_counts_utf16_and_cuts_between_words():
    text = "ข้อความ" + "ยาวมาก 😀 " * 900  # 5,000 code points, far more UTF-16 units
    cut = fit_text(text)
    assert utf16_len(cut) <= TEXT_MAX < utf16_len(text) and cut.endswith("…")
    kept = cut[:-1]
    assert text.startswith(kept) and "".join(thai_words(text)).startswith(kept)
    assert any("".join(thai_words(text)[:n]).rstrip() == kept for n in range(len(thai_words(text))))
    assert fit_text("สั้น ๆ") == "สั้น ๆ"


def test_fit_label_counts_graphemes_and_cuts_at_a_word_or_grapheme():
    label = fit_label("จุดบริการรับลงทะเบียนเบี้ยยังชีพผู้สูงอายุและผู้พิการ")
    assert grapheme_len(label) <= 20 and label.endswith("…") and label.startswith("จุดบริการ")
    assert grapheme_len(fit_label("ก" * 50)) <= 20 and fit_label("ก" * 50).endswith("…")
    assert fit_label("ความพึงพอใจของผู้ที่ใช้งาน") == "ความพึงพอใจของผู้ที่ใช้งาน"  # 26 code points, 20 graphemes


def test_every_cut_label_ends_between_whole_words(app):
    profile = app.config["PROFILE"]
    names = [c.name for c in profile.categories] + [p.name for p in profile.service_points] + [
        "ติดตามเรื่องร้องเรียนการทุจริตและประพฤติมิชอบ", "ประเมินความพึงพอใจการให้บริการ (แบบสอบถามออนไลน์)",
        "ดำเนินการแล้วเสร็จ ส่งต่อหน่วยงานอื่น ไม่รับไว้พิจารณา"]
    cut_any = False
    for name in names:
        for limit in (ACTION_LABEL_MAX, 12):
            label = fit_label(name, limit)
            assert grapheme_len(label) <= limit
            if label == name:
                continue
            cut_any = True
            kept, pieces = label.removesuffix("…"), line_pieces(name)
            assert any("".join(pieces[:n]).rstrip() == kept for n in range(1, len(pieces))), (name, label)
    assert cut_any


def test_short_labels_from_the_profile_on_category_and_counter_buttons(app, line_user):
    labels = list(postbacks(line_user.say(texts.CMD_COMPLAINT)))
    assert "2. ให้บริการไม่เป็นธรรม" in labels and all(grapheme_len(label) <= 40 for label in labels)
    line_user.say(texts.CMD_CANCEL)
    labels = list(postbacks(line_user.say(texts.CMD_RATING)))
    assert "เบี้ยยังชีพ" in labels


def _case(app, officer, line_user, fake_line):
    receipt = _file_complaint(line_user, fake_line, wants_updates=True)
    code = receipt[-1]["text"].rsplit(" ", 1)[-1]
    complaint = Complaint.find_by_code(db.session, server_keys().index, code)
    return code, complaint, officer.unlock_private_key(OFFICER_PASSWORD)


def test_a_tracking_card_with_long_replies_is_shortened_with_a_link_to_track(app, officer, line_user, fake_line):
    code, complaint, key = _case(app, officer, line_user, fake_line)
    change_status(officer, complaint, key, "in_progress", "รับเรื่อง", reply=LONG_REPLY)
    for n in range(11):
        add_note(officer, complaint, key, "", reply=f"ครั้งที่ {n} " + LONG_REPLY[:4000])
    db.commit()
    line_user.drain()
    before = len(fake_line.requests())
    messages = line_user.say(code)
    assert [r["path"] for r in fake_line.requests(before)] == ["/v2/bot/message/reply"]  # accepted, no push
    card = messages[0]
    size = len(json.dumps(card["contents"], ensure_ascii=False, separators=(",", ":")).encode())
    assert card["type"] == "flex" and size <= BUBBLE_BYTES_MAX
    words = texts_of([card])
    assert "ครั้งที่ 10" in words and "ครั้งที่ 9 " not in words and "…" in words  # the latest reply, shortened
    assert texts.T_MORE in words
    [link] = [a for a in _dicts(card) if a.get("type") == "uri"]
    assert link["uri"] == app.config["SETTINGS"].public_base_url.rstrip("/") + "/track"


def test_a_5000_character_reply_with_emoji_reaches_the_citizen(app, officer, line_user, fake_line):
    code, complaint, key = _case(app, officer, line_user, fake_line)
    assert len(LONG_REPLY) == 4992 and utf16_len(LONG_REPLY) > TEXT_MAX
    before = len(fake_line.requests())
    change_status(officer, complaint, key, "in_progress", "รับเรื่อง", reply=LONG_REPLY)
    db.commit()
    line_user.drain()
    [push] = fake_line.delivered(before)
    [message] = push["body"]["messages"]
    assert utf16_len(message["text"]) <= TEXT_MAX
    assert LONG_REPLY[:1000] in message["text"] and texts.STATUS_PUSH_CUT.strip() in message["text"]
