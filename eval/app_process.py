"""Start ``budget-qa serve`` as a real process on a free loopback port, for browser and load tests."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
BUDGET_QA = Path(sys.executable).with_name("budget-qa")
START_TIMEOUT_S = 90


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def running_app(data_dir: Path, log_path: Path, extra_env: dict[str, str] | None = None) -> Iterator[str]:
    """Yield the app's base URL once it answers; stop the process (by its own pid) afterwards."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BUDGET_QA_", "GRADIO_"))}
    env.update(extra_env or {})
    log = log_path.open("wb")
    proc = subprocess.Popen(
        [str(BUDGET_QA), "serve", "--data-dir", str(data_dir), "--port", str(port)],
        cwd=data_dir.parent, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + START_TIMEOUT_S
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"budget-qa serve exited with {proc.returncode}:\n{log_path.read_text(errors='replace')}")
            try:
                if httpx.get(url, timeout=2).status_code in (200, 303, 401):  # 401: up, behind the login
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"budget-qa serve did not start in {START_TIMEOUT_S}s:\n{log_path.read_text(errors='replace')}")
            time.sleep(0.5)
        yield url
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)  # our own process group (start_new_session)
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=5)
        log.close()
