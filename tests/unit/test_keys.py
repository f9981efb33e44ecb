"""API keys: a revoked key fails at once for every process sharing the data dir."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph.errors import InvalidInput
from services.appdb import AppDB


def test_revocation_is_seen_by_another_connection_at_once(tmp_path: Path) -> None:
    worker_a, worker_b = AppDB(tmp_path / "app.db"), AppDB(tmp_path / "app.db")
    try:
        worker_a.create_workspace("team")
        key = worker_a.create_key("team", "li:maya")
        other = worker_a.create_key("team", None)
        assert worker_b.authenticate(key) is not None
        assert worker_b.revoke_key("team", key[:10]) == 1
        assert worker_a.authenticate(key) is None
        assert worker_b.authenticate(key) is None
        assert worker_a.authenticate(other) is not None
        listed = {k.prefix: k.revoked_at for k in worker_a.keys("team")}
        assert listed[key[:10]] is not None and listed[other[:10]] is None
        assert worker_a.revoke_key("team", key[:10]) == 0  # already revoked
        with pytest.raises(InvalidInput):
            worker_a.revoke_key("team", "wi_")  # too short to name one key
        assert worker_a.revoke_key("elsewhere", other[:10]) == 0  # other workspaces' keys
    finally:
        worker_a.close()
        worker_b.close()
