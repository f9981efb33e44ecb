"""The path explorer page in a real browser: Debian's Chromium driven by Playwright.

The app is served by uvicorn on a loopback port over the demo workspace (the
generated LinkedIn exports imported through the real loaders). Screenshots go to
``artifacts/`` as test artifacts. Playwright's own browser download is never
used: the tests launch ``/usr/bin/chromium`` (``make browser`` installs it).
"""

from __future__ import annotations

import asyncio
import os
import shutil
import socket
import threading
import time
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest
import uvicorn
from playwright.async_api import Browser, Page, Route, ViewportSize, async_playwright

from api.app import create_app
from api.web import GRAPHIQL_FILES, WEB_HANDLERS, missing_vendor_files, page_html
from services.settings import Settings

pytestmark = pytest.mark.browser

CHROMIUM = Path(os.environ.get("WARMINTRO_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts"
VIEWPORT = ViewportSize(width=1280, height=900)
TIMEOUT_MS = 15_000
TARGET_NAME = "Dana Whitfield"  # the demo's Head of Payments at Acme, three hops away


@dataclass(frozen=True)
class Site:
    url: str
    key: str
    member: str

    def graphql(self, query: str, **variables: Any) -> dict[str, Any]:
        response = httpx.post(
            f"{self.url}/graphql",
            json={"query": query, "variables": variables},
            headers={"Authorization": f"Bearer {self.key}"},
            timeout=30,
        )
        response.raise_for_status()
        body: dict[str, Any] = response.json()
        assert not body.get("errors"), body
        data: dict[str, Any] = body["data"]
        return data


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """The demo workspace served on loopback, with the page's routes."""
    from services.demo import build_demo

    if missing_vendor_files() or missing_vendor_files(names=GRAPHIQL_FILES):
        pytest.fail("api/static/vendor/ is incomplete: run scripts/vendor_web.sh (make install)")
    data = tmp_path_factory.mktemp("web-data")
    settings = Settings(
        data_dir=data, rate_limit_per_minute=0, environment="production", graphiql=True
    )
    demo = asyncio.run(build_demo(settings))
    app = create_app(settings.model_copy(update={"workspace": demo.workspace}))
    if not any(route.path == "/" for route in app.routes):
        for handler in WEB_HANDLERS:  # until api/app.py lists WEB_HANDLERS itself
            app.register(handler)
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the test server did not start")
        time.sleep(0.02)
    try:
        yield Site(f"http://127.0.0.1:{port}", demo.key, demo.member_name)
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@pytest.fixture(scope="module")
def chromium() -> Path:
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: run `make browser` (scripts/ensure_chromium.sh)")
    return CHROMIUM


@pytest.fixture(scope="module")
async def browser(chromium: Path) -> AsyncIterator[Browser]:
    async with async_playwright() as p:
        launched = await p.chromium.launch(
            executable_path=str(chromium), headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield launched
        finally:
            await launched.close()


@dataclass
class Tab:
    """A browser page plus everything it requested and complained about."""

    page: Page
    requests: list[str]
    console_errors: list[str]


@pytest.fixture
async def tab(browser: Browser, site: Site) -> AsyncIterator[Tab]:
    context = await browser.new_context(viewport=VIEWPORT, service_workers="block")
    page = await context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    out = Tab(page, [], [])
    page.on("request", lambda request: out.requests.append(request.url))
    page.on(
        "console",
        lambda msg: out.console_errors.append(msg.text) if msg.type == "error" else None,
    )
    page.on("pageerror", lambda err: out.console_errors.append(str(err)))
    try:
        yield out
    finally:
        await context.close()


def outside_origin(tab: Tab, site: Site) -> list[str]:
    """Requests the page made to anywhere but the app (data: and blob: URLs are local)."""
    origin = urlsplit(site.url)
    return [
        url
        for url in tab.requests
        if urlsplit(url).scheme not in {"data", "blob"}
        and (urlsplit(url).scheme, urlsplit(url).netloc) != (origin.scheme, origin.netloc)
    ]


async def sign_in(tab: Tab, site: Site) -> None:
    page = tab.page
    await page.goto(site.url + "/")
    await page.get_by_label("API key").fill(site.key)
    await page.get_by_role("button", name="Sign in").click()
    await page.wait_for_selector("#key-status.ok")
    assert "Signed in" in await text_of(page, "#key-status")


async def plan_to(tab: Tab, name: str) -> None:
    """Type part of a name, pick the match with the keyboard, wait for the paths."""
    page = tab.page
    box = page.get_by_role("combobox", name="Who do you want to meet?")
    await box.click()
    await box.press_sequentially(name[:8], delay=20)
    option = page.get_by_role("option").filter(has_text=name)
    await option.first.wait_for()
    options = await page.get_by_role("option").all_text_contents()
    index = next(i for i, text in enumerate(options) if name in text)
    for _ in range(index + 1):
        await box.press("ArrowDown")
    assert await box.get_attribute("aria-activedescendant") == f"target-option-{index}"
    await box.press("Enter")
    await page.wait_for_selector("#path-status.ok")


PATH = "found probability hops people { id name } steps { from to strength }"


def expected_plan(site: Site, target: str) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """What the page should show, straight from the API."""
    data = site.graphql(
        f"""query($to: String!) {{
          alternativePaths(to: $to, k: 3) {{ __typename ... on PathList {{ paths {{ {PATH} }} }} }}
          introducers(to: $to, limit: 5) {{
            __typename ... on IntroducerList {{
              introducers {{ person {{ id name }} path {{ {PATH} }} }}
            }}
          }}
        }}""",
        to=target,
    )
    assert data["alternativePaths"]["__typename"] == "PathList"
    return data["alternativePaths"]["paths"], data["introducers"]["introducers"]


def target_id(site: Site, name: str) -> str:
    data = site.graphql(
        "query($t: String!) { searchPeople(text: $t, first: 5) {"
        " ... on PersonConnection { edges { node { id name } } } } }",
        t=name,
    )
    ids = [e["node"]["id"] for e in data["searchPeople"]["edges"] if e["node"]["name"] == name]
    assert len(ids) == 1, ids
    return str(ids[0])


def has_field(site: Site, type_name: str, field: str) -> bool:
    data = site.graphql("query($n: String!) { __type(name: $n) { fields { name } } }", n=type_name)
    return field in {f["name"] for f in (data["__type"] or {}).get("fields") or []}


async def text_of(page: Page, selector: str) -> str:
    return await page.text_content(selector) or ""


async def screenshot(tab: Tab, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / name
    await tab.page.screenshot(path=str(path), full_page=True)
    return path


# -- the flow --------------------------------------------------------------------------
async def test_plan_choose_introducer_draft_and_record(tab: Tab, site: Site) -> None:
    page = tab.page
    await sign_in(tab, site)
    await plan_to(tab, TARGET_NAME)
    dana = target_id(site, TARGET_NAME)
    paths, introducers = expected_plan(site, dana)
    best = paths[0]

    # The graph holds exactly the people and ties of the planned paths...
    model = await page.evaluate(
        """() => {
          const cy = window.warmintro.pathGraph();
          return {
            nodes: cy.nodes().map(n => ({id: n.id(), label: n.data('label'), role: n.data('role'),
                                         x: n.position('x')})),
            edges: cy.edges().map(e => ({source: e.data('source'), target: e.data('target'),
                                         strength: e.data('strength'), paths: e.data('paths'),
                                         width: parseFloat(e.style('width'))})),
          };
        }"""
    )
    want_nodes = {p["id"] for path in paths for p in path["people"]}
    assert {n["id"] for n in model["nodes"]} == want_nodes
    want_edges = {frozenset((s["from"], s["to"])) for path in paths for s in path["steps"]}
    assert {frozenset((e["source"], e["target"])) for e in model["edges"]} == want_edges
    nodes = {n["id"]: n for n in model["nodes"]}
    # ...requester on the left, target on the right, labels with name, position, company...
    requester, target = best["people"][0], best["people"][-1]
    assert requester["name"] == site.member
    assert nodes[requester["id"]]["role"] == "requester"
    assert nodes[target["id"]]["role"] == "target"
    xs = [n["x"] for n in model["nodes"]]
    assert nodes[requester["id"]]["x"] == min(xs)
    assert nodes[target["id"]]["x"] == max(xs)
    assert nodes[target["id"]]["label"] == "Dana Whitfield\nHead of Payments\nAcme"
    # ...and ties drawn wider the stronger they are.
    best_edges = [e for e in model["edges"] if 1 in e["paths"]]
    assert len(best_edges) == best["hops"]
    by_strength = sorted(model["edges"], key=lambda e: e["strength"])
    assert by_strength[0]["width"] <= by_strength[-1]["width"]

    # The visible list shows the best path's people in order.
    first = page.locator("#path-list > li").first
    shown = await first.locator(".person").evaluate_all(
        "els => els.map(e => e.firstChild.textContent)"
    )
    assert shown == [p["name"] for p in best["people"]]
    assert await page.locator("#path-list > li").count() == len(paths)

    # Evidence on click (the panel) and for keyboard users (arrow keys on the graph).
    await page.locator("#graph").focus()
    await page.keyboard.press("ArrowRight")
    evidence = await text_of(page, "#evidence")
    assert "strength" in evidence
    assert best["people"][0]["name"] in evidence

    # The ranked introducers, as the API ranks them.
    names = await page.locator("#introducer-list > li strong").all_text_contents()
    assert names == [i["person"]["name"] for i in introducers]

    # Choose the first introducer: its path is highlighted and a draft appears.
    chosen = introducers[0]["person"]
    await page.get_by_role(
        "button", name=f"Draft an introduction request via {chosen['name']}"
    ).click()
    assert (
        await page.locator("#introducer-list > li.chosen button").get_attribute("aria-pressed")
        == "true"
    )
    highlighted = await page.evaluate(
        "() => window.warmintro.pathGraph().nodes('.chosen').map(n => n.id())"
    )
    assert chosen["id"] in highlighted
    assert has_field(site, "Query", "draftIntroRequest")
    await page.wait_for_selector("#draft-body:not([hidden]), #draft-status.error")
    assert await page.locator("#draft-body").is_visible(), await text_of(page, "#draft-status")
    ask = await text_of(page, "#draft-ask")
    blurb = await text_of(page, "#draft-blurb")
    assert ask.strip()
    assert blurb.strip()
    assert chosen["name"].split()[0] in ask  # addressed to the introducer
    # A draft goes to someone the introducer knows: the target, or the next person on the path.
    steps = introducers[0]["path"]["people"]
    asked_for = steps[2] if len(steps) > 3 else steps[-1]
    if asked_for["id"] != dana:
        assert asked_for["name"] in await text_of(page, "#draft-note")
    assert asked_for["name"] in await text_of(page, "#draft-status")
    assert await page.locator("#lint-findings > li").count() >= 1
    assert await page.get_by_role("button", name="Copy the ask").is_visible()

    # Record it as asked, then check the API has it.
    await page.get_by_role("button", name="Mark as asked").click()
    await page.wait_for_selector("#record-status.ok, #record-status.error")
    assert "error" not in (await page.get_attribute("#record-status", "class") or ""), (
        await text_of(page, "#record-status")
    )
    data = site.graphql(
        "{ introRequests(status: ASKED) { edges { node {"
        " id status introducer { id } target { id } } } } }"
    )
    recorded = [
        e["node"]
        for e in data["introRequests"]["edges"]
        if e["node"]["introducer"]["id"] == chosen["id"]
        and e["node"]["target"]["id"] == asked_for["id"]
    ]
    assert len(recorded) == 1
    assert recorded[0]["status"] == "ASKED"
    assert recorded[0]["id"] in await text_of(page, "#record-status")

    shot = await screenshot(tab, "web-path-explorer.png")
    assert shot.stat().st_size > 10_000
    assert not tab.console_errors


async def test_reach_view_lists_people_at_a_company(tab: Tab, site: Site) -> None:
    page = tab.page
    await sign_in(tab, site)
    await page.get_by_role("tab", name="Who can we reach at…").click()
    assert (
        await page.get_by_role("tab", name="Who can we reach at…").get_attribute("aria-selected")
        == "true"
    )
    await page.get_by_label("Company").fill("Acme")
    await page.get_by_label("Title contains (optional)").fill("Head of")
    await page.get_by_role("button", name="Who can we reach?").click()
    await page.wait_for_selector("#reach-status.ok")
    rows = page.locator("#reach-rows > tr")
    assert await rows.count() >= 1
    people = await rows.locator("td:first-child").all_text_contents()
    assert any(TARGET_NAME in p for p in people)
    assert all("Acme" in p and "Head of" in p for p in people)
    drawn = await page.evaluate(
        "() => window.warmintro.reachGraph().nodes('[role = \"target\"]').map(n => n.data('name'))"
    )
    assert TARGET_NAME in drawn
    await screenshot(tab, "web-reach.png")
    # "Plan intro" hands the person to the path view.
    await page.get_by_role("button", name=f"Plan an introduction to {TARGET_NAME}").click()
    await page.wait_for_selector("#path-status.ok")
    assert not await page.locator("#view-path").get_attribute("hidden")
    assert not tab.console_errors


async def test_the_page_requests_nothing_outside_its_origin(tab: Tab, site: Site) -> None:
    page = tab.page
    await sign_in(tab, site)
    await plan_to(tab, TARGET_NAME)
    await page.get_by_role("tab", name="Who can we reach at…").click()
    await page.get_by_label("Company").fill("Acme")
    await page.get_by_role("button", name="Who can we reach?").click()
    await page.wait_for_selector("#reach-status.ok")
    assert tab.requests, "the page made no requests at all?"
    assert outside_origin(tab, site) == []
    assert any(url.endswith("/static/vendor/cytoscape.min.js") for url in tab.requests)
    # The Content-Security-Policy would have blocked (and reported) any outside load.
    assert not [e for e in tab.console_errors if "Content Security Policy" in e]


async def test_graphiql_runs_a_query_from_this_origin_only(tab: Tab, site: Site) -> None:
    page = tab.page
    await sign_in(tab, site)  # the key in this tab's sessionStorage reaches GraphiQL's headers
    await page.goto(site.url + "/graphql")
    await page.wait_for_selector(".graphiql-container")
    headers = await page.evaluate(
        "() => [...document.querySelectorAll('.graphiql-editor-tool .CodeMirror')]"
        ".map(el => el.CodeMirror.getValue()).join('\\n')"
    )
    assert f"Bearer {site.key}" in headers
    await page.get_by_role("button", name="Execute query (Ctrl-Enter)").click()
    result = page.locator(".result-window")
    await result.get_by_text('"relationships"').wait_for()
    stats = site.graphql("{ networkStats { people relationships } }")["networkStats"]
    assert f'"people": {stats["people"]}' in (await result.text_content() or "")
    assert outside_origin(tab, site) == []
    assert any(url.endswith("/static/vendor/graphiql.min.js") for url in tab.requests)
    assert not tab.console_errors
    await screenshot(tab, "graphiql.png")


async def test_controls_are_labelled_and_fit_a_laptop_screen(tab: Tab, site: Site) -> None:
    page = tab.page
    await page.goto(site.url + "/")
    unlabelled = await page.evaluate(
        """() => [...document.querySelectorAll('input, select, textarea, button')]
              .filter(el => !(el.labels && el.labels.length) && !el.getAttribute('aria-label')
                            && !el.textContent.trim())
              .map(el => el.id || el.outerHTML)"""
    )
    assert unlabelled == []
    width = await page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= VIEWPORT["width"]
    # Keyboard: Tab reaches the key field first (after the skip link).
    await page.keyboard.press("Tab")
    await page.keyboard.press("Tab")
    assert await page.evaluate("() => document.activeElement.id") == "api-key"


async def test_a_missing_graph_library_shows_a_clear_message(tab: Tab, site: Site) -> None:
    page = tab.page

    async def refuse(route: Route) -> None:
        await route.abort()

    await page.route("**/static/vendor/cytoscape.min.js", refuse)
    await sign_in(tab, site)
    notice = page.locator("#client-notice")
    assert await notice.is_visible()
    assert "graph library" in (await notice.text_content() or "")
    # The paths are still listed as text.
    await plan_to(tab, TARGET_NAME)
    assert await page.locator("#path-list > li").count() >= 1


def test_the_server_names_a_missing_vendored_file(tmp_path: Path) -> None:
    static = tmp_path / "static"
    shutil.copytree(Path(__file__).resolve().parents[2] / "api" / "static", static)
    shutil.rmtree(static / "vendor", ignore_errors=True)
    assert missing_vendor_files(static) == ["vendor/cytoscape.min.js"]
    html = page_html(static)
    assert 'role="alert"' in html
    assert "api/static/vendor/cytoscape.min.js" in html
    assert "scripts/vendor_web.sh" in html


def test_page_and_assets_are_served_without_a_key(site: Site) -> None:
    index = httpx.get(site.url + "/", timeout=10)
    assert index.status_code == 200
    assert "default-src 'self'" in index.headers["content-security-policy"]
    assert 'id="vendor-notice"' not in index.text
    for asset in ("app.js", "app.css", "vendor/cytoscape.min.js", *GRAPHIQL_FILES):
        assert httpx.get(f"{site.url}/static/{asset}", timeout=10).status_code == 200
    shell = httpx.get(site.url + "/graphql", headers={"Accept": "text/html"}, timeout=10)
    assert shell.status_code == 200
    assert "/static/vendor/graphiql.min.js" in shell.text
    assert "font-src 'self' data:" in shell.headers["content-security-policy"]
    query = httpx.get(site.url + "/graphql", params={"query": "{ networkStats { people } }"})
    assert query.status_code == 401
    assert (
        httpx.post(site.url + "/graphql", json={"query": "{ networkStats { people } }"}).status_code
        == 401
    )
