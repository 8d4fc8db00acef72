"""Settings, the office profile and logging; imports nothing else of ours."""
from config.logging import configure_logging, redact
from config.profile import OfficeProfile, load_profile
from config.settings import ConfigError, Settings, load_settings

__all__ = ["ConfigError", "OfficeProfile", "Settings", "configure_logging", "load_profile", "load_settings", "redact"]
