#!/usr/bin/env python3
"""Set up and run Sujarit with nothing but Python 3.11+: `python3 tasks.py run`, `test` or `lock`."""
from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
#: The lock tool lives apart from .venv, so a lock file being rewritten (or mid-merge) never stops it.
LOCK_VENV = ROOT / ".venv-lock"
#: Human-edited lists (exact pins of what we use) and the lock files pip-compile makes of them.
LOCKS = (("requirements.in", "requirements.txt"), ("requirements-dev.in", "requirements-dev.txt"))


def ensure_environment(requirements: str) -> None:
    """Create .venv and install a lock file (every package pinned with hashes), skipping it when nothing changed."""
    if sys.version_info < (3, 11):
        sys.exit("Sujarit needs Python 3.11 or newer")
    if not (BIN / "python").exists():
        print("Creating .venv ...", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    files = [ROOT / requirements]
    digest = hashlib.sha256(b"".join(f.read_bytes() for f in files)).hexdigest()[:16]
    stamp = VENV / f".installed-{requirements}-{digest}"
    if not stamp.exists():
        print(f"Installing {requirements} ...", flush=True)
        subprocess.run([BIN / "python", "-m", "pip", "install", "-q", "--disable-pip-version-check",
                        "--require-hashes", "-r", ROOT / requirements], check=True)
        stamp.touch()


def run(args: list[str]) -> int:
    """Seed the demo office on first start, then serve it with the worker and the clock."""
    ensure_environment("requirements.txt")
    flask = [str(BIN / "flask")]
    env = dict(os.environ)
    if "--port" in args and "PUBLIC_BASE_URL" not in env:
        # Links, QR codes and the simulator's LINE API address must point at the port actually served.
        env["PUBLIC_BASE_URL"] = f"http://127.0.0.1:{args[args.index('--port') + 1]}"
    subprocess.run(flask + ["demo", "--if-empty"], cwd=ROOT, check=True, env=env)
    base = env.get("PUBLIC_BASE_URL", "http://127.0.0.1:5000").rstrip("/")
    print(f"\n  citizen pages   {base}/\n"
          + ("" if env.get("LINE_CHANNEL_SECRET") else f"  LINE simulator  {base}/simulator\n")
          + f"  staff console   {base}/staff/\n", flush=True)
    return subprocess.call(flask + ["serve", *args], cwd=ROOT, env=env)


def ensure_test_javascript() -> None:
    """Install the pinned test-only npm packages (axe-core) into node_modules, when npm is there."""
    digest = hashlib.sha256((ROOT / "package-lock.json").read_bytes()).hexdigest()[:16]
    stamp = ROOT / "node_modules" / f".installed-{digest}"
    if stamp.exists():
        return
    npm = shutil.which("npm")
    if npm is None:
        print("npm not found: the accessibility test will be skipped (apt-get install -y npm)", flush=True)
        return
    print("Installing package-lock.json (axe-core) ...", flush=True)
    subprocess.run([npm, "ci", "--no-audit", "--no-fund"], cwd=ROOT, check=True)
    stamp.touch()


def test(args: list[str]) -> int:
    """Install the test dependencies and run the whole suite."""
    ensure_environment("requirements-dev.txt")
    ensure_test_javascript()
    return subprocess.call([str(BIN / "python"), "-m", "pytest", *args], cwd=ROOT)


def lock(args: list[str]) -> int:
    """Regenerate requirements.txt and requirements-dev.txt (hash-pinned) from the .in files with pip-compile."""
    pin = re.search(r"^pip-tools==\S+", (ROOT / "requirements-dev.in").read_text(), re.M).group(0)
    tool = LOCK_VENV / BIN.name
    if not (tool / "python").exists():
        venv.EnvBuilder(with_pip=True).create(LOCK_VENV)
    subprocess.run([tool / "python", "-m", "pip", "install", "-q", "--disable-pip-version-check", pin], check=True)
    for source, target in LOCKS:
        locked = ROOT / target
        if locked.exists() and "<<<<<<<" in locked.read_text():
            locked.unlink()  # a merge conflict: resolve afresh from the .in file
        print(f"Locking {source} -> {target} ...", flush=True)
        subprocess.run([tool / "pip-compile", "--quiet", "--generate-hashes", "--allow-unsafe", "--strip-extras",
                        "--no-emit-index-url", "--no-emit-find-links", "--output-file", target, source, *args],
                       cwd=ROOT, check=True)
    return 0


if __name__ == "__main__":
    commands = {"run": run, "test": test, "lock": lock}
    if len(sys.argv) < 2 or sys.argv[1] not in commands:
        sys.exit("usage: python3 tasks.py run [--port N] | test [pytest options] | lock [pip-compile options]")
    sys.exit(commands[sys.argv[1]](sys.argv[2:]))
