"""Evidence uploaded on the web never touches /tmp: no temporary file can even be made during the request."""
from __future__ import annotations

import io
import tempfile

from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from models import Attachment
from tests.intake.helpers import complaint_form, count, heading


def test_a_large_evidence_upload_needs_no_temporary_file(client, officer, recovery_key, tmp_path, monkeypatch):
    big = b"\x89PNG\r\n\x1a\n" + b"\x00" * (2 * 1024 * 1024)
    data = {"category": "bribery", "details": "เจ้าหน้าที่เรียกเงินเพื่อเร่งออกใบอนุญาต", **complaint_form(client),
            "evidence": FileStorage(io.BytesIO(big), "scan.png")}
    boundary, body = encode_multipart(data)
    # Every temporary file would go to a folder that does not exist, so making one fails loudly.
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "no-such-folder"))
    response = client.post("/complaint", data=body, content_type=f"multipart/form-data; boundary={boundary}")
    assert response.status_code == 200 and heading(response).startswith("หน่วยงานได้รับเรื่อง")
    assert count(Attachment) == 1
