"""The CLI as people expect it (issue 18): ordinary help, where it listens, a busy port,
one workspace story, --json on data commands, flags named in errors, confirmations,
names not ids, and the LinkedIn import forms people try first."""

from __future__ import annotations

import json
import os
import re
import select
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from cli.main import app
from demo.team_exports import write_team_exports

runner = CliRunner()
WARMINTRO = [sys.executable, "-m", "cli.main"]


def cli(data: Path, *args: str, stdin: str | None = None) -> tuple[int, str, str]:
    result = runner.invoke(app, ["--data-dir", str(data), *args], input=stdin)
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture(scope="module")
def exports(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("exports")
    write_team_exports(root, seed=7)
    return root


@pytest.fixture
def team(tmp_path: Path, exports: Path) -> Path:
    """Two members' exports in the workspace ``t`` (the only one in the data dir)."""
    data = tmp_path / "d"
    code, _out, err = cli(data, "workspace", "create", "t")
    assert code == 0, err
    for member in ("maya-chen", "priya-raman"):
        code, _, err = cli(data, "--workspace", "t", "import", "linkedin", str(exports / member))
        assert code == 0, err
    return data


@pytest.mark.parametrize(
    "command",
    [["import", "linkedin"], ["reach"], ["lint"], ["intro", "list"], ["export"], ["export-neo4j"]],
)
def test_help_uses_ordinary_metavars(command: list[str]) -> None:
    result = runner.invoke(app, [*command, "--help"], env={"COLUMNS": "120"})
    assert result.exit_code == 0
    text = result.stdout
    assert not re.search(r"<(str|int|bool|float|path)>", text), text
    assert not re.search(r"\{[a-z_]+\}", text), text
    if command == ["import", "linkedin"]:
        assert "Usage: warmintro import linkedin [OPTIONS] PATH" in text
        assert "--owner" in text and "TEXT" in text


def test_a_busy_port_is_a_clear_error_with_the_fix(tmp_path: Path) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        for command in (["serve"], ["demo"]):
            done = subprocess.run(
                [*WARMINTRO, "--data-dir", str(tmp_path / "d"), *command, "--port", str(port)],
                capture_output=True,
                text=True,
                timeout=120,
                check=False,
            )
            assert done.returncode == 2, done.stderr
            assert f"port {port} on 127.0.0.1 is in use" in done.stderr
            assert "--port" in done.stderr and "PORT=" in done.stderr
            assert "Traceback" not in done.stderr
    # demo failed before minting a key or building anything
    assert (
        not (tmp_path / "d" / "app.db").exists()
        or "demo"
        not in runner.invoke(app, ["--data-dir", str(tmp_path / "d"), "workspace", "list"]).stdout
    )


def test_serve_says_where_it_listens(tmp_path: Path) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen(
        [*WARMINTRO, "--data-dir", str(tmp_path / "d"), "serve", "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        assert proc.stdout is not None
        ready, _, _ = select.select([proc.stdout], [], [], 60)
        assert ready, "serve printed nothing within 60 s"
        line = proc.stdout.readline()
        assert f"listening on http://127.0.0.1:{port}/" in line
        assert "workspace 'default'" in line and "Ctrl-C" in line
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                time.sleep(0.2)
        else:
            pytest.fail("the server never accepted a connection")
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def test_the_only_workspace_is_the_default_and_the_cli_says_so(team: Path) -> None:
    code, out, err = cli(team, "stats", "--json")
    assert code == 0
    assert "using workspace 't', the only one here" in err
    assert json.loads(out)["people"] > 0
    code, _, err = cli(team, "workspace", "create", "other")
    code, out, err = cli(team, "stats", "--json")
    assert "workspace 'default' does not exist here; workspaces: other, t" in err
    assert "--workspace" in err


def test_key_create_names_a_missing_workspace_and_the_fix(team: Path) -> None:
    code, _, err = cli(team, "key", "create", "--workspace", "default", "--member", "Maya Chen")
    assert code == 2
    assert "no workspace named 'default'" in err
    assert "warmintro workspace create default" in err


def test_export_has_json_and_names_its_flags(team: Path) -> None:
    code, out, err = cli(team, "export", "--ego", "Maya Chen", "--json")
    assert code == 0, err
    assert "elements" in json.loads(out) or isinstance(json.loads(out), list | dict)
    code, _, err = cli(
        team, "export", "--ego", "Maya Chen", "--format", "gexf", "--max-nodes", "5000"
    )
    assert code == 2
    assert "--max-nodes" in err and "maxNodes" not in err
    code, _, err = cli(
        team, "export", "--ego", "Maya Chen", "--format", "gexf", "--max-nodes", "20"
    )
    assert code == 0
    assert "cut at 20 people (--max-nodes" in err


def test_export_neo4j_writes_the_files_and_the_command(team: Path, tmp_path: Path) -> None:
    """The files' import into Neo4j is tested in tests/contract/test_neo4j_bulk_import.py."""
    out_dir = tmp_path / "neo"
    code, out, err = cli(team, "--workspace", "t", "export-neo4j", str(out_dir), "--json")
    assert code == 0, err
    doc = json.loads(out)
    stats = json.loads(cli(team, "--workspace", "t", "stats", "--json")[1])
    assert (doc["people"], doc["ties"], doc["members"]) == (
        stats["people"],
        stats["relationships"],
        stats["members"],
    )
    assert doc["command"].startswith("neo4j-admin database import full neo4j --nodes=Person=")
    names = {"people.csv", "knows.csv", "members.csv", "merges.csv", "workspace.csv"}
    assert {p.name for p in out_dir.iterdir()} == names
    knows = (out_dir / "knows.csv").read_text(encoding="utf-8").splitlines()
    assert len(knows) == 1 + doc["evidence"]
    code, out, err = cli(team, "--workspace", "t", "export-neo4j", str(out_dir))
    assert code == 2
    assert "not empty" in err


def test_erase_asks_first_and_scripts_pass_yes(team: Path) -> None:
    code, out, err = cli(team, "search", "Hiroshi Tanaka", "--json")
    assert code == 0, err
    code, out, err = cli(team, "erase", "Hiroshi Tanaka")
    assert code == 2
    assert "--yes" in err
    code, out, err = cli(team, "search", "Hiroshi Tanaka", "--json")
    assert json.loads(out)["people"], "nothing may be erased without confirmation"
    code, out, err = cli(team, "erase", "Hiroshi Tanaka", "--yes", "--json")
    assert code == 0, err
    code, out, err = cli(team, "search", "Hiroshi Tanaka", "--json")
    assert not json.loads(out)["people"]


def _only_in(theirs: Path, mine: Path, data: Path, *, not_named: str) -> str:
    """The id of someone in one member's export and not in the other's."""
    import csv

    def names(export: Path) -> list[str]:
        text = (export / "Connections.csv").read_text(encoding="utf-8-sig")
        start = text.index("First Name")
        rows = csv.DictReader(text[start:].splitlines())
        return [f"{r['First Name']} {r['Last Name']}" for r in rows]

    mine_names = set(names(mine))
    for name in names(theirs):
        if name not in mine_names and not_named not in name:
            code, out, _ = cli(data, "search", name, "--json")
            found = json.loads(out)["people"]
            if code == 0 and len(found) == 1:
                return str(found[0]["id"])
    raise AssertionError("no contact only in the other export")


def test_intro_requests_list_names_and_refuse_a_stranger_as_introducer(
    team: Path, exports: Path
) -> None:
    code, out, err = cli(team, "introducers", "Maya Chen", "--json")
    code, out, err = cli(team, "member", "list", "--json")
    assert code == 0, err
    members = json.loads(out)["members"]
    maya = next(m["person"] for m in members if m["person"]["name"] == "Maya Chen")
    priya = next(m["person"] for m in members if m["person"]["name"] == "Priya Raman")
    # Maya asks Priya (a teammate: tied by membership) about one of Priya's contacts.
    code, out, err = cli(team, "search", "Hiroshi Tanaka", "--json")
    hiroshi = json.loads(out)["people"][0]["id"]
    code, out, err = cli(
        team,
        "intro",
        "create",
        hiroshi,
        "--via",
        priya["id"],
        "--from",
        maya["id"],
        "--goal",
        "learn how they plan grid storage",
    )
    assert code == 0, err
    code, out, err = cli(team, "intro", "list")
    assert code == 0, err
    assert "Maya Chen → Priya Raman → Hiroshi Tanaka" in out
    assert hiroshi not in out
    # Someone who knows neither Maya nor Hiroshi cannot be recorded as the introducer.
    stranger = _only_in(exports / "priya-raman", exports / "maya-chen", team, not_named="Hiroshi")
    code, out, err = cli(
        team,
        "intro",
        "create",
        hiroshi,
        "--via",
        stranger,
        "--from",
        maya["id"],
        "--goal",
        "learn how they plan grid storage",
    )
    assert code == 2
    assert "knows neither" in err


def test_a_lone_connections_csv_takes_its_owner_from_the_profile_beside_it(
    tmp_path: Path, exports: Path
) -> None:
    data = tmp_path / "d"
    code, out, err = cli(data, "import", "linkedin", str(exports / "maya-chen" / "Connections.csv"))
    assert code == 0, err
    assert "Profile.csv beside Connections.csv" in out
    code, out, err = cli(data, "search", "Maya Chen", "--json")
    assert json.loads(out)["people"][0]["name"] == "Maya Chen"


def test_owner_named_by_email(tmp_path: Path, exports: Path) -> None:
    """--owner with an email (any case) works where only a URL did; the name comes from the
    Profile.csv beside the file, and the email then names the owner in every command."""
    data = tmp_path / "d"
    code, out, err = cli(
        data,
        "import",
        "linkedin",
        str(exports / "lea-novak" / "Connections.csv"),
        "--owner",
        "Lea.Novak@Example.com",
        "--json",
    )
    assert code == 0, err
    code, out, err = cli(data, "member", "list", "--json")
    [member] = json.loads(out)["members"]
    assert member["person"]["name"] == "Lea Novak"
    code, out, err = cli(data, "introducers", "lea.novak@example.com", "--json")
    assert code in (0, 3), err
    assert "no person matches" not in err


def test_every_command_that_prints_data_has_json(team: Path) -> None:
    """Every leaf command except the long-running servers offers --json."""
    import typer.main

    root = typer.main.get_command(app)
    missing: list[str] = []

    def walk(command: Any, path: list[str]) -> None:
        if hasattr(command, "commands"):
            for name, sub in command.commands.items():
                walk(sub, [*path, name])
            return
        if path[-1] in {"serve", "demo", "lint"} or path[-1] == "export":
            return  # servers print a URL; lint and export have their own checks
        if not any("--json" in getattr(p, "opts", ()) for p in command.params):
            missing.append(" ".join(path))

    walk(root, [])
    assert missing == []
    code, out, err = cli(team, "workspace", "create", "w2", "--json")
    assert code == 0, err
    assert json.loads(out)["adminKey"].startswith("wi_")
    code, out, err = cli(
        team, "--workspace", "t", "member", "sharing", "Maya Chen", "full", "--json"
    )
    assert code == 0, err
    assert json.loads(out)["sharing"] == "full"


def test_errors_name_cli_flags_not_api_fields(team: Path) -> None:
    code, _out, err = cli(team, "--workspace", "t", "draft", "Hiroshi Tanaka", "--goal", "x" * 600)
    assert code == 2
    assert "error: --goal:" in err
    assert "field 'goal'" not in err


RUN_COMMAND = (
    "import atexit, sys\n"
    "atexit.register(lambda: print('exit handlers ran', file=sys.stderr))\n"
    "from cli.main import run_command\n"
    "sys.argv = ['warmintro', *sys.argv[1:]]\n"
    "run_command()\n"
)


@pytest.mark.parametrize(
    ("args", "stdin", "code"),
    [
        (["stats", "--json"], None, 0),
        (["search", "a", "--json"], None, 0),
        (["export", "--ego", "maya-chen", "--format", "graphml"], None, 0),
        (["lint", "-"], "Hi! Quick question: can we hop on a 15 min call this week?", 1),
        (["path", "--to", "nobody-of-that-name"], None, 2),
        (["no-such-command"], None, 2),
    ],
)
def test_the_command_exits_without_teardown_but_completely(
    team: Path, args: list[str], stdin: str | None, code: int
) -> None:
    """``warmintro`` skips the interpreter's teardown: same exit status and output as
    the command itself gives, every byte of a large output through a pipe, and the exit
    handlers run."""
    done = subprocess.run(
        [sys.executable, "-c", RUN_COMMAND, "--data-dir", str(team), "--workspace", "t", *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    expected = runner.invoke(app, ["--data-dir", str(team), "--workspace", "t", *args], input=stdin)
    assert done.returncode == expected.exit_code == code, done.stderr
    assert done.stdout == expected.stdout
    assert done.stderr.endswith("exit handlers ran\n")
    if args[0] == "export":
        assert len(done.stdout) > 100_000  # more than a pipe holds
