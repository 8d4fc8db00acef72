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


WRK_SCRIPT = """
-- Each wrk thread sends its own pre-made requests in turn: method, path, headers and body per line.
local counter = 0
function setup(thread) thread:set("id", counter); counter = counter + 1 end
function init(args)
  requests, position = {}, 0
  for line in io.lines(args[1] .. "-" .. id) do
    local method, path, headers, body = line:match("^(%S+)\\t(%S+)\\t([^\\t]*)\\t(.*)$")
    local table_of = {}
    for name, value in headers:gmatch("([^:|]+):([^|]*)") do table_of[name] = value end
    requests[#requests + 1] = wrk.format(method, path, table_of, body)
  end
end
function request()
  position = position % #requests + 1
  return requests[position]
end
"""


def wrk_binary() -> str:
    """Return wrk's path, installing Debian's package first when it is missing."""
    import shutil
    import subprocess

    if shutil.which("wrk") is None:
        print("wrk is missing: installing Debian's package (apt-get install -y wrk)", flush=True)
        subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], check=True, stdout=subprocess.DEVNULL)
    return shutil.which("wrk")


def wrk(url: str, requests_per_thread: list[list[tuple[str, str, dict, str]]], seconds: float,
        connections: int, refusals_allowed: bool = False) -> dict:
    """Run wrk closed loop over pre-made (method, path, headers, body) requests; return req/s, latency and
    the count of answers other than 2xx/3xx (which stop the bench unless `refusals_allowed`)."""
    import re
    import subprocess

    folder = Path(tempfile.mkdtemp(prefix="sujarit-wrk-"))
    for index, requests in enumerate(requests_per_thread):
        with open(folder / f"requests-{index}", "w", encoding="utf-8") as out:
            for method, path, headers, body in requests:
                assert "\t" not in body and "\n" not in body
                out.write(f"{method}\t{path}\t{'|'.join(f'{k}:{v}' for k, v in headers.items())}\t{body}\n")
    (folder / "script.lua").write_text(WRK_SCRIPT)
    output = subprocess.run([wrk_binary(), "-t", str(len(requests_per_thread)), "-c", str(connections),
                             "-d", f"{seconds:g}s", "--latency", "-s", str(folder / "script.lua"), url,
                             "--", str(folder / "requests")], check=True, capture_output=True, text=True).stdout
    failures = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    refused = int(failures.group(1)) if failures else 0
    if refused and not refusals_allowed or "Socket errors" in output or "Requests/sec" not in output:
        raise SystemExit(f"wrk saw failed requests:\n{output}")

    def millis(text: str) -> float:
        found = re.match(r"([\d.]+)(us|ms|s|m)$", text)
        if found is None:
            raise SystemExit(f"wrk printed a latency this bench cannot read ({text}):\n{output}")
        number, unit = found.groups()
        return float(number) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000}[unit]

    return {"rate": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)), "refused": refused,
            "p50": millis(re.search(r"^\s+50%\s+(\S+)", output, re.M).group(1)),
            "p99": millis(re.search(r"^\s+99%\s+(\S+)", output, re.M).group(1))}
