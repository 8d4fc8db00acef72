"""What the in-process benchmarks share: an app on a freshly emptied database, and a median timer."""
from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import create_engine  # noqa: E402

from app import create_app  # noqa: E402
from config import load_settings  # noqa: E402
from config.settings import new_key_text  # noqa: E402
from models import Base  # noqa: E402

DETAILS = "เจ้าหน้าที่เรียกรับเงินเพื่ออำนวยความสะดวกในการออกใบอนุญาตก่อสร้าง " * 8


def bench_app(database_url: str | None):
    """Return an app (production key-derivation cost) on an emptied database: a fresh SQLite file by default."""
    workdir = Path(tempfile.mkdtemp(prefix="sujarit-bench-"))
    url = database_url or f"sqlite:///{workdir / 'bench.db'}"
    engine = create_engine(url)
    Base.metadata.drop_all(engine)
    Base.metadata.create_all(engine)
    engine.dispose()
    settings = load_settings({"SUJARIT_ENV": "testing", "INSTANCE_PATH": str(workdir), "DATABASE_URL": url,
                              "SECRET_KEY": "bench" * 8, "DATA_KEYS": f"k1:{new_key_text()}",
                              "INDEX_KEY": new_key_text(), "LOG_LEVEL": "WARNING"})
    return create_app(settings)


def median_seconds(fn, repeat: int, rounds: int = 3) -> float:
    """Return the median seconds per call of `fn` over several rounds of `repeat` calls."""
    samples = []
    for _ in range(rounds):
        start = time.perf_counter()
        for _ in range(repeat):
            fn()
        samples.append((time.perf_counter() - start) / repeat)
    return statistics.median(samples)
