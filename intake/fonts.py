"""The Sarabun font files the posters and receipt images are drawn with."""
from pathlib import Path

import fontpkg_sarabun

_FILES = Path(fontpkg_sarabun.ROOT) / "files"
REGULAR = _FILES / "Sarabun-Regular.ttf"
BOLD = _FILES / "Sarabun-Bold.ttf"
