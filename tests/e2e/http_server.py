"""Run the real app with uvicorn on a free loopback port, for HTTP-level tests."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import uvicorn

from api.app import create_app
from services.settings import Settings


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@contextmanager
def serve(settings: Settings) -> Iterator[str]:
    """Serve ``create_app(settings)`` in a thread; yield its base URL; stop it after."""
    port = free_port()
    config = uvicorn.Config(
        create_app(settings), host="127.0.0.1", port=port, log_level="warning", lifespan="on"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the test server did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@contextmanager
def serve_process(env: dict[str, str]) -> Iterator[str]:
    """Serve ``create_app()`` in a child process configured by ``WARMINTRO_*`` variables.

    For timing tests: a server thread in the test process shares its GIL with the test's
    own client threads, which a real client never does.
    """
    port = free_port()
    code = (
        "import uvicorn; from api.app import create_app; "
        f"uvicorn.run(create_app(), host='127.0.0.1', port={port}, log_level='warning')"
    )
    child = subprocess.Popen(
        [sys.executable, "-c", code],
        env={**os.environ, **env},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if child.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("the test server process did not start")
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                    break
            except OSError:
                time.sleep(0.05)
        yield url
    finally:
        child.terminate()
        try:
            child.wait(timeout=10)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()


@contextmanager
def serve_workers(env: dict[str, str], *, workers: int = 2, log: Path) -> Iterator[str]:
    """``warmintro serve --workers N`` as a real process configured by ``env`` (added to
    this environment); yields its URL once ``/readyz`` answers. Its output goes to
    ``log`` (a pipe nobody reads would fill and block the server)."""
    port = free_port()
    cli = Path(sys.executable).parent / "warmintro"
    with log.open("w") as out:
        server = subprocess.Popen(
            [str(cli), "serve", "--port", str(port), "--workers", str(workers)],
            env={**os.environ, **env},
            stdout=subprocess.DEVNULL,
            stderr=out,
            text=True,
        )
        url = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 180  # workers importing numba on a loaded machine
            while True:
                try:
                    if httpx.get(url + "/readyz", timeout=5).status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                if server.poll() is not None or time.monotonic() > deadline:
                    server.kill()
                    out.flush()
                    raise RuntimeError(f"the server did not come up: {log.read_text()[-2000:]}")
                time.sleep(0.2)
            yield url
        finally:
            server.terminate()
            server.wait(timeout=30)
