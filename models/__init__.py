"""Typed models, the database session, migrations and the record-encryption primitives."""
from models.audit import AuditEntry
from models.base import Base, utcnow
from models.complaint import (
    ANSWER, CHANNELS, DESK_CHANNELS, QUESTION, Attachment, Complaint, ComplaintCipher, ComplaintContent,
    ComplaintEvent, ComplaintKey, ComplaintStatus, InvalidTransition, NoAccess, OpenedComplaint, Recipient,
    SealedAttachment,
)
from models.crypto import DecryptionError
from models.db import DatabaseUnavailable, db
from models.gifts import (
    ActivityPhoto, CultureActivity, DeclarationAck, GiftCheckin, GiftError, GiftNotice, GiftReport, NoGiftDeclaration,
    NoGiftNote, StaffLinkCode,
)
from models.keys import ServerKeys, server_keys
from models.line import Conversation, InboxEvent
from models.meta import Meta
from models.profile import ProfileVersion
from models.rating import Feedback, Rating, RatingAnswer, ServicePoint
from models.rollup import ComplaintSnapshot, ComplaintSnapshotCount, RatingAnswerMonth, RatingMonth
from models.reference import ReferenceCounter
from models.report import ArchivedReport
from models.readers import (NotReader, ReaderCertificate, complaint_recipients, drop_certificates, is_reader,
                            valid_readers)
from models.staff import ROLES, RecoveryKey, StaffUser

__all__ = [
    "ActivityPhoto", "CultureActivity", "DeclarationAck", "GiftCheckin", "GiftError", "GiftNotice", "GiftReport",
    "NoGiftDeclaration", "NoGiftNote", "StaffLinkCode",
    "ANSWER", "CHANNELS", "ComplaintSnapshot", "ComplaintSnapshotCount", "DESK_CHANNELS", "QUESTION", "ReferenceCounter", "ROLES", "ArchivedReport", "Attachment",
    "AuditEntry", "Base", "Complaint", "ComplaintCipher", "ComplaintContent",
    "ComplaintEvent", "ComplaintKey", "ComplaintStatus", "Conversation", "DatabaseUnavailable", "DecryptionError",
    "Feedback", "InboxEvent", "InvalidTransition", "Meta", "NoAccess", "NotReader", "OpenedComplaint",
    "ProfileVersion", "Rating", "RatingAnswer", "RatingAnswerMonth", "RatingMonth", "ReaderCertificate", "Recipient", "RecoveryKey", "SealedAttachment",
    "ServerKeys", "ServicePoint", "StaffUser", "complaint_recipients", "db", "drop_certificates", "is_reader",
    "server_keys", "utcnow", "valid_readers",
]
