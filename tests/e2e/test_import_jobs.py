"""Import jobs that always end, stored in the app db, seen only by their member and
admins; loader limits that hold (issue 15). Each test failed on the code before."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest

from graph.errors import InvalidInput
from graph.model import ImportBatch, Member, Person, Sharing
from loaders.csvsource import FIELD_LIMIT, decode_text
from loaders.edges import load_edges
from loaders.graphml import load_graphml
from loaders.linkedin_export import LinkedInLoader
from loaders.options import LoadOptions
from services.appdb import AppDB, JobTable
from services.imports import ImportJob, JobStatus
from services.runtime import open_store
from services.settings import Settings
from tests.e2e.http_server import serve

NESTING_BOMB = b"[" * 200_000 + b"]" * 200_000
HUGE_NUMBER = b'[{"source": "a", "target": "b", "strength": ' + b"7" * 5000 + b"}]"
POLL = """query($id: ID!) { importJob(id: $id) { __typename
  ... on ImportJob { status rowsProcessed report { source relationships }
                     error { message file line field } }
  ... on NotFound { message } } }"""


@dataclass
class Server:
    url: str
    data: Path
    keys: dict[str, str]

    def upload(self, key: str, name: str, content: bytes, mutation: str = "importEdges") -> str:
        operations = {
            "query": f"mutation($f: Upload!) {{ {mutation}(file: $f) {{ ... on ImportJob {{ id }} }} }}",
            "variables": {"f": None},
        }
        files: dict[str, Any] = {
            "operations": (None, json.dumps(operations), "application/json"),
            "map": (None, json.dumps({"0": ["variables.f"]}), "application/json"),
            "0": (name, content, "application/octet-stream"),
        }
        reply = httpx.post(
            self.url + "/graphql", files=files, headers=self.auth(key), timeout=30
        ).json()
        job_id: str = reply["data"][mutation]["id"]
        return job_id

    def auth(self, key: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.keys[key]}"}

    def job(self, key: str, job_id: str) -> dict[str, Any]:
        body = {"query": POLL, "variables": {"id": job_id}}
        reply = httpx.post(self.url + "/graphql", json=body, headers=self.auth(key), timeout=30)
        assert reply.json().get("data"), reply.text
        found: dict[str, Any] = reply.json()["data"]["importJob"]
        return found

    def finished(self, key: str, job_id: str) -> dict[str, Any]:
        deadline = time.monotonic() + 30
        while True:
            job = self.job(key, job_id)
            if job.get("status") in ("DONE", "FAILED") or time.monotonic() > deadline:
                return job
            time.sleep(0.05)


def team_data(data: Path) -> dict[str, str]:
    settings = Settings(data_dir=data, workspace="team")
    store = open_store(settings)
    batch = ImportBatch(
        people=[Person("ann", "Ann A"), Person("ben", "Ben B")],
        members=[Member("ann", Sharing.FULL), Member("ben", Sharing.FULL)],
    )
    import asyncio

    async def load() -> None:
        await store.apply("team", batch)
        await store.close()

    asyncio.run(load())
    db = AppDB(data / "app.db")
    db.create_workspace("team")
    keys = {
        "admin": db.create_key("team", None),
        "ann": db.create_key("team", "ann"),
        "ben": db.create_key("team", "ben"),
    }
    db.close()
    return keys


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    data = tmp_path_factory.mktemp("jobs")
    keys = team_data(data)
    with serve(Settings(data_dir=data, workspace="team", rate_limit_per_minute=0)) as url:
        yield Server(url, data, keys)


@pytest.mark.parametrize(
    ("name", "content"), [("bomb.json", NESTING_BOMB), ("big.json", HUGE_NUMBER)]
)
def test_any_loader_failure_fails_the_job_with_a_located_error(
    server: Server, name: str, content: bytes
) -> None:
    job = server.finished("ann", server.upload("ann", name, content))
    assert job["status"] == "FAILED"
    assert job["error"]["file"] == name
    assert job["error"]["line"] == 1
    assert str(server.data) not in json.dumps(job)
    assert "warmintro-upload" not in json.dumps(job) and "upload-" not in json.dumps(job)
    assert not any((server.data / "uploads").iterdir())  # the upload is gone


def test_a_linkedin_upload_error_names_the_file_not_the_server_path(server: Server) -> None:
    content = b"First Name,Last Name,URL\n" + b"a,b,c\n" * 20_000 + b"\x00\n"
    job_id = server.upload("ann", "Connections.csv", content, mutation="importLinkedIn")
    job = server.finished("ann", job_id)
    assert job["status"] == "FAILED"
    assert job["error"]["file"] == "Connections.csv", job
    assert "upload-" not in json.dumps(job) and str(server.data) not in json.dumps(job)


def test_edge_imports_count_rows_and_report_no_server_paths(server: Server) -> None:
    edges = b"source,target\nann,x1\nann,x2\nben,x3\n"
    job = server.finished("ann", server.upload("ann", "ties.csv", edges))
    assert job["status"] == "DONE", job
    assert job["rowsProcessed"] == 3
    assert job["report"]["source"] == "ties.csv"


def test_a_job_is_visible_to_its_member_and_admins_only(server: Server) -> None:
    job_id = server.upload("ann", "mine.csv", b"source,target\nann,y\n")
    assert server.finished("ann", job_id)["status"] == "DONE"
    assert server.job("ann", job_id)["__typename"] == "ImportJob"
    assert server.job("admin", job_id)["__typename"] == "ImportJob"
    theirs = server.job("ben", job_id)
    unknown = server.job("ben", "0" * 32)
    assert theirs["__typename"] == unknown["__typename"] == "NotFound"
    assert theirs["message"].replace(job_id, "X") == unknown["message"].replace("0" * 32, "X")


def test_jobs_survive_a_restart_and_interrupted_ones_read_failed(tmp_path: Path) -> None:
    keys = team_data(tmp_path)
    settings = Settings(data_dir=tmp_path, workspace="team", rate_limit_per_minute=0)
    with serve(settings) as url:
        done = Server(url, tmp_path, keys).upload("ann", "e.csv", b"source,target\nann,z\n")
        assert Server(url, tmp_path, keys).finished("ann", done)["status"] == "DONE"
    # A job a crashed process left running, with its upload still on disk.
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    upload = tmp_path / "uploads" / "upload-crashed"
    upload.mkdir(parents=True)
    (upload / "e.csv").write_text("source,target\n")
    crashed = ImportJob(id="c" * 32, workspace="team", member="ann", upload=upload)
    crashed.status = JobStatus.RUNNING
    db = AppDB(tmp_path / "app.db")
    JobTable(db).save(
        crashed.row() | {"pid": dead.pid, "started_at": datetime.now(UTC).isoformat()}
    )
    db.close()
    with serve(settings) as url:
        again = Server(url, tmp_path, keys)
        assert again.job("ann", done)["status"] == "DONE"
        interrupted = again.job("ann", "c" * 32)
        assert interrupted["status"] == "FAILED"
        assert "stopped" in interrupted["error"]["message"]
    assert not upload.exists()


def test_cli_import_of_a_bad_file_prints_file_and_line_without_a_traceback(
    tmp_path: Path,
) -> None:
    bomb = tmp_path / "bomb.json"
    bomb.write_bytes(NESTING_BOMB)
    cli = Path(sys.executable).parent / "warmintro"
    run = subprocess.run(
        [str(cli), "import", "edges", str(bomb)],
        check=False,
        env={"WARMINTRO_DATA_DIR": str(tmp_path / "data"), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode == 2, run.stderr
    assert "bomb.json:1" in run.stderr + run.stdout
    assert "Traceback" not in run.stderr


# -- loader limits ---------------------------------------------------------------------------
def test_a_nul_byte_anywhere_makes_a_file_binary() -> None:
    data = b"a,b\n" + b"x,y\n" * 40_000 + b"\x00"
    assert len(data) > 65_536
    with pytest.raises(InvalidInput, match="binary"):
        decode_text(data, "f.csv")


def test_graphml_doctype_is_refused_in_utf16(tmp_path: Path) -> None:
    doc = (
        '<?xml version="1.0" encoding="UTF-16"?>\n'
        '<!DOCTYPE graphml [<!ENTITY a "aaaaaaaaaa">]>\n'
        '<graphml xmlns="http://graphml.graphdrawing.org/xmlns"><graph edgedefault="undirected">'
        '<node id="n1"/></graph></graphml>'
    )
    path = tmp_path / "g.graphml"
    path.write_bytes(doc.encode("utf-16"))
    with pytest.raises(InvalidInput, match="DOCTYPE") as err:
        load_graphml(path)
    assert err.value.line == 2


def test_a_header_of_100k_columns_is_refused_fast(tmp_path: Path) -> None:
    header = ",".join(f"column{i}" for i in range(100_000)) + "\n"
    edges = tmp_path / "wide.csv"
    edges.write_text("source,target," + header)
    connections = tmp_path / "Connections.csv"
    connections.write_text("First Name,Last Name,URL," + header)
    started = time.perf_counter()
    with pytest.raises(InvalidInput, match="columns"):
        load_edges(edges)
    with pytest.raises(InvalidInput, match="columns"):
        LinkedInLoader().load(connections, LoadOptions())
    assert time.perf_counter() - started < 2


def test_one_csv_field_limit_never_raised(tmp_path: Path) -> None:
    export = Path(__file__).parents[1] / "data" / "linkedin" / "full2023"
    LinkedInLoader().load(export, LoadOptions())
    assert csv.field_size_limit() == FIELD_LIMIT == 128 * 1024
    long = tmp_path / "long.csv"
    long.write_text('source,target,note\na,b,"' + "x" * (FIELD_LIMIT + 10) + '"\n')
    with pytest.raises(InvalidInput) as err:
        load_edges(long)
    assert err.value.file == "long.csv"
    assert err.value.line == 2
