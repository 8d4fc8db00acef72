"""Where a LINE user is in a dialog: kept encrypted under a keyed hash of the user id, for 24 hours."""
from __future__ import annotations

import json
from dataclasses import dataclass, field

from sqlalchemy import delete, func, select

from bot.inbox import user_index
from bot.maintenance import CONVERSATION_LIFETIME
from intake.evidence import Evidence
from models import db, server_keys, utcnow
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
    row = db.session.get(Conversation, index)
    chat = Chat(user_id=user_id, index=index)
    if row is not None and row.expires_at > utcnow():
        chat.flow, chat.step = row.flow, row.step
        chat.data = json.loads(row.draft(server_keys().keyring) or b"{}")
    return chat


def save(chat: Chat) -> None:
    """Store the state (or forget it when no flow is open); each save gives it another 24 hours."""
    if chat.flow is None:
        forget(chat)
        return
    now = utcnow()
    row = db.session.get(Conversation, chat.index) or Conversation(user_index=chat.index)
    row.flow, row.step, row.updated_at, row.expires_at = chat.flow, chat.step, now, now + CONVERSATION_LIFETIME
    row.set_draft(server_keys().keyring, json.dumps(chat.data, ensure_ascii=False).encode())
    db.session.add(row)


def forget(chat: Chat) -> None:
    """Delete the user's state and draft evidence."""
    db.session.execute(delete(DraftEvidence).where(DraftEvidence.user_index == chat.index))
    db.session.execute(delete(Conversation).where(Conversation.user_index == chat.index))
    chat.flow, chat.step, chat.data = None, None, {}


def add_evidence(chat: Chat, message_id: str, kind: str, media_type: str, filename: str, data: bytes) -> int:
    """Keep one evidence item (encrypted) for the draft; return how many the draft now holds."""
    if db.session.scalar(select(DraftEvidence.id).where(DraftEvidence.message_id == message_id)) is None:
        item = DraftEvidence(user_index=chat.index, message_id=message_id, kind=kind, media_type=media_type,
                             created_at=utcnow())
        item.seal(server_keys().keyring, filename, data)
        db.session.add(item)
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
    """Return the draft's evidence, in the order it arrived, for filing."""
    keyring = server_keys().keyring
    rows = db.session.scalars(select(DraftEvidence).where(DraftEvidence.user_index == chat.index)
                              .order_by(DraftEvidence.id))
    return [Evidence(kind=r.kind, media_type=r.media_type, filename=name, data=data)
            for r in rows for name, data in [r.opened(keyring)]]
