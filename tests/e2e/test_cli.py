"""The CLI contract of docs/concepts.md: --json shapes and exit statuses."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli.main import app

runner = CliRunner()


def cli(data: Path, *args: str, stdin: str | None = None) -> tuple[int, str]:
    result = runner.invoke(app, ["--data-dir", str(data), *args], input=stdin)
    return result.exit_code, result.stdout


@pytest.fixture
def data(tmp_path: Path) -> Path:
    edges = tmp_path / "ties.csv"
    edges.write_text(
        "source,target,strength,context\n"
        "me,ana,0.9,college\n"
        "ana,bo,0.8,colleagues\n"
        "bo,cy,0.7,\n"
        "me,dee,0.4,\n"
        "dee,cy,0.3,\n"
        "x,y,0.5,\n"
    )
    people = tmp_path / "people.csv"
    people.write_text(
        "id,name,company,position,email,url\n"
        "me,Me,Self,,me@example.com,\n"
        "ana,Ana Ames,Globex,Engineer,,https://www.linkedin.com/in/ana-ames\n"
        "bo,Bo Brandt,Acme,Director,,\n"
        "cy,Cy Chen,Acme,Head of Payments,cy@acme.test,\n"
    )
    code, out = cli(
        tmp_path / "d", "import", "edges", str(edges), "--people", str(people), "--json"
    )
    assert code == 0, out
    report = json.loads(out)
    assert (report["people"], report["relationships"]) == (7, 6)
    return tmp_path / "d"


def test_path_json_matches_the_contract(data: Path) -> None:
    code, out = cli(data, "path", "ME@example.com", "linkedin.com/in/Ana-Ames/", "--json")
    assert code == 0
    doc = json.loads(out)
    assert doc["found"] is True
    assert doc["hops"] == 1
    assert [p["id"] for p in doc["people"]] == ["me", "ana"]
    assert set(doc["people"][0]) == {"id", "name", "company", "position", "url"}
    code, out = cli(data, "path", "me", "cy", "--json")
    doc = json.loads(out)
    assert [p["id"] for p in doc["people"]] == ["me", "ana", "bo", "cy"]
    assert doc["probability"] == pytest.approx(0.9 * 0.8 * 0.7)
    step = doc["steps"][0]
    assert (step["from"], step["to"], step["strength"]) == ("me", "ana", pytest.approx(0.9))
    assert "rated 0.90" in step["evidence"][0]
    assert "context: college" in step["evidence"]


def test_k_paths_and_avoid(data: Path) -> None:
    code, out = cli(data, "path", "me", "cy", "--k", "2", "--json")
    assert code == 0
    paths = json.loads(out)["paths"]
    assert [p["people"][1]["id"] for p in paths] == ["ana", "dee"]
    code, out = cli(data, "path", "me", "cy", "--avoid", "ana", "--json")
    assert [p["id"] for p in json.loads(out)["people"]] == ["me", "dee", "cy"]


def test_no_path_exits_3_with_a_reason(data: Path) -> None:
    code, out = cli(data, "path", "me", "x", "--json")
    assert code == 3
    assert json.loads(out) == {
        "found": False,
        "reason": "disconnected",
        "message": json.loads(out)["message"],
    }
    code, out = cli(data, "path", "me", "cy", "--max-hops", "1", "--json")
    assert code == 3
    assert json.loads(out)["reason"] == "beyond_hop_limit"
    code, out = cli(data, "path", "me", "cy", "--min-strength", "0.95", "--json")
    assert (code, json.loads(out)["reason"]) == (3, "blocked")


def test_unknown_person_and_bad_usage_exit_2(data: Path) -> None:
    code, out = cli(data, "path", "me", "ghost@example.com", "--json")
    assert code == 2
    assert json.loads(out)["error"] == "PersonNotFound"
    code, _ = cli(data, "path", "me", "cy", "--max-hops", "9")
    assert code == 2


def test_introducers_reach_stats(data: Path) -> None:
    code, out = cli(data, "introducers", "cy", "--from", "me", "--json")
    assert code == 0
    intros = json.loads(out)["introducers"]
    assert [i["person"]["id"] for i in intros] == ["ana", "dee"]
    assert intros[0]["score"] >= intros[1]["score"]
    code, out = cli(data, "reach", "--company", "acme", "--from", "me", "--json")
    assert [p["people"][-1]["id"] for p in json.loads(out)["reach"]] == ["bo", "cy"]
    code, out = cli(data, "stats", "--json")
    assert json.loads(out) == {
        "people": 7,
        "relationships": 6,
        "interactions": 0,
        "members": 0,
        "merges": 0,
    }


def test_bad_edge_row_exits_2_naming_file_line_field_and_writes_nothing(
    data: Path, tmp_path: Path
) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("source,target,strength\nme,zed,0.5\nzed,zoe,1.7\n")
    result = runner.invoke(app, ["--data-dir", str(data), "import", "edges", str(bad)])
    assert result.exit_code == 2
    assert "bad.csv:3" in result.stderr
    assert "strength" in result.stderr
    _, out = cli(data, "stats", "--json")
    assert json.loads(out)["relationships"] == 6  # nothing from the bad file landed


def test_reimport_changes_nothing(data: Path, tmp_path: Path) -> None:
    before = cli(data, "stats", "--json")[1]
    code, _ = cli(
        data,
        "import",
        "edges",
        str(tmp_path / "ties.csv"),
        "--people",
        str(tmp_path / "people.csv"),
    )
    assert code == 0
    assert cli(data, "stats", "--json")[1] == before


def test_erase(data: Path) -> None:
    code, out = cli(data, "erase", "bo", "--yes", "--json")
    assert code == 0
    assert json.loads(out)["relationships"] == 2
    code, _ = cli(data, "path", "me", "bo")
    assert code == 2


def test_lint_exit_status(tmp_path: Path) -> None:
    code, out = cli(
        tmp_path,
        "lint",
        "-",
        "--json",
        stdin="Sorry to bother you, but would you like to invest in our startup?",
    )
    assert code == 1
    assert {"apologetic-opener", "big-ask-of-stranger"} <= {
        f["rule"] for f in json.loads(out)["findings"]
    }
    good = "Hi Ana, would you be open to introducing me to Bo? I'm working on payment retries and his talk on them helped. No worries if not."
    code, _ = cli(tmp_path, "lint", "-", stdin=good)
    assert code == 0
