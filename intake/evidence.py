"""Evidence files: which kinds we accept, judged from their bytes, never from their names."""
from __future__ import annotations

from dataclasses import dataclass

MAX_FILES = 5

# Leading bytes of each accepted type. A file is what its content says, whatever it is called.
_SIGNATURES = [
    (b"\xff\xd8\xff", "image/jpeg", "image", ".jpg"),
    (b"\x89PNG\r\n\x1a\n", "image/png", "image", ".png"),
    (b"GIF87a", "image/gif", "image", ".gif"),
    (b"GIF89a", "image/gif", "image", ".gif"),
    (b"%PDF-", "application/pdf", "file", ".pdf"),
]


@dataclass(frozen=True)
class Evidence:
    """One evidence item handed in with a complaint: a file, or a location as JSON."""

    kind: str  # image, file, location
    media_type: str
    filename: str
    data: bytes


def sniff(data: bytes) -> tuple[str, str, str] | None:
    """Return (media type, kind, extension) judged from the content, or None if not accepted."""
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp", "image", ".webp"
    for magic, media_type, kind, ext in _SIGNATURES:
        if data.startswith(magic):
            return media_type, kind, ext
    return None


def evidence_from_upload(filename: str, data: bytes) -> Evidence | None:
    """Return Evidence for an uploaded file, or None when its content is not an accepted type."""
    found = sniff(data)
    if found is None:
        return None
    media_type, kind, ext = found
    name = (filename or "").strip().replace("/", "_").replace("\\", "_")[:120] or f"evidence{ext}"
    return Evidence(kind=kind, media_type=media_type, filename=name, data=data)


def evidence_from_uploads(uploads) -> tuple[list[Evidence], str]:
    """Read uploaded files (werkzeug FileStorage) into Evidence; return them and a Thai error, or ""."""
    uploads = [f for f in uploads if f and f.filename]
    error = f"แนบหลักฐานได้ไม่เกิน {MAX_FILES} ไฟล์" if len(uploads) > MAX_FILES else ""
    evidence: list[Evidence] = []
    for upload in uploads[:MAX_FILES]:
        item = evidence_from_upload(upload.filename, upload.read())
        if item is None:
            error = (f"ไฟล์ “{upload.filename}” ไม่ใช่รูปภาพ (JPEG, PNG, GIF, WebP) หรือ PDF "
                     "ระบบตรวจจากเนื้อไฟล์ ไม่ใช่จากชื่อไฟล์")
        else:
            evidence.append(item)
    return evidence, error
