"""Reader certificates: a key receives complaints only when a reader or the recovery key has signed it.

Roles and passwords are what an admin controls, so they never make a reader on their own. The chain
starts at the office recovery keys (their signing halves are the roots) and each certificate binds
one account to its current X25519 and Ed25519 keys: a new key pair (after a password reset) needs a
new certificate. Recipients are computed from the signatures every time, never cached.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from models import crypto
from models.base import Base, utcnow
from models.complaint import Recipient
from models.staff import RecoveryKey, StaffUser


class ReaderCertificate(Base):
    """A signed statement that one account's current keys may read complaints."""

    __tablename__ = "reader_certificates"

    id: Mapped[int] = mapped_column(primary_key=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff_users.id", ondelete="CASCADE"), index=True)
    public_key: Mapped[bytes]  #: P: the X25519 key certified
    verify_key: Mapped[bytes]  #: P: the certified account's Ed25519 key
    signer_label: Mapped[str] = mapped_column(String(32))  #: P: staff:<id> or recovery:<id>
    signer_key: Mapped[bytes]  #: P: the signer's Ed25519 key
    signature: Mapped[bytes]  #: P: Ed25519 over statement()
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    @staticmethod
    def statement(staff_id: int, public_key: bytes, verify_key: bytes) -> bytes:
        """Return the bytes a certificate signs."""
        return b"sujarit reader v1|" + str(staff_id).encode() + b"|" + public_key + verify_key

    def is_signed_by(self, signer_key: bytes, subject: StaffUser) -> bool:
        """Return True when this certificate names the subject's current keys and signer_key signed it."""
        return (self.signer_key == signer_key and self.staff_id == subject.id
                and self.public_key == subject.public_key and self.verify_key == subject.verify_key
                and signer_key != subject.verify_key
                and crypto.signature_valid(signer_key, self.signature,
                                           self.statement(subject.id, subject.public_key, subject.verify_key)))


class NotReader(ValueError):
    """The account cannot be certified, or the signer is not a reader."""


def certificate_trail(session: Session) -> dict[int, ReaderCertificate]:
    """Return each reader's id with the certificate that makes it one, checking every signature."""
    trusted = {k for k in session.scalars(select(RecoveryKey.verify_key)) if k}
    candidates = {u.id: u for u in StaffUser.complaint_officers(session) if u.verify_key}
    certificates = [c for c in session.scalars(select(ReaderCertificate).order_by(ReaderCertificate.id))
                    if c.staff_id in candidates]
    readers: dict[int, ReaderCertificate] = {}
    grew = True
    while grew:  # a certificate counts once its signer is trusted; each round trusts the new readers
        grew = False
        for cert in certificates:
            subject = candidates[cert.staff_id]
            if subject.id not in readers and cert.signer_key in trusted and cert.is_signed_by(cert.signer_key, subject):
                readers[subject.id] = cert
                trusted.add(subject.verify_key)
                grew = True
    return readers


def valid_readers(session: Session) -> list[StaffUser]:
    """Return the accounts whose keys carry a valid certificate chain, by id."""
    trail = certificate_trail(session)
    return [session.get(StaffUser, staff_id) for staff_id in sorted(trail)]


def is_reader(session: Session, user: StaffUser) -> bool:
    """Return True when the user's current keys are certified."""
    return user.id in certificate_trail(session)


def complaint_recipients(session: Session) -> list[Recipient]:
    """Return everyone a new complaint's data key is sealed to: certified readers and the recovery key."""
    recipients = [Recipient(u.recipient_label, u.public_key) for u in valid_readers(session)]
    recovery = RecoveryKey.current(session)
    if recovery is not None:
        recipients.append(Recipient(recovery.recipient_label, recovery.public_key))
    return recipients


def certify(session: Session, signer_label: str, signer_private, subject: StaffUser) -> ReaderCertificate:
    """Sign the subject's current keys with a reader's or recovery key's private key."""
    if not (subject.active and subject.has_role("officer") and subject.public_key and subject.verify_key):
        raise NotReader("only an active officer with a key pair can be certified")
    signer_key = crypto.verify_key_bytes(signer_private)
    if signer_key == subject.verify_key:
        raise NotReader("nobody certifies themselves")
    drop_certificates(session, subject)
    cert = ReaderCertificate(
        staff_id=subject.id, public_key=subject.public_key, verify_key=subject.verify_key, signer_label=signer_label,
        signer_key=signer_key, created_at=utcnow(),
        signature=crypto.sign(signer_private, ReaderCertificate.statement(subject.id, subject.public_key,
                                                                          subject.verify_key)))
    session.add(cert)
    session.flush()
    return cert


def drop_certificates(session: Session, user: StaffUser) -> None:
    """Delete the user's certificates, so a role or account given back later does not make a reader again."""
    for cert in session.scalars(select(ReaderCertificate).where(ReaderCertificate.staff_id == user.id)):
        session.delete(cert)
    session.flush()


def revoke(session: Session, revoker: StaffUser, revoker_private, subject: StaffUser) -> int:
    """Withdraw a reader's certificate and grants; the revoker re-signs what the subject had certified.

    Return how many complaint grants were removed. Raises NotReader when the revoker's own
    certificate hangs on the subject (it would cut the revoker off too).
    """
    trail = certificate_trail(session)
    if revoker.id not in trail:
        raise NotReader("the revoking officer is not a reader")
    if subject.id != revoker.id and trail[revoker.id].signer_key == subject.verify_key:
        raise NotReader("the revoker was certified by the subject")
    dependants = [c for c in trail.values() if c.signer_key == subject.verify_key and c.staff_id != subject.id]
    for cert in dependants:
        certify(session, revoker.recipient_label, revoker_private, session.get(StaffUser, cert.staff_id))
    drop_certificates(session, subject)
    removed = subject.revoke_complaint_access(session)
    session.flush()
    return removed
