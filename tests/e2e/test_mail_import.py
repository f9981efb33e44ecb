"""Mail, calendar and address-book imports end to end: the CLI, the GraphQL multipart jobs,
and the privacy guarantee (no subject, body or attachment reaches the data dir)."""

from __future__ import annotations

import base64
import json
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
from typer.testing import CliRunner

from cli.main import app
from services.appdb import AppDB
from services.settings import Settings
from tests.e2e.http_server import serve
from tests.personal_files import Mbox, event, write_ics

runner = CliRunner()
NOW = datetime.now(UTC).replace(microsecond=0)
ME = "maya@team.example"
TOKENS = {
    "subject": "zq7SUBJECTtoken41",
    "body": "zq7BODYtoken52",
    "attachment": "zq7ATTACHMENTtoken63",
    "attachment_name": "zq7FILENAMEtoken74",
    "event_title": "zq7EVENTtitle85",
    "event_text": "zq7EVENTdescription96",
    "event_place": "zq7EVENTlocation07",
    "card_note": "zq7CARDnote18",
    "phone": "5550109999",
}


def cli(data: Path, *args: str) -> tuple[int, str]:
    result = runner.invoke(app, ["--data-dir", str(data), *args])
    return result.exit_code, result.stdout


def secret_mailbox(path: Path) -> Path:
    box = Mbox()
    attachment = base64.b64encode(f"{TOKENS['attachment']} quarterly numbers".encode()).decode()
    body = [
        "Content-Type: multipart/mixed; boundary=b1",
        "",
        "--b1",
        "Content-Type: text/plain",
        "",
        f"{TOKENS['body']} please keep this between us",
        "--b1",
        f'Content-Type: application/pdf; name="{TOKENS["attachment_name"]}.pdf"',
        "Content-Transfer-Encoding: base64",
        "",
        attachment,
        f"{TOKENS['attachment']}",
        "--b1--",
    ]
    for k in range(3):
        at = NOW - timedelta(days=5 + k)
        first = box.send(
            f"Maya <{ME}>",
            ["Dana <dana@acme.example>"],
            at,
            cc=["Lee <lee@globex.example>"],
            subject=f"{TOKENS['subject']} plans",
            body=body,
            thread=f"t{k}",
        )
        box.send(
            "Dana <dana@acme.example>",
            [ME, "lee@globex.example"],
            at + timedelta(hours=1),
            subject=f"Re: {TOKENS['subject']}",
            body=[TOKENS["body"]],
            reply_to=first,
            thread=f"t{k}",
        )
    return box.write(path)


def secret_calendar(path: Path) -> Path:
    extra = (
        f"SUMMARY:{TOKENS['event_title']}",
        f"DESCRIPTION:{TOKENS['event_text']}",
        f"LOCATION:{TOKENS['event_place']}",
    )
    people = [ME, "dana@acme.example"]
    return write_ics(
        path,
        [event(f"e{k}", NOW - timedelta(days=3 + k), ME, people, extra=extra) for k in range(2)],
    )


def secret_vcard(path: Path) -> Path:
    path.write_text(
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Dana Reyes\r\nORG:Acme\r\n"
        f"EMAIL:dana@acme.example\r\nTEL:+1 555 010 9999\r\nNOTE:{TOKENS['card_note']}\r\n"
        "END:VCARD\r\n"
    )
    return path


def test_no_subject_body_attachment_or_phone_reaches_the_data_dir(tmp_path: Path) -> None:
    data = tmp_path / "data"
    files = tmp_path / "in"
    files.mkdir()
    mbox = secret_mailbox(files / "mail.mbox")
    ics = secret_calendar(files / "cal.ics")
    vcf = secret_vcard(files / "cards.vcf")
    raw = mbox.read_bytes() + ics.read_bytes() + vcf.read_bytes()
    assert all(t.encode() in raw for t in TOKENS.values() if t != TOKENS["phone"])
    for kind, path in (("mbox", mbox), ("calendar", ics), ("vcard", vcf)):
        code, out = cli(data, "import", kind, str(path), "--owner", ME, "--json")
        assert code == 0, out
        assert json.loads(out)["relationships"] >= 1
    code, out = cli(data, "path", ME, "lee@globex.example", "--json")
    assert code == 0 and json.loads(out)["found"] is True
    stored = [f for f in data.rglob("*") if f.is_file()]
    assert stored, "the import wrote nothing"
    hits = [
        (f.name, name)
        for f in stored
        for name, token in TOKENS.items()
        if token.encode() in f.read_bytes() or token.encode("utf-16-le") in f.read_bytes()
    ]
    assert hits == []


def test_cli_reports_and_refuses_a_bad_mailbox_writing_nothing(tmp_path: Path) -> None:
    data = tmp_path / "data"
    good = secret_mailbox(tmp_path / "mail.mbox")
    code, out = cli(data, "import", "mbox", str(good), "--owner", ME)
    assert code == 0, out
    assert out.startswith(f"imported {good}: 3 people, ")
    assert "note: merged" not in out
    code, before = cli(data, "stats", "--json")
    bad = tmp_path / "bad.mbox"
    bad.write_bytes(
        good.read_bytes().replace(b"dana@acme.example", b"new@acme.example")
        + b"From z Mon Jan  5 10:00:00 2026\r\nFrom: x@y.example\r\n\x00\x01junk\r\n\r\n"
    )
    result = runner.invoke(
        app, ["--data-dir", str(data), "import", "mbox", str(bad), "--owner", ME]
    )
    assert result.exit_code == 2
    assert f"{bad}:" in result.output
    assert cli(data, "stats", "--json")[1] == before
    code, out = cli(data, "import", "calendar", str(tmp_path / "missing.ics"), "--owner", ME)
    assert code == 2


# -- GraphQL --------------------------------------------------------------------------------------
def upload(url: str, key: str, field: str, name: str, content: bytes, owner: str) -> dict[str, Any]:
    operations = {
        "query": f"mutation($file: Upload!, $owner: String) {{ {field}(file: $file, owner: $owner)"
        " { __typename ... on ImportJob { id status } ... on InvalidInput { message } } }",
        "variables": {"file": None, "owner": owner},
    }
    files: dict[str, Any] = {
        "operations": (None, json.dumps(operations), "application/json"),
        "map": (None, json.dumps({"0": ["variables.file"]}), "application/json"),
        "0": (name, content, "application/octet-stream"),
    }
    headers = {"Authorization": f"Bearer {key}"}
    reply = httpx.post(url + "/graphql", files=files, headers=headers, timeout=30).json()
    job: dict[str, Any] = reply["data"][field]
    assert job["__typename"] == "ImportJob", reply
    return job


def finished(url: str, key: str, job_id: str) -> dict[str, Any]:
    poll = (
        "query($id: ID!) { importJob(id: $id) { ... on ImportJob { status rowsProcessed"
        " report { people relationships interactions merges notes } error { message file line } } } }"
    )
    deadline = time.monotonic() + 30
    while True:
        state: dict[str, Any] = httpx.post(
            url + "/graphql",
            json={"query": poll, "variables": {"id": job_id}},
            headers={"Authorization": f"Bearer {key}"},
            timeout=30,
        ).json()["data"]["importJob"]
        if state["status"] in ("DONE", "FAILED") or time.monotonic() > deadline:
            return state
        time.sleep(0.05)


def test_graphql_mailbox_calendar_and_contacts_jobs(tmp_path: Path) -> None:
    data = tmp_path / "data"
    settings = Settings(data_dir=data, rate_limit_per_minute=0, workspace="main")
    db = AppDB(data / "app.db")
    db.create_workspace("main")
    key = db.create_key("main", None)
    member_key = db.create_key("main", "em:omar@team.example")
    db.close()
    mbox = secret_mailbox(tmp_path / "mail.mbox").read_bytes()
    ics = secret_calendar(tmp_path / "cal.ics").read_bytes()
    vcf = secret_vcard(tmp_path / "cards.vcf").read_bytes()
    with serve(settings) as url:
        job = upload(url, key, "importMailbox", "All mail.mbox", mbox, ME)
        state = finished(url, key, job["id"])
        assert state["status"] == "DONE", state
        assert state["rowsProcessed"] == 6
        assert state["report"]["people"] == 3
        state = finished(url, key, upload(url, key, "importCalendar", "c.ics", ics, ME)["id"])
        assert state["status"] == "DONE" and state["report"]["interactions"] == 2, state
        state = finished(url, key, upload(url, key, "importContacts", "c.vcf", vcf, ME)["id"])
        assert state["status"] == "DONE", state
        query = (
            '{ trustedPath(from: "maya@team.example", to: "dana@acme.example", maxHops: 1) '
            "{ ... on Path { steps { evidence } } } }"
        )
        reply = httpx.post(
            url + "/graphql",
            json={"query": query},
            headers={"Authorization": f"Bearer {key}"},
            timeout=30,
        ).json()
        evidence = reply["data"]["trustedPath"]["steps"][0]["evidence"]
        assert evidence[0].startswith("6 emails both ways")
        assert "2 meetings of ≤ 4 people, last" in evidence[1]
        assert "in maya@team.example's address book" in evidence
        # A member imports only their own mail: someone else's is refused, their own runs.
        operations = {
            "query": "mutation($file: Upload!) { importMailbox(file: $file, owner: "
            '"maya@team.example") { __typename ... on Forbidden { message } } }',
            "variables": {"file": None},
        }
        files: dict[str, Any] = {
            "operations": (None, json.dumps(operations), "application/json"),
            "map": (None, json.dumps({"0": ["variables.file"]}), "application/json"),
            "0": ("m.mbox", mbox, "application/octet-stream"),
        }
        refused = httpx.post(
            url + "/graphql",
            files=files,
            headers={"Authorization": f"Bearer {member_key}"},
            timeout=30,
        ).json()["data"]["importMailbox"]
        assert refused["__typename"] == "Forbidden"
        bad = finished(
            url,
            key,
            upload(url, key, "importCalendar", "x.ics", b"BEGIN:VCALENDAR\r\nnope", ME)["id"],
        )
        assert bad["status"] == "FAILED"
        assert bad["error"]["file"].endswith("x.ics") and bad["error"]["line"] >= 1
