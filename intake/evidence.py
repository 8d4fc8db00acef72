"""Evidence files: which kinds we accept, judged from their bytes, never from their names."""
from __future__ import annotations

from dataclasses import dataclass

from flask import current_app

MAX_FILES = 5
#: What a citizen is told is accepted, when a file is not.
ACCEPTED = ("รูปภาพ (JPG, PNG, GIF, WEBP) ไฟล์ PDF คลิปวิดีโอ (MP4, MOV, 3GP, WEBM) "
            "หรือคลิปเสียง (M4A, MP3, AAC, WAV, OGG, AMR)")

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


# Clips: LINE sends videos as MP4 and voice messages as M4A; phones record MOV, 3GP, WEBM, AMR, MP3 ...
_CLIP_SIGNATURES = [
    (b"\x1aE\xdf\xa3", "video/webm", "video", ".webm"),
    (b"OggS", "audio/ogg", "audio", ".ogg"),
    (b"ID3", "audio/mpeg", "audio", ".mp3"),
    (b"#!AMR", "audio/amr", "audio", ".amr"),
]
#: ISO media (the "ftyp" box) brands that are sound only, or QuickTime or 3GPP video; any other is MP4 video.
_AUDIO_BRANDS = {b"M4A ", b"M4B ", b"M4P "}
_VIDEO_BRANDS = {b"qt  ": ("video/quicktime", ".mov"), b"3gp4": ("video/3gpp", ".3gp"),
                 b"3gp5": ("video/3gpp", ".3gp"), b"3gp6": ("video/3gpp", ".3gp"), b"3g2a": ("video/3gpp2", ".3g2")}


def _sniff_clip(data: bytes) -> tuple[str, str, str] | None:
    if data[4:8] == b"ftyp":
        brand = data[8:12]
        if brand in _AUDIO_BRANDS:
            return "audio/mp4", "audio", ".m4a"
        media_type, ext = _VIDEO_BRANDS.get(brand, ("video/mp4", ".mp4"))
        return media_type, "video", ext
    if data[:4] == b"RIFF" and data[8:12] == b"WAVE":
        return "audio/wav", "audio", ".wav"
    if len(data) > 1 and data[0] == 0xFF and data[1] in {0xFB, 0xF3, 0xF2}:
        return "audio/mpeg", "audio", ".mp3"
    if len(data) > 1 and data[0] == 0xFF and data[1] in {0xF1, 0xF9}:
        return "audio/aac", "audio", ".aac"
    for magic, media_type, kind, ext in _CLIP_SIGNATURES:
        if data.startswith(magic):
            return media_type, kind, ext
    return None


def sniff(data: bytes) -> tuple[str, str, str] | None:
    """Return (media type, kind, extension) judged from the content, or None if not accepted."""
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp", "image", ".webp"
    for magic, media_type, kind, ext in _SIGNATURES:
        if data.startswith(magic):
            return media_type, kind, ext
    return _sniff_clip(data)


def size_limit(kind: str) -> int:
    """Return the most bytes one evidence item of a kind may have (clips are allowed more)."""
    settings = current_app.config["SETTINGS"]
    return settings.max_clip_bytes if kind in {"video", "audio"} else settings.max_upload_bytes


def too_big_message(filename: str, kind: str) -> str:
    """Return the Thai message for an item over its size limit."""
    what = "คลิป" if kind in {"video", "audio"} else "ไฟล์"
    return f"{what} “{filename}” มีขนาดเกิน {size_limit(kind) // (1024 * 1024)} MB กรุณาตัดให้สั้นลงหรือลดขนาดก่อนส่ง"


def evidence_from_upload(filename: str, data: bytes) -> Evidence | None:
    """Return Evidence for an uploaded file, or None when its content is not an accepted type."""
    found = sniff(data)
    if found is None:
        return None
    media_type, kind, ext = found
    name = (filename or "").strip().replace("/", "_").replace("\\", "_")[:120] or f"evidence{ext}"
    return Evidence(kind=kind, media_type=media_type, filename=name, data=data)
