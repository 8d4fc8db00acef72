"""The record-encryption primitives refuse tampering, wrong keys, swapped ciphertexts; keys rotate."""
from __future__ import annotations

import pytest

from config.settings import parse_data_keys, new_key_text
from models import crypto
from models.keyring import BlindIndex, ServerKeyring, new_tracking_code, normalize_tracking_code
from models.staff import RecoveryKey

AD_A = crypto.associated_data("complaint", "row-a", "details")


def test_field_round_trip_and_tamper():
    key = crypto.new_key()
    blob = crypto.encrypt(key, "ข้อความลับ".encode(), AD_A)
    assert crypto.decrypt(key, blob, AD_A).decode() == "ข้อความลับ"
    for position in (1, 5, len(blob) - 1):
        tampered = bytearray(blob)
        tampered[position] ^= 0x01
        with pytest.raises(crypto.DecryptionError):
            crypto.decrypt(key, bytes(tampered), AD_A)


def test_wrong_key_fails():
    blob = crypto.encrypt(crypto.new_key(), b"secret", AD_A)
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt(crypto.new_key(), blob, AD_A)


@pytest.mark.parametrize("other", [
    crypto.associated_data("complaint", "row-b", "details"),   # another row
    crypto.associated_data("complaint", "row-a", "accused"),   # another field
    crypto.associated_data("feedback", "row-a", "details"),    # another record type
])
def test_ciphertext_swapped_between_rows_or_fields_fails(other):
    key = crypto.new_key()
    blob = crypto.encrypt(key, b"secret", AD_A)
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt(key, blob, other)


def test_seal_opens_only_for_its_recipient_and_binding():
    alice, mallory = crypto.generate_private_key(), crypto.generate_private_key()
    data_key = crypto.new_key()
    sealed = crypto.seal(crypto.public_bytes(alice), data_key, AD_A)
    assert crypto.open_sealed(alice, sealed, AD_A) == data_key
    with pytest.raises(crypto.DecryptionError):
        crypto.open_sealed(mallory, sealed, AD_A)
    with pytest.raises(crypto.DecryptionError):
        crypto.open_sealed(alice, sealed, crypto.associated_data("complaint", "row-b", "details"))


def test_password_wrap():
    secret = crypto.new_key()
    blob = crypto.wrap_with_password(secret, "correct horse 1", AD_A, (1, 1024, 1))
    assert crypto.unwrap_with_password(blob, "correct horse 1", AD_A) == secret
    with pytest.raises(crypto.DecryptionError):
        crypto.unwrap_with_password(blob, "wrong horse 1", AD_A)
    cheaper = bytearray(blob)
    cheaper[8] ^= 0x01  # lowering the stored cost is tampering too: the header is bound
    with pytest.raises(crypto.DecryptionError):
        crypto.unwrap_with_password(bytes(cheaper), "correct horse 1", AD_A)


def test_keyring_rotation_by_rewrapping():
    old = parse_data_keys(f"k1:{new_key_text()}")
    new = parse_data_keys(f"k2:{new_key_text()}")
    blob = ServerKeyring(old).encrypt(b"suggestion", AD_A)
    rotated = ServerKeyring(new + old)
    assert rotated.decrypt(blob, AD_A) == b"suggestion"
    rewrapped = rotated.rewrap(blob, AD_A)
    assert rotated.key_id_of(rewrapped) == "k2" and rotated.rewrap(rewrapped, AD_A) == rewrapped
    retired = ServerKeyring(new)  # k1 removed once every row was re-wrapped
    assert retired.decrypt(rewrapped, AD_A) == b"suggestion"
    with pytest.raises(crypto.DecryptionError, match="no key 'k1'"):
        retired.decrypt(blob, AD_A)


def test_keyring_refuses_swapped_field():
    ring = ServerKeyring(parse_data_keys(f"k1:{new_key_text()}"))
    blob = ring.encrypt(b"x", AD_A)
    with pytest.raises(crypto.DecryptionError):
        ring.decrypt(blob, crypto.associated_data("complaint", "row-a", "accused"))


def test_blind_index_is_keyed_and_purpose_bound():
    one, two = BlindIndex(crypto.new_key()), BlindIndex(crypto.new_key())
    assert one.digest("tracking", "A") == one.digest("tracking", "A")
    assert one.digest("tracking", "A") != two.digest("tracking", "A")
    assert one.digest("tracking", "A") != one.digest("line_user", "A")


def test_tracking_codes_shape_and_normalisation():
    codes = {new_tracking_code() for _ in range(2000)}
    assert len(codes) == 2000
    for code in list(codes)[:50]:
        assert len(code) == 19 and code.count("-") == 3
        assert normalize_tracking_code(code.lower().replace("-", " ")) == code
    assert normalize_tracking_code("ABCD-EFGH-JKMN-PQRO") == "ABCD-EFGH-JKMN-PQR0"  # O read as zero
    assert normalize_tracking_code("ilo0-0000-0000-0000") == "1100-0000-0000-0000"
    for bad in ("", "ABC", "ABCD-EFGH-JKMN-PQR", "ABCD-EFGH-JKMN-PQRS-T", "ABCD-EFGH-JKMN-PQR!", "' OR 1=1 --"):
        assert normalize_tracking_code(bad) is None


def test_recovery_key_text_round_trip_and_typo(app):
    from models import db

    row, printed = RecoveryKey.create(db.session)
    private = RecoveryKey.parse_private(printed.lower())
    assert crypto.public_bytes(private) == row.public_key
    typo = printed[:10] + ("A" if printed[10] != "A" else "B") + printed[11:]
    with pytest.raises(crypto.DecryptionError):
        RecoveryKey.parse_private(typo)
