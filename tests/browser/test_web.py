"""The path explorer page in a real browser: Debian's Chromium driven by Playwright.

The app is served by uvicorn on a loopback port over the demo workspace (four
members' generated LinkedIn exports imported through the real loader, nothing
else), signed in with the demo's member key. Screenshots go to
``artifacts/`` as test artifacts. Playwright's own browser download is never
used: the tests launch ``/usr/bin/chromium`` (``make browser`` installs it).
"""

from __future__ import annotations

import asyncio
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
from playwright.async_api import Browser, Page, Route, ViewportSize

from api.app import create_app
from api.web import GRAPHIQL_FILES, WEB_HANDLERS, missing_vendor_files, page_html
from services.demo import DemoTarget
from services.runtime import Services
from services.settings import Settings

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts"
VIEWPORT = ViewportSize(width=1400, height=900)
PHONE = ViewportSize(width=390, height=844)
TIMEOUT_MS = 15_000


@dataclass(frozen=True)
class Site:
    url: str
    key: str  # the demo member's key
    member: str
    admin_key: str
    targets: tuple[DemoTarget, ...]

    def target(self, case: str) -> DemoTarget:
        return next(t for t in self.targets if t.case == case)

    @property
    def teammates_contact(self) -> DemoTarget:
        return self.target("a teammate's contact")

    @property
    def direct_contact(self) -> DemoTarget:
        return self.target("someone you already know")

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
    services = Services.build(settings)
    admin_key = services.appdb.create_key(demo.workspace, None)
    asyncio.run(services.close())
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
        yield Site(f"http://127.0.0.1:{port}", demo.key, demo.member_name, admin_key, demo.targets)
    finally:
        server.should_exit = True
        thread.join(timeout=10)


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


async def sign_in(tab: Tab, site: Site, key: str = "") -> None:
    page = tab.page
    await page.goto(site.url + "/")
    await page.get_by_label("API key").fill(key or site.key)
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


PATH = (
    "found probability hops requester { id name } people { id name company position }"
    " steps { from to strength sources inferred }"
)


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


async def screenshot(tab: Tab, name: str, *, at: str = "") -> Path:
    """The whole page, or (``at``: a selector) one screenful starting at that element."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / name
    if at:
        await tab.page.locator(at).evaluate("el => el.scrollIntoView({block: 'start'})")
    await tab.page.screenshot(path=str(path), full_page=not at)
    return path


# -- the flow --------------------------------------------------------------------------
async def test_plan_choose_introducer_draft_and_record(tab: Tab, site: Site) -> None:
    """A member plans to a teammate's contact: the teammate is named, asked and recorded."""
    page = tab.page
    await sign_in(tab, site)
    name = site.teammates_contact.name
    await plan_to(tab, name)
    wanted = target_id(site, name)
    paths, introducers = expected_plan(site, wanted)
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
    assert nodes[target["id"]]["label"] == "\n".join(
        [target["name"], target["position"], target["company"]]
    )
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

    # The ranked introducers, as the API ranks them; the teammate whose export holds the
    # target comes first, and the page says whose network the route runs through.
    names = await page.locator("#introducer-list > li strong").all_text_contents()
    assert names == [i["person"]["name"] for i in introducers]
    teammate = introducers[0]["person"]["name"]
    assert teammate in site.teammates_contact.note
    first_name = teammate.split()[0]
    assert f"via {first_name}'s network" in await text_of(page, "#introducer-list > li .via")
    # Every step of the best path carries a badge naming its sources.
    badges = await first.locator(".badges").all_text_contents()
    assert len(badges) == best["hops"]
    assert f"{first_name}'s network" in badges[-1]
    assert "your network" in badges[0]  # the member's own export shows the tie to the teammate
    assert "%" in await text_of(page, "#path-list > li .tie")

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
    assert chosen["name"] == teammate
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
    if asked_for["id"] != wanted:
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
        if e["node"]["introducer"]["id"] == chosen["id"] and e["node"]["target"]["id"] == wanted
    ]
    assert len(recorded) == 1  # the request records the real target, whatever the path length
    assert recorded[0]["status"] == "ASKED"
    # People read names; the request's id is kept for tools only.
    status = await text_of(page, "#record-status")
    assert f"you asked {chosen['name']} for an introduction to {name}" in status
    assert recorded[0]["id"] not in status
    assert await page.get_attribute("#record-status", "data-request-id") == recorded[0]["id"]

    shot = await screenshot(tab, "web-path-explorer.png")
    assert shot.stat().st_size > 10_000
    assert not tab.console_errors


async def test_a_longer_route_asks_for_the_first_step_and_records_the_real_target(
    tab: Tab, site: Site
) -> None:
    """Issue 16: over three hops the draft asks the introducer about the next person, names
    the real target as the reason, and the recorded request keeps that target."""
    page = tab.page
    await sign_in(tab, site)
    name = site.teammates_contact.name
    await plan_to(tab, name)
    wanted = target_id(site, name)
    _, introducers = expected_plan(site, wanted)
    longer = [i for i in introducers if i["path"]["hops"] > 2]
    assert longer, "the demo's teammate contact has a route longer than two hops"
    route = longer[0]
    introducer, next_hop = route["person"], route["path"]["people"][2]
    await page.get_by_role(
        "button", name=f"Draft an introduction request via {introducer['name']}"
    ).click()
    await page.wait_for_selector("#draft-body:not([hidden]), #draft-status.error")
    assert await page.locator("#draft-body").is_visible(), await text_of(page, "#draft-status")
    ask = await text_of(page, "#draft-ask")
    assert ask.startswith(f"Hi {introducer['name'].split()[0]},")
    assert name in ask  # the real target is named
    assert f"{next_hop['name'].split()[0]} is connected to {name.split()[0]}" in ask
    assert "the person I'd most like to learn from" not in ask
    assert (await text_of(page, "#draft-blurb")).startswith(f"Hi {next_hop['name'].split()[0]},")
    status = await text_of(page, "#draft-status")
    assert f"introduction to {next_hop['name']}, on the way to {name}" in status
    await page.get_by_role("button", name="Mark as asked").click()
    await page.wait_for_selector("#record-status.ok, #record-status.error")
    assert "error" not in (await page.get_attribute("#record-status", "class") or ""), (
        await text_of(page, "#record-status")
    )
    data = site.graphql("{ introRequests { edges { node { introducer { id } target { id } } } } }")
    pairs = {
        (e["node"]["introducer"]["id"], e["node"]["target"]["id"])
        for e in data["introRequests"]["edges"]
    }
    assert (introducer["id"], wanted) in pairs
    assert (introducer["id"], next_hop["id"]) not in pairs
    await screenshot(tab, "web-longer-route.png", at="#draft-panel")
    assert not tab.console_errors


async def test_the_default_goal_reads_naturally_for_a_student(tab: Tab, site: Site) -> None:
    """The page's prefilled goal for a student names no 'work of X's Masters Student'."""
    page = tab.page
    await sign_in(tab, site)
    goal = await page.evaluate(
        """() => window.warmintro.defaultGoal({name: 'Tom Reed', company: 'Syracuse University',
                                               position: 'Masters Student | TA'})"""
    )
    assert goal == "learn what studying at Syracuse University is like"


async def test_a_direct_contact_says_you_know_them_with_the_warmer_route(
    tab: Tab, site: Site
) -> None:
    page = tab.page
    await sign_in(tab, site)
    name = site.direct_contact.name
    await plan_to(tab, name)
    ravi = target_id(site, name)
    data = site.graphql(
        """query($to: String!) { introducers(to: $to, limit: 5) { ... on IntroducerList {
             direct { requester { id name } person { id name } strength evidence sources }
             introducers { person { id name } pathProbability } } } }""",
        to=ravi,
    )["introducers"]
    direct, warmer = data["direct"], data["introducers"]
    assert direct is not None and warmer, data

    # "You know them", with the direct tie's strength (as a percentage) and its evidence.
    card = page.locator("#direct-card")
    assert await card.is_visible()
    assert await text_of(page, "#direct-heading") == "You know them"
    tie = await text_of(page, "#direct-tie")
    assert f"{round(direct['strength'] * 100)}%" in tie
    assert "your network" in tie  # the member's own export holds the tie
    shown = await card.locator("#direct-evidence li").all_text_contents()
    assert shown == direct["evidence"]
    # The warmer routes, as the API ranks them: only routes that beat the direct tie.
    assert await text_of(page, "#introducers-heading") == "Warmer routes"
    names = await page.locator("#introducer-list > li strong").all_text_contents()
    assert names == [i["person"]["name"] for i in warmer]
    # The teammate who knows them well is among them (an earlier test's ask may have
    # tired them, so not necessarily first).
    assert any(n in site.direct_contact.note for n in names), names
    # The graph draws the direct tie too (bowed, beside the best path).
    direct_edges = await page.evaluate(
        "() => window.warmintro.pathGraph().edges('.direct')"
        ".map(e => [e.data('source'), e.data('target')])"
    )
    assert direct_edges == [[direct["requester"]["id"], ravi]]

    # The draft panel offers the direct note and the intro request as the alternative.
    await page.get_by_role("button", name=f"Write to {name.split()[0]} directly").click()
    await page.wait_for_selector("#draft-body:not([hidden]), #draft-status.error")
    assert await page.locator("#draft-body").is_visible(), await text_of(page, "#draft-status")
    assert await text_of(page, "#draft-title") == "Draft note"
    ask = await text_of(page, "#draft-ask")
    assert ask.startswith(f"Hi {name.split()[0]}")
    assert not await page.locator("#draft-blurb-block").is_visible()
    assert not await page.get_by_role("button", name="Mark as asked").is_visible()
    alternative = page.locator("#draft-alt")
    assert await alternative.is_visible()
    heading = await text_of(page, "#alt-heading")
    teammate = next(n for n in names if n in heading)
    assert (await text_of(page, "#alt-ask")).startswith(f"Hi {teammate.split()[0]}")
    assert "%" in await text_of(page, "#alt-why")
    await screenshot(tab, "web-direct-contact.png")

    # Taking the warmer route turns the panel into the intro request through the teammate.
    await page.get_by_role("button", name=f"Use the route through {teammate.split()[0]}").click()
    await page.wait_for_selector("#draft-status.ok")
    await page.wait_for_function(
        "() => document.querySelector('#draft-title').textContent === 'Draft request'"
    )
    await page.wait_for_selector("#draft-alt[hidden]", state="attached")
    assert (await text_of(page, "#draft-ask")).startswith(f"Hi {teammate.split()[0]}")
    assert await page.get_by_role("button", name="Mark as asked").is_visible()
    assert not tab.console_errors


async def test_someone_in_nobodys_data_is_reached_through_their_company(
    tab: Tab, site: Site
) -> None:
    page = tab.page
    await sign_in(tab, site)
    outside = site.target("an inferred colleague")
    box = page.get_by_role("combobox", name="Who do you want to meet?")
    await box.fill(outside.name)
    await page.get_by_role("button", name="Find paths").click()
    # Nobody matches: the page says so and opens the company fields.
    await page.wait_for_selector("#path-status.error")
    assert "give their company" in await text_of(page, "#path-status")
    assert await page.get_by_label("Their company").is_visible()
    await page.get_by_label("Their company").fill(outside.company)
    await page.get_by_label("Their title (optional)").fill(outside.title)
    await page.get_by_role("button", name="Find paths").click()
    await page.wait_for_selector("#path-status.ok")
    assert "nobody's data" in await text_of(page, "#path-status")
    bridge = outside.note.split("; ")[1].split(" works at")[0]
    names = await page.locator("#introducer-list > li strong").all_text_contents()
    assert names[0] == bridge
    # The inferred last tie: a badge, a dashed edge, and a tooltip saying what it rests on.
    first = page.locator("#path-list > li").first
    assert "inferred" in (await first.locator(".badges").all_text_contents())[-1]
    edge = await page.evaluate(
        """() => {
          const e = window.warmintro.pathGraph().edges('[?inferred]')[0];
          return {style: e.style('line-style'), evidence: e.data('evidence'),
                  mid: e.renderedMidpoint()};
        }"""
    )
    assert edge["style"] == "dashed"
    assert any(outside.name in line and "inferred" in line for line in edge["evidence"])
    graph = await page.locator("#graph").bounding_box()
    assert graph is not None
    await page.mouse.move(graph["x"] + edge["mid"]["x"], graph["y"] + edge["mid"]["y"])
    tip = page.locator("#edge-tip")
    await tip.wait_for(state="visible")
    assert "Inferred, not observed" in (await tip.text_content() or "")
    await screenshot(tab, "web-outside-target.png")
    # No draft can be grounded for someone in nobody's data: the page says what to do.
    await page.get_by_role("button", name=f"Draft an introduction request via {bridge}").click()
    status = await text_of(page, "#draft-status")
    assert f"Ask {bridge} yourself" in status
    assert not await page.locator("#draft-body").is_visible()

    # A role nobody holds, at the company the team knows best: no name at all.
    role = site.target("someone outside the data")
    await box.fill("")
    await page.get_by_label("Their company").fill(role.company)
    await page.get_by_label("Their title (optional)").fill(role.title)
    await page.get_by_role("button", name="Find paths").click()
    await page.wait_for_function(
        "(c) => document.querySelector('#path-status').textContent.includes(c)",
        arg=role.company,
    )
    assert await page.locator("#introducer-list > li strong").count() >= 1
    assert not tab.console_errors


async def test_an_admin_sees_which_teammate_a_path_starts_from(tab: Tab, site: Site) -> None:
    page = tab.page
    await sign_in(tab, site, site.admin_key)
    assert await text_of(page, "#legend-requester") == "starting member"
    name = site.teammates_contact.name
    teammate = site.teammates_contact.note.split("ask ")[-1]
    await plan_to(tab, name)
    # A team query starts from the member who knows them: named, never "you".
    heading = await text_of(page, "#direct-heading")
    assert heading.endswith("(your teammate) knows them"), heading
    assert heading.split()[0] == teammate
    assert "You know them" not in await text_of(page, "#path-status")
    first = page.locator("#path-list > li").first
    assert "(your teammate)" in await text_of(page, "#path-list > li .from")
    assert "your network" not in " ".join(await first.locator(".badges").all_text_contents())
    await screenshot(tab, "web-admin-view.png")
    assert not tab.console_errors


async def test_reach_view_lists_people_at_a_company(tab: Tab, site: Site) -> None:
    page = tab.page
    await sign_in(tab, site)
    await page.get_by_role("tab", name="Who can we reach at…").click()
    assert (
        await page.get_by_role("tab", name="Who can we reach at…").get_attribute("aria-selected")
        == "true"
    )
    company = site.target("someone outside the data").company
    await page.get_by_label("Company", exact=True).fill(company)
    await page.get_by_label("Title contains (optional)").fill("Head of")
    await page.get_by_role("button", name="Who can we reach?").click()
    await page.wait_for_selector("#reach-status.ok")
    rows = page.locator("#reach-rows > tr")
    assert await rows.count() >= 1
    people = await rows.locator("td:first-child").all_text_contents()
    assert all(company.casefold() in p.casefold() and "Head of" in p for p in people)
    # Every row says whose network reaches the person.
    vias = await rows.locator("td:nth-child(2) .sub").all_text_contents()
    assert all("network" in v for v in vias), vias
    drawn = await page.evaluate(
        "() => window.warmintro.reachGraph().nodes('[role = \"target\"]').map(n => n.data('name'))"
    )
    first_row = people[0]
    assert any(first_row.startswith(n) for n in drawn)
    await screenshot(tab, "web-reach.png")
    # "Plan intro" hands the person to the path view.
    await rows.first.get_by_role("button", name=f"Plan an introduction to {drawn[0]}").click()
    await page.wait_for_selector("#path-status.ok")
    assert not await page.locator("#view-path").get_attribute("hidden")
    assert not tab.console_errors


async def test_the_page_requests_nothing_outside_its_origin(tab: Tab, site: Site) -> None:
    page = tab.page
    await sign_in(tab, site)
    await plan_to(tab, site.teammates_contact.name)
    await page.get_by_role("tab", name="Who can we reach at…").click()
    await page.get_by_label("Company", exact=True).fill(
        site.target("someone outside the data").company
    )
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
    await plan_to(tab, site.direct_contact.name)
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


# -- issue 18: any screen, counts that match, errors that clear ------------------------------
@pytest.fixture
async def phone(browser: Browser, site: Site) -> AsyncIterator[Tab]:
    context = await browser.new_context(
        viewport=PHONE, device_scale_factor=1, is_mobile=True, has_touch=True
    )
    page = await context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    out = Tab(page, [], [])
    page.on("pageerror", lambda err: out.console_errors.append(str(err)))
    try:
        yield out
    finally:
        await context.close()


async def inside_viewport(page: Page, selector: str) -> bool:
    box = await page.locator(selector).bounding_box()
    return box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]


async def test_the_page_works_on_a_phone(phone: Tab, site: Site) -> None:
    page = phone.page
    await page.goto(site.url + "/")
    # Nothing wider than the screen; the key box and the button are on it.
    assert await page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]
    assert await inside_viewport(page, "#api-key")
    assert await inside_viewport(page, "#key-save")
    await sign_in(phone, site)
    name = site.teammates_contact.name
    await plan_to(phone, name)
    assert await page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]
    for selector in ("#graph", "#path-list", "#introducer-list", "#find-button"):
        assert await inside_viewport(page, selector), selector
    # Names only on the graph at this size, large enough to read once fitted.
    label = await page.evaluate(
        """() => { const n = window.warmintro.pathGraph().nodes('[role = "target"]')[0];
                   return {label: n.style('label'), px: parseFloat(n.style('font-size'))
                           * window.warmintro.pathGraph().zoom()}; }"""
    )
    assert label["label"] == name
    assert label["px"] >= 9
    # The teammate whose export holds the target (a two-hop route; drafting for longer
    # routes is the lead's change in progress).
    teammate = site.teammates_contact.note.split("ask ")[-1]
    names = await page.locator("#introducer-list > li strong").all_text_contents()
    via = next(n for n in names if n.split()[0] == teammate)
    await page.get_by_role("button", name=f"Draft an introduction request via {via}").click()
    await page.wait_for_selector("#draft-body:not([hidden]), #draft-status.error")
    assert await page.locator("#draft-body").is_visible(), await text_of(page, "#draft-status")
    assert await inside_viewport(page, "#draft-ask")
    assert await page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]
    await screenshot(phone, "web-phone-path.png")
    for part in ("body", "#graph", "#path-list", "#introducers-heading", "#draft-panel"):
        await screenshot(phone, f"web-phone-path-{part.strip('#')}.png", at=part)
    await page.get_by_role("tab", name="Who can we reach at…").click()
    await page.get_by_label("Company", exact=True).fill(
        site.target("someone outside the data").company
    )
    await page.get_by_role("button", name="Who can we reach?").click()
    await page.wait_for_selector("#reach-status.ok")
    assert await page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]
    assert await inside_viewport(page, "#reach-rows > tr:first-child button")
    await screenshot(phone, "web-phone-reach.png")
    for part in ("main", "#reach-table-heading"):
        await screenshot(phone, f"web-phone-reach-{part.strip('#')}.png", at=part)
    assert not phone.console_errors


async def test_the_sign_in_message_goes_once_signed_in(tab: Tab, site: Site) -> None:
    page = tab.page
    await page.goto(site.url + "/")
    await page.get_by_role("combobox", name="Who do you want to meet?").fill("Noor")
    await page.get_by_role("button", name="Find paths").click()
    await page.wait_for_selector("#path-status.error")
    assert "Sign in" in await text_of(page, "#path-status")
    await page.get_by_label("API key").fill(site.key)
    await page.get_by_role("button", name="Sign in").click()
    await page.wait_for_selector("#key-status.ok")
    assert await text_of(page, "#path-status") == ""


async def test_a_broad_name_says_more_match_than_are_listed(tab: Tab, site: Site) -> None:
    page = tab.page
    await sign_in(tab, site)
    company = site.target("someone outside the data").company
    box = page.get_by_role("combobox", name="Who do you want to meet?")
    await box.fill(company)
    await page.get_by_role("button", name="Find paths").click()
    await page.wait_for_selector("#path-status.error")
    status = await text_of(page, "#path-status")
    listed = page.locator("#target-options [role=option]")
    await listed.first.wait_for()
    await page.wait_for_timeout(300)  # the list must stay open after the button took focus
    assert await page.locator("#target-options").is_visible()
    shown = await listed.count()
    total = site.graphql(
        "query($t: String!) { searchPeople(text: $t, first: 100) {"
        " ... on PersonConnection { edges { node { id } } } } }",
        t=company,
    )["searchPeople"]["edges"]
    assert len(total) > shown
    assert status.startswith(f"More than {shown} people match"), status


async def test_reach_counts_match_the_rows_and_an_empty_search_clears_them(
    tab: Tab, site: Site
) -> None:
    page = tab.page
    await sign_in(tab, site)
    await page.get_by_role("tab", name="Who can we reach at…").click()
    await page.get_by_label("Company", exact=True).fill(
        site.target("someone outside the data").company
    )
    await page.get_by_role("button", name="Who can we reach?").click()
    await page.wait_for_selector("#reach-status.ok")
    rows = page.locator("#reach-rows > tr")
    more = page.get_by_role("button", name="Load more")
    assert await more.is_visible(), "the demo team reaches more than a page of people there"
    first_page = await rows.count()
    assert f"The warmest {first_page} people" in await text_of(page, "#reach-status")
    assert f"({first_page} shown)" in await text_of(page, "#reach-table-heading")
    while await more.is_visible():
        before = await rows.count()
        await more.click()
        await page.wait_for_function(
            "(n) => document.querySelectorAll('#reach-rows > tr').length > n", arg=before
        )
        await page.wait_for_selector("#reach-status.ok")
    total = await rows.count()
    assert total > first_page
    assert await text_of(page, "#reach-status") == (
        f"{total} people reachable (at {site.target('someone outside the data').company}),"
        " warmest first."
    )
    assert f"({total} shown)" in await text_of(page, "#reach-table-heading")
    # An empty search says what to give and leaves no stale table or graph behind.
    await page.get_by_label("Company", exact=True).fill("")
    await page.get_by_role("button", name="Who can we reach?").click()
    await page.wait_for_selector("#reach-status.error")
    assert await rows.count() == 0
    assert not await more.is_visible()
    assert await page.evaluate("() => window.warmintro.reachGraph()") is None


# -- accessibility (issue 18): axe-core from npm, injected from web/node_modules ------------
AXE = Path(__file__).resolve().parents[2] / "web" / "node_modules" / "axe-core" / "axe.min.js"


async def axe_violations(page: Page) -> list[dict[str, Any]]:
    """axe-core's serious and critical violations on the page as it stands."""
    assert AXE.is_file(), f"{AXE} is missing: run scripts/vendor_web.sh (npm ci in web/)"
    # Served as if from the app's origin, so the page's own CSP (script-src 'self') holds.
    origin = "{0.scheme}://{0.netloc}".format(urlsplit(page.url))
    await page.route(
        origin + "/__test__/axe.min.js",
        lambda route: route.fulfill(path=str(AXE), content_type="text/javascript"),
    )
    await page.add_script_tag(url=origin + "/__test__/axe.min.js")
    result: dict[str, Any] = await page.evaluate(
        """async () => await axe.run(document, {
             runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']},
             resultTypes: ['violations'] })"""
    )
    return [
        {
            "id": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "nodes": [n["target"] for n in v["nodes"]][:5],
        }
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


async def test_the_page_passes_an_automated_accessibility_check(
    tab: Tab, phone: Tab, site: Site
) -> None:
    """Labels, names, contrast and structure (WCAG 2.1 A/AA rules axe can check), on the
    signed-out page, a planned path with a draft (desktop) and the reach view (phone)."""
    page = tab.page
    await page.goto(site.url + "/")
    assert await axe_violations(page) == []
    await sign_in(tab, site)
    await plan_to(tab, site.teammates_contact.name)
    await page.locator("#introducer-list > li button").first.click()
    await page.wait_for_selector("#draft-body:not([hidden]), #draft-status.error")
    assert await axe_violations(page) == []
    await sign_in(phone, site)
    await phone.page.get_by_role("tab", name="Who can we reach at…").click()
    await phone.page.locator("#reach-company").fill(site.target("someone outside the data").company)
    await phone.page.locator("#reach-button").click()
    await phone.page.wait_for_selector("#reach-status.ok")
    assert await axe_violations(phone.page) == []


OVERLAPS = """(which) => {
  const cy = which === 'reach' ? window.warmintro.reachGraph() : window.warmintro.pathGraph();
  const boxes = cy.nodes().map(n => ({id: n.id(),
    b: n.renderedBoundingBox({includeLabels: true, includeNodes: true, includeOverlays: false})}));
  const hits = [];
  for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
    const a = boxes[i].b, b = boxes[j].b;
    const w = Math.min(a.x2, b.x2) - Math.max(a.x1, b.x1), h = Math.min(a.y2, b.y2) - Math.max(a.y1, b.y1);
    if (w > 2 && h > 2) hits.push([boxes[i].id, boxes[j].id, Math.round(w), Math.round(h)]);
  }
  return {n: boxes.length, hits};
}"""


async def test_graph_labels_do_not_overlap(tab: Tab, phone: Tab, site: Site) -> None:
    """Readable graphs (issue 18): no two people's labels overlap, on the path graph
    (desktop and phone) and the reach graph (desktop)."""
    for t in (tab, phone):
        await sign_in(t, site)
        await plan_to(t, site.teammates_contact.name)
        found = await t.page.evaluate(OVERLAPS, "path")
        assert found["n"] >= 3 and found["hits"] == [], found
    page = tab.page
    await page.get_by_role("tab", name="Who can we reach at…").click()
    await page.locator("#reach-company").fill(site.target("someone outside the data").company)
    await page.locator("#reach-button").click()
    await page.wait_for_selector("#reach-status.ok")
    found = await page.evaluate(OVERLAPS, "reach")
    assert found["n"] >= 5 and found["hits"] == [], found
