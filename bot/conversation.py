"""Where a LINE user is in a dialog: tier F, under a keyed hash of the user id whose key rotates daily."""
from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field

from sqlalchemy import delete, func, select, update

from bot.inbox import user_index
from bot.maintenance import CONVERSATION_LIFETIME
from intake.evidence import Evidence
from models import ComplaintCipher, DecryptionError, SealedAttachment, crypto, db, server_keys, utcnow
from models.line import Conversation, DraftEvidence


@dataclass
class Chat:
    """One user's dialog state, in memory while an event is handled."""

    user_id: str
    index: bytes
    flow: str | None = None
    step: str | None = None
    data: dict = field(default_factory=dict)

    def go(self, flow: str, step: str, **data) -> None:
        """Move to a step, keeping the draft and adding to it."""
        self.flow, self.step = flow, step
        self.data.update(data)

    def start(self, flow: str, step: str, **data) -> None:
        """Begin a flow with an empty draft."""
        self.flow, self.step, self.data = flow, step, dict(data)


def load(user_id: str) -> Chat:
    """Return the user's dialog state; an expired one counts as none."""
    index = user_index(user_id)
    row = db.session.get(Conversation, index) or _carry_over(user_id, index)
    chat = Chat(user_id=user_id, index=index)
    if row is not None and row.expires_at > utcnow():
        try:
            chat.data = json.loads(row.draft(server_keys().flight) or b"{}")
        except DecryptionError:
            return chat  # its epoch key is gone (or it predates tier F): the dialog starts afresh
        chat.flow, chat.step = row.flow, row.step
    return chat


def _carry_over(user_id: str, today: bytes) -> Conversation | None:
    """Move a dialog begun yesterday to today's hash, before yesterday's key is destroyed."""
    yesterday = user_index(user_id, days_ago=1)
    old = db.session.get(Conversation, yesterday) if yesterday else None
    if old is None:
        return None
    flight = server_keys().flight
    try:
        draft = old.draft(flight) or b"{}"
    except DecryptionError:
        return None
    # The draft's encryption is bound to its row's hash, so it is encrypted again for the new row.
    row = Conversation(user_index=today, flow=old.flow, step=old.step, updated_at=old.updated_at,
                       expires_at=old.expires_at)
    row.set_draft(flight, draft)
    db.session.delete(old)
    db.session.add(row)
    db.session.execute(update(DraftEvidence).where(DraftEvidence.user_index == yesterday).values(user_index=today)
                       .execution_options(synchronize_session=False))
    return row


def save(chat: Chat) -> None:
    """Store the state (or forget it when no flow is open); each save gives it another 24 hours."""
    if chat.flow is None:
        forget(chat)
        return
    now = utcnow()
    row = db.session.get(Conversation, chat.index) or Conversation(user_index=chat.index)
    row.flow, row.step, row.updated_at, row.expires_at = chat.flow, chat.step, now, now + CONVERSATION_LIFETIME
    row.set_draft(server_keys().flight, json.dumps(chat.data, ensure_ascii=False).encode())
    db.session.add(row)


def forget(chat: Chat) -> None:
    """Delete the user's state and draft evidence."""
    db.session.execute(delete(DraftEvidence).where(DraftEvidence.user_index == chat.index))
    db.session.execute(delete(Conversation).where(Conversation.user_index == chat.index))
    chat.flow, chat.step, chat.data = None, None, {}


def cipher(chat: Chat) -> ComplaintCipher:
    """Return the id and data key the draft's complaint will have, chosen at its first sealed piece."""
    if "seal" not in chat.data:
        chat.data["seal"] = ComplaintCipher.new().to_json()
    return ComplaintCipher.from_json(chat.data["seal"])


def _attachment_id(chat: Chat, message_id: str) -> uuid.UUID:
    return uuid.uuid5(cipher(chat).complaint_id, f"line-evidence:{message_id}")


def add_evidence(chat: Chat, message_id: str, kind: str, media_type: str, filename: str, data: bytes) -> int:
    """Seal one evidence item at once under the draft's complaint key; return how many the draft now holds."""
    if db.session.scalar(select(DraftEvidence.id).where(DraftEvidence.message_id == message_id)) is None:
        sealed = cipher(chat).seal_attachment(_attachment_id(chat, message_id), filename, data)
        db.session.add(DraftEvidence(user_index=chat.index, message_id=message_id, kind=kind, media_type=media_type,
                                     created_at=utcnow(), filename_enc=sealed.filename_sealed,
                                     data_enc=sealed.content_sealed))
        db.session.flush()
    return evidence_count(chat)


def remove_evidence(chat: Chat, message_id: str) -> bool:
    """Delete one evidence item of the draft (the user unsent it); return True when there was one."""
    gone = db.session.execute(delete(DraftEvidence).where(DraftEvidence.user_index == chat.index,
                                                          DraftEvidence.message_id == message_id))
    return gone.rowcount > 0


def evidence_count(chat: Chat) -> int:
    """Return how many evidence items the draft holds."""
    return db.session.scalar(select(func.count(DraftEvidence.id)).where(DraftEvidence.user_index == chat.index)) or 0


def evidence(chat: Chat) -> list[Evidence]:
    """Return the draft's evidence, sealed, in the order it arrived, for filing."""
    rows = db.session.scalars(select(DraftEvidence).where(DraftEvidence.user_index == chat.index)
                              .order_by(DraftEvidence.id))
    return [Evidence(kind=r.kind, media_type=r.media_type, filename="", data=b"",
                     sealed=SealedAttachment(_attachment_id(chat, r.message_id),
                                             len(r.data_enc) - crypto.FIELD_OVERHEAD, r.filename_enc, r.data_enc))
            for r in rows]
