"""A stolen database plus the server's keys reveals no complaint content, identity or code."""
from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from intake.complaints import ComplaintDraft, file_complaint
from models import Base, Complaint, NoAccess, crypto, db, server_keys
from models.staff import RecoveryKey
from tests.conftest import OFFICER_PASSWORD

SECRET_TEXT = "นายสมปองเรียกเงินใต้โต๊ะห้าพันบาท-ZQX-7781"
NAME = "นางสาวทองใบ ลับเฉพาะ"
PHONE = "0812345678"
EMAIL = "thongbai.secret@example.com"
ACCUSED = "หัวหน้าฝ่ายพัสดุ คนที่ไม่ควรรู้"


def database_bytes(url: str) -> bytes:
    """Return everything the database holds: the files on SQLite, every value of every row otherwise."""
    db.commit()
    chunks = []
    if url.startswith("sqlite"):
        path = Path(url.split("///", 1)[1])
        for suffix in ("", "-wal", "-shm", "-journal"):
            candidate = Path(str(path) + suffix)
            if candidate.exists():
                chunks.append(candidate.read_bytes())
    for table in Base.metadata.sorted_tables:
        for row in db.session.execute(select(table)):
            for value in row:
                chunks.append(value if isinstance(value, bytes) else str(value).encode())
    return b"\x00".join(chunks)


def file_secret_complaint():
    draft = ComplaintDraft(category="bribery", details=SECRET_TEXT, accused=ACCUSED, place_time="ที่ทำการ อบต.",
                           anonymous=False, name=NAME, phone=PHONE, email=EMAIL, wants_updates=True)
    receipt = file_complaint(draft, channel="web")
    db.commit()
    return receipt


def test_database_dump_holds_no_content_identity_or_code(app, officer, recovery_key, settings):
    receipt = file_secret_complaint()
    dump = database_bytes(settings.database_url)
    for needle in (SECRET_TEXT, "ZQX-7781", NAME, PHONE, EMAIL, ACCUSED, receipt.tracking_code,
                   receipt.tracking_code.replace("-", "")):
        assert needle.encode() not in dump, f"found {needle!r} in the database"
    assert len(dump) > 1000  # the dump really holds the rows


def test_server_keys_alone_cannot_open_but_officer_or_recovery_can(app, officer, recovery_key):
    receipt = file_secret_complaint()
    complaint = Complaint.find_by_code(db.session, server_keys().index, receipt.tracking_code)
    assert complaint is not None

    # Everything the server holds: its keyring on every sealed field, and a key pair of its own.
    keyring = server_keys().keyring
    for column in ("details_sealed", "contact_sealed", "accused_sealed"):
        with pytest.raises(crypto.DecryptionError):
            keyring.decrypt(getattr(complaint, column), crypto.associated_data("complaint", complaint.id, "details"))
    with pytest.raises(NoAccess):
        complaint.open_with(officer.recipient_label, crypto.generate_private_key())
    with pytest.raises(crypto.DecryptionError):
        officer.unlock_private_key("not the password")

    by_officer = complaint.open_with(officer.recipient_label, officer.unlock_private_key(OFFICER_PASSWORD)).content()
    assert by_officer.details == SECRET_TEXT and by_officer.contact == {"name": NAME, "phone": PHONE, "email": EMAIL}

    recovery = RecoveryKey.current(db.session)
    by_recovery = complaint.open_with(recovery.recipient_label, RecoveryKey.parse_private(recovery_key)).content()
    assert by_recovery.accused == ACCUSED


def test_tracking_code_finds_and_opens_only_its_complaint(app, officer, recovery_key):
    first, second = file_secret_complaint(), file_secret_complaint()
    index = server_keys().index
    one = Complaint.find_by_code(db.session, index, first.tracking_code.lower())
    assert str(one.id) == first.complaint_id
    assert one.citizen_replies(first.tracking_code) == {}
    with pytest.raises(NoAccess):
        one.citizen_replies(second.tracking_code)
    assert Complaint.find_by_code(db.session, index, "0000-0000-0000-0000") is None


def test_follow_up_subject_and_answer_leave_no_plaintext_in_the_database(app, officer, recovery_key, settings):
    from intake.evidence import Evidence
    from intake.followup import add_follow_up

    receipt = file_secret_complaint()
    complaint = Complaint.find_by_code(db.session, server_keys().index, receipt.tracking_code)
    opened = complaint.open_with(officer.recipient_label, officer.unlock_private_key(OFFICER_PASSWORD))
    subject, answer, photo = "เรื่องย่อลับ-QQW-5521", "คำตอบลับของผู้ร้อง-PLM-8830", b"\x89PNG\r\n\x1a\n" + b"RAW-EVIDENCE-9931"
    opened.seal_subject(subject)
    assert add_follow_up(receipt.tracking_code, answer, [Evidence("image", "image/png", "ลับ.png", photo)])
    dump = database_bytes(settings.database_url)
    for needle in ("QQW-5521", "PLM-8830", "RAW-EVIDENCE-9931", answer, subject):
        assert needle.encode() not in dump, f"found {needle!r} in the database"
    # Without the tracking code or an officer's key, the server's keys open none of it.
    assert opened.subject() == subject
    assert complaint.citizen_replies(receipt.tracking_code)[complaint.events[-1].seq] == answer
    assert [data for _a, _n, data in complaint.citizen_files(receipt.tracking_code).values()] == [photo]
