"""Start and stop a real Neo4j 5.26 Community server without Docker.

Maven Central carries the database (``org.neo4j:neo4j``) but not the server tarball,
so ``neo4j/`` holds a tiny Java launcher that runs the DBMS with Bolt on a loopback
port. Maven caches everything in ``~/.m2``; a warm start takes seconds.

    python scripts/neo4j_server.py provision
    python scripts/neo4j_server.py start [--name dev]   # prints WARMINTRO_NEO4J_* lines
    python scripts/neo4j_server.py env [--name dev]
    python scripts/neo4j_server.py stop [--name dev]
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROJECT = ROOT / "neo4j"
JAR = PROJECT / "target" / "neo4j-launcher-1.0.jar"
LIB = PROJECT / "target" / "lib"
RUN = ROOT / ".cache" / "neo4j" / "run"
START_TIMEOUT = 180.0


class Neo4jError(RuntimeError):
    """Neo4j could not be provisioned or started; the message says what to do."""


@dataclass(frozen=True)
class ServerInfo:
    name: str
    pid: int
    port: int
    user: str
    password: str

    @property
    def uri(self) -> str:
        return f"bolt://127.0.0.1:{self.port}"

    def env_lines(self) -> list[str]:
        return [
            f"WARMINTRO_NEO4J_URI={self.uri}",
            f"WARMINTRO_NEO4J_USER={self.user}",
            f"WARMINTRO_NEO4J_PASSWORD={self.password}",
        ]


def require_tools() -> None:
    missing = [t for t in ("java", "mvn") if shutil.which(t) is None]
    if missing:
        raise Neo4jError(
            f"missing {' and '.join(missing)}: install OpenJDK 17 and Maven "
            "(Debian: apt-get install openjdk-17-jre-headless maven)"
        )


def provision() -> None:
    """Build the launcher and fetch Neo4j's jars (cached; seconds when warm)."""
    require_tools()
    if JAR.exists() and LIB.is_dir() and JAR.stat().st_mtime >= (PROJECT / "pom.xml").stat().st_mtime:
        return
    result = subprocess.run(
        ["mvn", "-q", "-B", "package", "-DskipTests"], cwd=PROJECT, capture_output=True, text=True
    )
    if result.returncode != 0 or not JAR.exists():
        tail = (result.stdout + result.stderr)[-3000:]
        raise Neo4jError(f"building the Neo4j launcher with Maven failed:\n{tail}")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _state_file(name: str) -> Path:
    return RUN / name / "state.json"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _bolt_open(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1):
            return True
    except OSError:
        return False


def running(name: str) -> ServerInfo | None:
    path = _state_file(name)
    if not path.exists():
        return None
    info = ServerInfo(**json.loads(path.read_text()))
    return info if _alive(info.pid) and _bolt_open(info.port) else None


def start(name: str) -> ServerInfo:
    """Start (or find running) instance ``name``; returns once Bolt accepts logins."""
    current = running(name)
    if current is not None:
        return current
    stop(name)  # clear a dead instance's leftovers
    provision()
    run_dir = RUN / name
    home = run_dir / "home"
    home.mkdir(parents=True, exist_ok=True)
    port = free_port()
    password = secrets.token_urlsafe(18)
    log_path = run_dir / "neo4j.log"
    heap = os.environ.get("WARMINTRO_NEO4J_HEAP", "768m")
    with log_path.open("wb") as log:
        proc = subprocess.Popen(
            [
                "java",
                f"-Xmx{heap}",
                "-XX:+UseG1GC",
                "-cp",
                f"{JAR}{os.pathsep}{LIB}/*",
                "warmintro.Neo4jLauncher",
                str(home),
                str(port),
                password,
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,  # its own process group: it outlives this command
        )
    info = ServerInfo(name=name, pid=proc.pid, port=port, user="neo4j", password=password)
    _state_file(name).write_text(json.dumps(asdict(info)))
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise Neo4jError(f"Neo4j exited with {proc.returncode}:\n{_tail(log_path)}")
        if b"READY" in log_path.read_bytes() and _bolt_open(port):
            return info
        time.sleep(0.25)
    stop(name)
    raise Neo4jError(f"Neo4j did not accept Bolt within {START_TIMEOUT:.0f} s:\n{_tail(log_path)}")


def _tail(path: Path) -> str:
    try:
        return path.read_text(errors="replace")[-3000:]
    except OSError:
        return "(no log)"


def stop(name: str) -> None:
    """Stop instance ``name`` and remove its run directory; idempotent."""
    path = _state_file(name)
    if path.exists():
        info = ServerInfo(**json.loads(path.read_text()))
        if _alive(info.pid):
            try:
                os.killpg(info.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
            deadline = time.monotonic() + 30
            while _alive(info.pid) and time.monotonic() < deadline:
                try:
                    os.waitpid(info.pid, os.WNOHANG)
                except ChildProcessError:
                    pass
                time.sleep(0.1)
            if _alive(info.pid):
                try:
                    os.killpg(info.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
    shutil.rmtree(RUN / name, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=["provision", "start", "stop", "env"])
    parser.add_argument("--name", default="dev")
    args = parser.parse_args(argv)
    try:
        if args.command == "provision":
            provision()
            print("Neo4j launcher ready (org.neo4j:neo4j from Maven Central, cached in ~/.m2)")
        elif args.command == "start":
            print("\n".join(start(args.name).env_lines()))
        elif args.command == "env":
            info = running(args.name)
            if info is None:
                print(f"no running Neo4j named {args.name!r}", file=sys.stderr)
                return 1
            print("\n".join(info.env_lines()))
        else:
            stop(args.name)
    except Neo4jError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
