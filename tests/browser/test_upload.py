"""The page's upload control (api/static/upload.js) in Debian's Chromium: a mailbox goes up
as a background import, the page shows progress and then the report; a broken calendar
shows the located error."""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
import uvicorn
from playwright.async_api import Browser, expect

from api.app import create_app
from api.web import missing_vendor_files
from services.appdb import AppDB
from services.settings import Settings
from tests.e2e.http_server import free_port
from tests.personal_files import Mbox

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    if missing_vendor_files():
        pytest.fail("api/static/vendor/ is incomplete: run scripts/vendor_web.sh (make install)")
    data = tmp_path_factory.mktemp("upload-data")
    db = AppDB(data / "app.db")
    db.create_workspace("main")
    key = db.create_key("main", None)
    db.close()
    settings = Settings(data_dir=data, rate_limit_per_minute=0, workspace="main")
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(
            create_app(settings), host="127.0.0.1", port=port, log_level="warning", lifespan="on"
        )
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the test server did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}", key
    finally:
        server.should_exit = True
        thread.join(timeout=10)


async def test_upload_a_mailbox_and_a_broken_calendar(
    browser: Browser, site: tuple[str, str], tmp_path: Path
) -> None:
    url, key = site
    now = datetime.now(UTC)
    box = Mbox()
    for k in range(3):
        first = box.send(
            "Maya <maya@team.example>", ["Dana <dana@acme.example>"], now, thread=f"{k}"
        )
        box.send("Dana <dana@acme.example>", ["maya@team.example"], now, reply_to=first)
    mbox = box.write(tmp_path / "All mail.mbox")
    broken = tmp_path / "broken.ics"
    broken.write_bytes(b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\n")
    context = await browser.new_context()
    page = await context.new_page()
    page.set_default_timeout(15_000)
    errors: list[str] = []
    page.on("pageerror", lambda err: errors.append(str(err)))
    await page.goto(url + "/")
    await page.get_by_label("API key").fill(key)
    await page.get_by_role("button", name="Sign in").click()
    await page.get_by_text("Add your email, calendar or address book").click()
    await page.get_by_label("Kind").select_option("mbox")
    await page.get_by_label("File").set_input_files(str(mbox))
    await page.get_by_label("Whose data").fill("maya@team.example")
    await page.get_by_role("button", name="Upload").click()
    status = page.locator("#upload-status")
    await expect(status).to_have_text(re.compile(r"^Imported"))
    assert "All mail.mbox" in (await status.text_content() or "")
    report = await page.locator("#upload-report li").all_text_contents()
    assert report[0].startswith("2 people, 1 relationships, 6 interactions")
    await page.get_by_label("Kind").select_option("calendar")
    await page.get_by_label("File").set_input_files(str(broken))
    await page.get_by_role("button", name="Upload").click()
    await expect(status).to_have_text(re.compile(r"^Nothing"))
    report = await page.locator("#upload-report li").all_text_contents()
    assert "broken.ics:" in report[-1]
    assert errors == []
    await context.close()
