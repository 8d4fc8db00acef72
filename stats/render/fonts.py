"""The Thai font (Sarabun) every renderer embeds."""
from pathlib import Path

import fontpkg_sarabun

FONT_DIR = Path(fontpkg_sarabun.ROOT) / "files"
REGULAR = FONT_DIR / "Sarabun-Regular.ttf"
BOLD = FONT_DIR / "Sarabun-Bold.ttf"
