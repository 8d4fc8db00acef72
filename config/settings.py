"""Settings read from the environment, with defaults for the embedded (single machine) mode."""
from __future__ import annotations

import base64
import json
import os
import secrets
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Mapping

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_INSTANCE = REPO_ROOT / "instance"
DEFAULT_PROFILE = Path(__file__).resolve().parent / "demo_office.toml"

#: The secret the offline simulator signs webhooks with when no LINE channel is configured.
SIMULATOR_CHANNEL_SECRET = "sujarit-simulator-secret"
SIMULATOR_ACCESS_TOKEN = "sujarit-simulator-token"


class ConfigError(RuntimeError):
    """Raised when the environment cannot make a working configuration."""


@dataclass(frozen=True)
class Settings:
    """Everything the application reads from its environment."""

    env: str
    instance_path: Path
    database_url: str
    secret_key: str
    #: Tier-C server keyring: key id -> 32-byte key; the first entry encrypts, all decrypt.
    data_keys: tuple[tuple[str, bytes], ...]
    #: Key for blind indexes (tracking codes, LINE user ids); never rotated without a re-index.
    index_key: bytes
    public_base_url: str
    line_channel_secret: str
    line_channel_access_token: str
    line_api_base: str
    line_data_api_base: str
    line_simulated: bool
    smtp_host: str
    smtp_port: int
    smtp_user: str
    smtp_password: str
    smtp_from: str
    smtp_starttls: bool
    timezone: str
    office_profile: Path
    max_upload_bytes: int
    max_clip_bytes: int  #: one video or voice clip of evidence
    embedded_workers: bool
    log_level: str
    #: How many reverse proxies (load balancer, router) stand in front of the app and set X-Forwarded-For/-Proto.
    trusted_proxies: int = 0
    #: argon2id cost for password-derived keys: (time cost, memory KiB, parallelism).
    kdf_cost: tuple[int, int, int] = (3, 65536, 1)
    #: Where the tier-F key-state file lives (None: the instance folder); shared by every process.
    flight_key_dir: Path | None = None

    @property
    def flight_keys_path(self) -> Path:
        """Return the folder of the tier-F key-state file."""
        return self.flight_key_dir or self.instance_path

    @property
    def is_production(self) -> bool:
        return self.env == "production"

    def with_overrides(self, **changes) -> "Settings":
        """Return a copy with some fields replaced (used by tests and benchmarks)."""
        return replace(self, **changes)


def _b64key(text: str, name: str) -> bytes:
    try:
        key = base64.urlsafe_b64decode(text.strip() + "=" * (-len(text.strip()) % 4))
    except ValueError as exc:
        raise ConfigError(f"{name} is not valid base64: {exc}") from None
    if len(key) != 32:
        raise ConfigError(f"{name} must decode to 32 bytes, got {len(key)}")
    return key


def parse_data_keys(text: str) -> tuple[tuple[str, bytes], ...]:
    """Parse DATA_KEYS, "id:base64key,id:base64key", newest first."""
    keys = []
    for part in filter(None, (p.strip() for p in text.split(","))):
        key_id, sep, material = part.partition(":")
        if not sep or not key_id:
            raise ConfigError("DATA_KEYS entries look like 'k1:<base64 of 32 bytes>'")
        keys.append((key_id, _b64key(material, f"DATA_KEYS[{key_id}]")))
    if not keys:
        raise ConfigError("DATA_KEYS holds no key")
    return tuple(keys)


def new_key_text() -> str:
    """Return a fresh 32-byte key as URL-safe base64, as DATA_KEYS and INDEX_KEY take it."""
    return base64.urlsafe_b64encode(secrets.token_bytes(32)).decode().rstrip("=")


def _embedded_secrets(instance: Path) -> dict:
    """Load the instance folder's generated secrets, creating them (mode 0600) on first use."""
    path = instance / "secrets.json"
    if path.exists():
        return json.loads(path.read_text())
    instance.mkdir(mode=0o700, parents=True, exist_ok=True)
    generated = {
        "SECRET_KEY": secrets.token_urlsafe(32),
        "DATA_KEYS": f"k1:{new_key_text()}",
        "INDEX_KEY": new_key_text(),
    }
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as fh:
        json.dump(generated, fh, indent=2)
    return generated


def _flag(value: str) -> bool:
    return value.strip().lower() in {"1", "true", "yes", "on"}


def load_settings(environ: Mapping[str, str] | None = None) -> Settings:
    """Build the settings from environment variables, refusing an unsafe production start."""
    env = dict(os.environ if environ is None else environ)
    mode = env.get("SUJARIT_ENV", "development").strip().lower()
    if mode not in {"development", "production", "testing"}:
        raise ConfigError("SUJARIT_ENV must be development, production or testing")
    instance = Path(env.get("INSTANCE_PATH") or DEFAULT_INSTANCE)

    if mode == "production":
        required = ["DATABASE_URL", "SECRET_KEY", "DATA_KEYS", "INDEX_KEY", "PUBLIC_BASE_URL"]
        missing = [name for name in required if not env.get(name, "").strip()]
        if missing:
            raise ConfigError(
                "Production start refused: set " + ", ".join(missing)
                + ". Generate keys with `flask keys generate`; see README, Configuration."
            )
        if len(env["SECRET_KEY"]) < 32:
            raise ConfigError("Production start refused: SECRET_KEY must be at least 32 characters")
        generated = {}
    else:
        needs_generated = any(not env.get(n) for n in ("SECRET_KEY", "DATA_KEYS", "INDEX_KEY"))
        generated = _embedded_secrets(instance) if needs_generated else {}

    def pick(name: str, default: str = "") -> str:
        return env.get(name) or generated.get(name) or default

    public_base = pick("PUBLIC_BASE_URL", "http://127.0.0.1:5000").rstrip("/")
    channel_secret = env.get("LINE_CHANNEL_SECRET", "")
    access_token = env.get("LINE_CHANNEL_ACCESS_TOKEN", "")
    if bool(channel_secret) != bool(access_token):
        raise ConfigError("Set both LINE_CHANNEL_SECRET and LINE_CHANNEL_ACCESS_TOKEN, or neither")
    simulated = not channel_secret
    if mode == "production" and (simulated or channel_secret == SIMULATOR_CHANNEL_SECRET):
        # The simulator's secret is public (it is in this file): no switch lets production run on it.
        raise ConfigError("Production start refused: set LINE_CHANNEL_SECRET and LINE_CHANNEL_ACCESS_TOKEN of the "
                          "office's LINE channel (the offline simulator exists only in development)")
    try:
        trusted_proxies = int(env.get("TRUSTED_PROXIES", "0"))
    except ValueError:
        raise ConfigError("TRUSTED_PROXIES must be a whole number (how many proxies stand before the app)") from None
    fake_line = f"{public_base}/_fake-line"
    default_db = f"sqlite:///{instance / 'sujarit.db'}"

    return Settings(
        env=mode,
        instance_path=instance,
        database_url=pick("DATABASE_URL", default_db),
        secret_key=pick("SECRET_KEY"),
        data_keys=parse_data_keys(pick("DATA_KEYS")),
        index_key=_b64key(pick("INDEX_KEY"), "INDEX_KEY"),
        public_base_url=public_base,
        line_channel_secret=channel_secret or SIMULATOR_CHANNEL_SECRET,
        line_channel_access_token=access_token or SIMULATOR_ACCESS_TOKEN,
        line_api_base=(env.get("LINE_API_BASE") or ("" if not simulated else fake_line)).rstrip("/"),
        line_data_api_base=(env.get("LINE_DATA_API_BASE") or ("" if not simulated else fake_line)).rstrip("/"),
        line_simulated=simulated,
        smtp_host=env.get("SMTP_HOST", ""),
        smtp_port=int(env.get("SMTP_PORT", "587")),
        smtp_user=env.get("SMTP_USER", ""),
        smtp_password=env.get("SMTP_PASSWORD", ""),
        smtp_from=env.get("SMTP_FROM", "sujarit@localhost"),
        smtp_starttls=_flag(env.get("SMTP_STARTTLS", "1")),
        timezone=env.get("TIMEZONE", "Asia/Bangkok"),
        office_profile=Path(env.get("OFFICE_PROFILE") or DEFAULT_PROFILE),
        max_upload_bytes=int(float(env.get("MAX_UPLOAD_MB", "10")) * 1024 * 1024),
        max_clip_bytes=int(float(env.get("MAX_CLIP_MB", "25")) * 1024 * 1024),
        embedded_workers=_flag(env.get("EMBEDDED_WORKERS", "0" if mode == "production" else "1")),
        log_level=env.get("LOG_LEVEL", "INFO").upper(),
        flight_key_dir=Path(env["FLIGHT_KEY_DIR"]) if env.get("FLIGHT_KEY_DIR") else None,
        trusted_proxies=max(0, trusted_proxies),
    )
