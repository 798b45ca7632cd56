"""``make test-servers``: throw-away PostgreSQL and Chroma servers on 127.0.0.1, the ``servers`` tests against them.

PostgreSQL comes from Debian's package (``pg_config --bindir`` or /usr/lib/postgresql/*/bin): a cluster in a
temp dir, run as an unprivileged user when started as root (postgres refuses root). Chroma is ``chroma run``
from the virtualenv. Both are stopped, and the temp dir removed, however the tests end.

    python -m tests.servers.run [pytest args…]      # exit code: pytest's
    python -m tests.servers.run --hold               # start both, print the env, wait for Ctrl-C
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def pg_bindir() -> Path:
    found = shutil.which("pg_config")
    if found:
        out = subprocess.run([found, "--bindir"], capture_output=True, text=True).stdout.strip()
        if (Path(out) / "initdb").exists():
            return Path(out)
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(Path(p).parts[-3]))
    if candidates:
        return Path(candidates[-1]).parent
    initdb = shutil.which("initdb")
    if initdb:
        return Path(initdb).resolve().parent
    raise SystemExit("PostgreSQL not found: install Debian's postgresql package")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(check, what: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.2)
    raise SystemExit(f"{what} did not answer within {timeout:.0f} s")


def _as_user(user: str | None) -> list[str]:
    return ["runuser", "-u", user, "--"] if user else []


@contextmanager
def postgres(base: Path) -> Iterator[str]:
    bindir = pg_bindir()
    user = "nobody" if os.geteuid() == 0 else None
    data, sockets = base / "pg", base / "pg-socket"
    sockets.mkdir()
    if user:
        entry = pwd.getpwnam(user)
        for path in (base, sockets):
            os.chown(path, entry.pw_uid, entry.pw_gid)
    subprocess.run([*_as_user(user), str(bindir / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres",
                    "-E", "UTF8", "--locale=C", "--no-sync"], check=True, stdout=subprocess.DEVNULL)
    port = free_port()
    # Durability is not under test here (the stores' transactions are): fsync off keeps the run short.
    options = f"-h 127.0.0.1 -p {port} -k {sockets} -F -c max_connections=200"
    subprocess.run([*_as_user(user), str(bindir / "pg_ctl"), "-D", str(data), "-l", str(base / "pg.log"),
                    "-o", options, "-w", "-t", "60", "start"], check=True, stdout=subprocess.DEVNULL)
    try:
        yield f"postgresql://postgres@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run([*_as_user(user), str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


@contextmanager
def chroma(base: Path) -> Iterator[tuple[str, int]]:
    import httpx

    port = free_port()
    exe = Path(sys.executable).with_name("chroma")
    log = (base / "chroma.log").open("wb")
    proc = subprocess.Popen([str(exe), "run", "--path", str(base / "chroma"), "--host", "127.0.0.1", "--port", str(port)],
                            stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
                            env={**os.environ, "ANONYMIZED_TELEMETRY": "False"})

    def up() -> bool:
        if proc.poll() is not None:
            raise SystemExit(f"chroma run exited: {(base / 'chroma.log').read_text(errors='replace')[-2000:]}")
        try:
            return httpx.get(f"http://127.0.0.1:{port}/api/v2/heartbeat", timeout=1).status_code == 200
        except httpx.HTTPError:
            return False

    try:
        wait_for(up, "chroma run")
        yield "127.0.0.1", port
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
        log.close()


@contextmanager
def servers() -> Iterator[dict[str, str]]:
    """Both servers up; yields the environment that points the stores (and the tests' fixtures) at them."""
    base = Path(tempfile.mkdtemp(prefix="budget-qa-servers-"))
    try:
        with chroma(base) as (host, port), postgres(base) as url:
            yield {"BUDGET_QA_FACTS_URL": url, "BUDGET_QA_CHROMA__HOST": host, "BUDGET_QA_CHROMA__PORT": str(port)}
    finally:
        shutil.rmtree(base, ignore_errors=True)


def marked_files() -> list[str]:
    """Test files with a ``servers`` mark: collecting only these keeps the run short (collection imports every
    test module, and most import the whole app)."""
    return sorted(str(p.relative_to(ROOT)) for p in (ROOT / "tests").rglob("test_*.py")
                  if "pytest.mark.servers" in p.read_text(encoding="utf-8"))


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def main(argv: list[str]) -> int:
    started = time.perf_counter()
    # SIGTERM (a CI timeout) unwinds like Ctrl-C, so the servers are stopped either way.
    signal.signal(signal.SIGTERM, _interrupt)
    with servers() as env:
        print(f"servers up in {time.perf_counter() - started:.1f} s: " + " ".join(f"{k}={v}" for k, v in env.items()), flush=True)
        if argv[:1] == ["--hold"]:
            try:
                while True:
                    time.sleep(3600)
            except KeyboardInterrupt:
                return 0
        rc = subprocess.run([sys.executable, "-m", "pytest", "-m", "servers", *argv, *marked_files()], cwd=ROOT,
                            env={**os.environ, **env}).returncode
    print(f"make test-servers: {time.perf_counter() - started:.1f} s in all", flush=True)
    return 1 if rc == 5 else rc  # no test collected is a failure too


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
