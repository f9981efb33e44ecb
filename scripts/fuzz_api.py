"""Fuzz the GraphQL API with schemathesis: every query and mutation, admin and member keys.

Builds the demo workspace in a temporary data dir, serves it in a child process (production
settings, rate limits off), loads the schema from schema.graphql (introspection is off in
production) and sends generated operations until at least ``--requests`` have been made.

Passes when no answer is "Unexpected error." and no status is 5xx; prints the figures.
``revokeApiKey`` is left out: a generated prefix such as "wi_" would revoke the fuzzer's own
keys and turn the rest of the run into 401s.

    .venv/bin/python scripts/fuzz_api.py --requests 2000     # or: make fuzz
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import requests
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis.graphql import nodes

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from services.appdb import AppDB  # noqa: E402
from services.demo import build_demo  # noqa: E402
from services.settings import Settings  # noqa: E402

SKIPPED = {"Mutation.revokeApiKey"}
UNEXPECTED = "Unexpected error."


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def start_server(data: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    env = {
        **os.environ,
        "WARMINTRO_DATA_DIR": str(data),
        "WARMINTRO_WORKSPACE": "demo",
        "WARMINTRO_RATE_LIMIT_PER_MINUTE": "0",
        "WARMINTRO_BAD_KEY_LIMIT_PER_MINUTE": "0",
        "WARMINTRO_ENVIRONMENT": "production",
    }
    code = (
        "import uvicorn; from api.app import create_app; "
        f"uvicorn.run(create_app(), host='127.0.0.1', port={port}, log_level='warning')"
    )
    log = (data / "server.log").open("wb")
    child = subprocess.Popen([sys.executable, "-c", code], env=env, cwd=ROOT, stderr=log)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if requests.get(url + "/healthz", timeout=1).status_code == 200:
                return child, url
        except requests.ConnectionError:
            time.sleep(0.1)
    child.kill()
    raise SystemExit("the server did not start")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=2000, help="at least this many")
    args = parser.parse_args()

    data = Path(tempfile.mkdtemp(prefix="warmintro-fuzz-"))
    demo = asyncio.run(build_demo(Settings(data_dir=data)))
    db = AppDB(data / "app.db")
    keys = {"admin": db.create_key("demo", None), "member": demo.key}
    db.close()
    child, url = start_server(data)

    # Uploads travel as multipart parts, never inline: a string in their place is a
    # malformed request the server must refuse cleanly, which is what this tests.
    schemathesis.graphql.scalar("Upload", st.text(max_size=20).map(nodes.String))
    schema = schemathesis.graphql.from_path(ROOT / "schema.graphql")
    operations = [r.ok() for r in schema.get_all_operations()]
    operations = [op for op in operations if op.label not in SKIPPED]
    status: collections.Counter[int] = collections.Counter()
    unexpected: list[tuple[str, str, str]] = []
    server_errors: list[tuple[str, int, str]] = []
    per_operation: collections.Counter[str] = collections.Counter()
    session = requests.Session()
    sent = 0

    def fuzz_one(op: Any, who: str, key: str, examples: int) -> None:
        @settings(
            max_examples=examples,
            deadline=None,
            database=None,
            phases=[Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        @given(case=op.as_strategy())
        def run(case: Any) -> None:
            nonlocal sent
            response = case.call(
                base_url=url + "/graphql",
                session=session,
                headers={"Authorization": f"Bearer {key}"},
                timeout=30,
            )
            sent += 1
            per_operation[op.label] += 1
            status[response.status_code] += 1
            body = response.text
            if response.status_code >= 500:
                server_errors.append((op.label, response.status_code, body[:300]))
            if UNEXPECTED in body:
                unexpected.append((op.label, who, json.dumps(case.body)[:400]))

        run()

    started = time.perf_counter()
    try:
        per_round = max(10, args.requests // (2 * len(operations)) + 1)
        while sent < args.requests:
            for op in operations:
                for who, key in keys.items():
                    fuzz_one(op, who, key, per_round)
    finally:
        child.terminate()
        child.wait(timeout=10)
    seconds = time.perf_counter() - started
    print(f"schemathesis {schemathesis.__version__}: {sent} requests in {seconds:.0f} s")
    print(f"operations fuzzed: {len(operations)} (skipped: {', '.join(sorted(SKIPPED))})")
    print("status codes:", dict(sorted(status.items())))
    print(f'"{UNEXPECTED}" answers: {len(unexpected)}; 5xx: {len(server_errors)}')
    for label, who, query in unexpected[:10]:
        print(f"  unexpected: {label} ({who}): {query}")
    for label, code, body in server_errors[:10]:
        print(f"  {code}: {label}: {body}")
    print(f"server log: {data / 'server.log'}")
    return 0 if sent >= args.requests and not unexpected and not server_errors else 1


if __name__ == "__main__":
    raise SystemExit(main())
