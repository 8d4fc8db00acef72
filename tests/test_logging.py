"""The redaction filter removes codes and identities that slip into a log line."""
from __future__ import annotations

import logging

from config.logging import RedactingFilter, redact
from models.keyring import new_tracking_code


def test_redact_removes_codes_ids_and_contacts():
    code = new_tracking_code()
    line = (f"POST /track code={code} compact={code.replace('-', '')} user=U{'a1' * 16} "
            f"mail=somchai@example.com tel=081-234-5678")
    cleaned = redact(line)
    for secret in (code, code.replace("-", ""), "U" + "a1" * 16, "somchai@example.com", "081-234-5678"):
        assert secret not in cleaned
    assert cleaned.startswith("POST /track")


def test_filter_applies_to_arguments_and_tracebacks():
    record = logging.LogRecord("x", logging.ERROR, __file__, 1, "user %s failed", ("U" + "0" * 32,), None)
    try:
        raise ValueError("bad code ABCD-EFGH-JKMN-PQRS")
    except ValueError:
        import sys

        record.exc_info = sys.exc_info()
    RedactingFilter().filter(record)
    assert "U" + "0" * 32 not in record.getMessage()
    assert "ABCD-EFGH-JKMN-PQRS" not in record.exc_text
