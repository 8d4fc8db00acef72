"""Typed models, the database session, migrations and the record-encryption primitives."""
from models.audit import AuditEntry
from models.base import Base, utcnow
from models.complaint import (
    CHANNELS, Attachment, Complaint, ComplaintContent, ComplaintEvent, ComplaintKey, ComplaintStatus,
    InvalidTransition, NoAccess, OpenedComplaint, Recipient,
)
from models.crypto import DecryptionError
from models.db import DatabaseUnavailable, db
from models.keys import ServerKeys, server_keys
from models.line import Conversation, InboxEvent
from models.meta import Meta
from models.profile import ProfileVersion
from models.rating import Feedback, Rating, RatingAnswer, ServicePoint
from models.report import ArchivedReport
from models.staff import ROLES, RecoveryKey, StaffUser, complaint_recipients

__all__ = [
    "CHANNELS", "ROLES", "ArchivedReport", "Attachment", "AuditEntry", "Base", "Complaint", "ComplaintContent",
    "ComplaintEvent", "ComplaintKey", "ComplaintStatus", "Conversation", "DatabaseUnavailable", "DecryptionError",
    "Feedback", "InboxEvent", "InvalidTransition", "Meta", "NoAccess", "OpenedComplaint", "ProfileVersion", "Rating", "RatingAnswer",
    "Recipient", "RecoveryKey", "ServerKeys", "ServicePoint", "StaffUser", "complaint_recipients", "db",
    "server_keys", "utcnow",
]
