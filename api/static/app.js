// warmintro path explorer: plain browser JavaScript, no build step.
// Talks only to this origin's /graphql with the key typed in (kept in sessionStorage).
// Every piece of data reaches the DOM through textContent, never innerHTML.
(() => {
  "use strict";

  const KEY_STORAGE = "warmintro.apiKey";
  const REACH_DRAWN = 10; // more rows than this stop being readable at a laptop's width
  const COLORS = {
    requester: "#1a56db",
    introducer: "#1a7f37",
    target: "#b42318",
    intermediary: "#6b7280",
    best: "#2f4f86",
    alternative: "#8a9bb8",
    chosen: "#1a7f37",
  };
  const $ = (id) => document.getElementById(id);
  const state = {
    key: "",
    target: null, // {id, name, company, position, url}
    paths: [], // Path objects, best first
    introducers: [],
    chosen: null, // the chosen introducer
    draft: null,
    asked: new Map(), // "introducer->target" -> recorded request id, this session
    goalTouched: false,
    options: [], // autocomplete matches
    active: -1, // highlighted option
    reach: { company: "", title: "", after: null, paths: [] },
  };
  let pathCy = null;
  let reachCy = null;

  // -- small helpers -------------------------------------------------------------------
  function el(tag, props = {}, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(props)) {
      if (value === undefined || value === null || value === false) continue;
      if (name === "class") node.className = value;
      else if (name === "text") node.textContent = value;
      else if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
      else node.setAttribute(name, value === true ? "" : String(value));
    }
    for (const child of children.flat()) {
      if (child === null || child === undefined || child === false) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }
  const pct = (p) => (p >= 0.995 ? "100%" : p < 0.01 ? "<1%" : `${Math.round(p * 100)}%`);
  const role = (p) => [p.position, p.company].filter(Boolean).join(", ");
  function setStatus(id, text, kind = "") {
    const node = $(id);
    node.textContent = text;
    node.className = `status ${kind}`.trim();
  }
  function debounce(fn, ms) {
    let timer = 0;
    return (...args) => {
      clearTimeout(timer);
      timer = setTimeout(() => fn(...args), ms);
    };
  }

  // -- GraphQL -------------------------------------------------------------------------
  class ApiError extends Error {}

  async function gql(query, variables = {}) {
    if (!state.key) throw new ApiError("Sign in with your API key first.");
    let res;
    try {
      res = await fetch("/graphql", {
        method: "POST",
        headers: { "Content-Type": "application/json", Authorization: `Bearer ${state.key}` },
        body: JSON.stringify({ query, variables }),
      });
    } catch (err) {
      throw new ApiError("The server cannot be reached.");
    }
    if (res.status === 401) {
      forgetKey();
      setKeyStatus("The API key was not accepted. Paste a valid key.", "error");
      throw new ApiError("The API key was not accepted.");
    }
    if (res.status === 429) throw new ApiError("Too many requests: wait a few seconds and retry.");
    let body;
    try {
      body = await res.json();
    } catch (err) {
      throw new ApiError(`The server answered ${res.status}.`);
    }
    if (body.errors && body.errors.length) {
      throw new ApiError(body.errors.map((e) => e.message).join("; "));
    }
    if (!res.ok || !body.data) throw new ApiError(body.error || `The server answered ${res.status}.`);
    return body.data;
  }

  // Union members other than the success type carry a message.
  function problem(result, okType) {
    if (!result) return "No answer.";
    if (result.__typename === okType) return null;
    if (result.__typename === "NoPath") return `No path: ${result.message}`;
    if (result.__typename === "AmbiguousPerson") {
      return `${result.message}. Pick the person from the suggestions instead.`;
    }
    return result.message || result.__typename;
  }

  const PATH_FIELDS = `found probability hops
    people { id name company position url }
    steps { from to strength evidence }`;
  const PROBLEMS = "... on PersonNotFound { message } ... on AmbiguousPerson { message } ... on InvalidInput { message }";

  const Q_SEARCH = `query Search($text: String!, $first: Int!) {
    searchPeople(text: $text, first: $first) {
      __typename
      ... on PersonConnection { edges { node { id name company position url } } }
      ... on InvalidInput { message }
    }
  }`;
  const Q_PLAN = `query Plan($to: String!, $k: Int!, $maxHops: Int!) {
    alternativePaths(to: $to, k: $k, maxHops: $maxHops) {
      __typename
      ... on PathList { paths { ${PATH_FIELDS} } }
      ... on NoPath { message reason }
      ${PROBLEMS}
    }
    introducers(to: $to, limit: 5) {
      __typename
      ... on IntroducerList {
        introducers { person { id name company position url } score pathProbability reasons path { ${PATH_FIELDS} } }
      }
      ${PROBLEMS}
    }
  }`;
  const LINT = "clean findings { rule severity excerpt explanation suggestion }";
  const Q_DRAFT = `query Draft($to: String!, $via: String!, $goal: String!) {
    draftIntroRequest(to: $to, via: $via, goal: $goal) {
      __typename
      ... on Draft {
        subject ask blurb
        followUp { afterDays text policy }
        sentences { sentence evidence }
        introducer { id name } target { id name }
        lint { ${LINT} }
        blurbLint { ${LINT} }
      }
      ... on NoPath { message }
      ${PROBLEMS}
    }
  }`;
  const REQUEST_RESULT = `__typename
      ... on IntroRequest { id status }
      ${PROBLEMS}
      ... on Forbidden { message }
      ... on NotFound { message }`;
  const M_CREATE = `mutation Record($to: String!, $via: String!, $goal: String!, $draft: String!) {
    createIntroRequest(to: $to, via: $via, goal: $goal, draft: $draft) { ${REQUEST_RESULT} }
  }`;
  const M_ASKED = `mutation Asked($id: ID!) {
    updateIntroRequest(id: $id, status: ASKED) { ${REQUEST_RESULT} }
  }`;
  const Q_REACH = `query Reach($company: String, $title: String, $first: Int!, $after: String) {
    reach(company: $company, title: $title, first: $first, after: $after) {
      __typename
      ... on ReachConnection { edges { node { ${PATH_FIELDS} } } pageInfo { hasNextPage endCursor } }
      ${PROBLEMS}
    }
  }`;

  // -- API key -------------------------------------------------------------------------
  function setKeyStatus(text, kind = "") {
    const node = $("key-status");
    node.textContent = text;
    node.className = `key-status ${kind}`.trim();
  }
  function forgetKey() {
    state.key = "";
    sessionStorage.removeItem(KEY_STORAGE);
    $("key-forget").hidden = true;
    $("key-save").hidden = false;
    $("api-key").value = "";
  }
  async function signIn(key) {
    state.key = key.trim();
    if (!state.key) {
      setKeyStatus("Paste an API key first.", "error");
      return;
    }
    setKeyStatus("Checking the key…");
    try {
      const data = await gql("{ networkStats { people relationships members } }");
      const s = data.networkStats;
      sessionStorage.setItem(KEY_STORAGE, state.key);
      $("key-forget").hidden = false;
      $("key-save").hidden = true;
      setKeyStatus(`Signed in: ${s.people} people, ${s.relationships} ties.`, "ok");
      $("target-input").focus();
    } catch (err) {
      if (state.key) forgetKey();
      setKeyStatus(err.message, "error");
    }
  }

  // -- autocomplete --------------------------------------------------------------------
  const input = $("target-input");
  const listbox = $("target-options");

  function closeOptions() {
    listbox.hidden = true;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
    state.active = -1;
  }
  function highlight(index) {
    const items = listbox.querySelectorAll("[role=option]");
    if (!items.length) return;
    state.active = (index + items.length) % items.length;
    items.forEach((item, i) => item.setAttribute("aria-selected", String(i === state.active)));
    const current = items[state.active];
    input.setAttribute("aria-activedescendant", current.id);
    current.scrollIntoView({ block: "nearest" });
  }
  function showOptions(people, emptyText) {
    state.options = people;
    listbox.replaceChildren();
    if (!people.length) {
      listbox.append(el("li", { class: "muted", "aria-disabled": "true", text: emptyText }));
    }
    people.forEach((p, i) => {
      listbox.append(
        el(
          "li",
          {
            id: `target-option-${i}`,
            role: "option",
            "aria-selected": "false",
            onmousedown: (e) => e.preventDefault(), // keep focus in the input
            onclick: () => choose(p),
          },
          el("span", { text: p.name }),
          el("span", { class: "sub", text: role(p) || p.url || p.id }),
        ),
      );
    });
    listbox.hidden = false;
    input.setAttribute("aria-expanded", "true");
    state.active = -1;
  }
  async function searchPeople(text, first = 8) {
    const data = await gql(Q_SEARCH, { text, first });
    const result = data.searchPeople;
    const err = problem(result, "PersonConnection");
    if (err) throw new ApiError(err);
    return result.edges.map((e) => e.node);
  }
  const suggest = debounce(async () => {
    const text = input.value.trim();
    if (text.length < 2 || !state.key) {
      closeOptions();
      return;
    }
    try {
      const people = await searchPeople(text);
      if (input.value.trim() === text) showOptions(people, `Nobody matches “${text}”.`);
    } catch (err) {
      setStatus("path-status", err.message, "error");
    }
  }, 180);

  function choose(person) {
    closeOptions();
    input.value = person.name;
    state.target = person;
    plan();
  }

  input.addEventListener("input", () => {
    state.target = null;
    suggest();
  });
  input.addEventListener("keydown", (e) => {
    const open = !listbox.hidden && state.options.length;
    if (e.key === "ArrowDown") {
      e.preventDefault();
      if (!open) suggest();
      else highlight(state.active + 1);
    } else if (e.key === "ArrowUp" && open) {
      e.preventDefault();
      highlight(state.active - 1);
    } else if (e.key === "Enter" && open && state.active >= 0) {
      e.preventDefault();
      choose(state.options[state.active]);
    } else if (e.key === "Escape") {
      closeOptions();
    }
  });
  input.addEventListener("blur", () => setTimeout(closeOptions, 150));

  // -- planning ------------------------------------------------------------------------
  async function resolveTyped() {
    if (state.target && input.value.trim() === state.target.name) return state.target;
    const text = input.value.trim();
    if (!text) throw new ApiError("Type who you want to meet.");
    const people = await searchPeople(text, 5);
    if (people.length === 1) return people[0];
    if (!people.length) throw new ApiError(`Nobody in your network matches “${text}”.`);
    showOptions(people, "");
    throw new ApiError(`${people.length} people match “${text}”: choose one from the list.`);
  }

  async function plan() {
    let target;
    try {
      target = await resolveTyped();
    } catch (err) {
      setStatus("path-status", err.message, "error");
      return;
    }
    state.target = target;
    input.value = target.name;
    resetDraft();
    if (!state.goalTouched) $("goal-input").value = defaultGoal(target);
    const k = Number($("alt-count").value);
    const maxHops = Number($("max-hops").value);
    setStatus("path-status", `Finding the warmest paths to ${target.name}…`);
    $("find-button").disabled = true;
    try {
      const data = await gql(Q_PLAN, { to: target.id, k, maxHops });
      const pathsErr = problem(data.alternativePaths, "PathList");
      const introErr = problem(data.introducers, "IntroducerList");
      state.paths = pathsErr ? [] : data.alternativePaths.paths;
      state.introducers = introErr ? [] : data.introducers.introducers;
      renderPaths();
      renderIntroducers();
      if (pathsErr) setStatus("path-status", pathsErr, "error");
      else {
        const best = state.paths[0];
        setStatus(
          "path-status",
          `${state.paths.length} path(s) to ${target.name}; the best has a ${pct(best.probability)} chance over ${best.hops} hop(s).`,
          "ok",
        );
      }
    } catch (err) {
      setStatus("path-status", err.message, "error");
    } finally {
      $("find-button").disabled = false;
    }
  }

  // A prefill in the requester's voice ("learn how Acme approaches payments"); the
  // drafting engine wants the goal in the requester's own words, so it stays editable.
  function defaultGoal(target) {
    const area = /(?:head|vp|vice president|director|lead|manager)\s+(?:of\s+)?(.+)$/i.exec(
      target.position || "",
    );
    if (target.company && area) return `learn how ${target.company} approaches ${area[1].toLowerCase()}`;
    if (target.company && target.position) return `learn about the work of ${target.company}'s ${target.position}`;
    return `learn about ${target.name}'s work`;
  }

  // -- the graph -----------------------------------------------------------------------
  function roleOf(path, i) {
    if (i === 0) return "requester";
    if (i === path.people.length - 1) return "target";
    return i === 1 ? "introducer" : "intermediary";
  }
  const ROLE_ORDER = ["requester", "target", "introducer", "intermediary"];

  // Paths left to right with the requester at x=0.
  // "paths" (one target): the best path on the middle line, the others alternating above
  //   and below it, every path ending at the right edge.
  // "reach" (many targets): a tree; x is the hop count, each target gets its own row and
  //   everyone else sits level with the middle of the targets they lead to.
  function elementsFor(paths, mode) {
    const maxHops = Math.max(1, ...paths.map((p) => p.hops));
    const column = mode === "reach" ? 250 : 230;
    const width = column * maxHops;
    const rowGap = mode === "reach" ? 58 : 125;
    const nodes = new Map();
    const edges = new Map();
    const rows = new Map(); // reach: person id -> rows of the targets they lead to
    paths.forEach((path, rank) => {
      const offset = rank === 0 ? 0 : Math.ceil(rank / 2) * (rank % 2 ? -1 : 1);
      const last = path.people.length - 1;
      path.people.forEach((person, i) => {
        const r = roleOf(path, i);
        if (!rows.has(person.id)) rows.set(person.id, []);
        rows.get(person.id).push(rank);
        const existing = nodes.get(person.id);
        if (existing) {
          existing.data.paths.push(rank + 1);
          if (ROLE_ORDER.indexOf(r) < ROLE_ORDER.indexOf(existing.data.role)) existing.data.role = r;
          return;
        }
        const onMiddle = i === 0 || (i === last && rank === 0);
        const lines = mode === "reach" && i === last
          ? [person.name, person.position]
          : [person.name, person.position, person.company];
        nodes.set(person.id, {
          group: "nodes",
          data: {
            id: person.id,
            label: lines.filter(Boolean).join("\n"),
            name: person.name,
            company: person.company,
            position: person.position,
            url: person.url,
            role: r,
            paths: [rank + 1],
          },
          classes: mode === "reach" && i === last ? "leaf" : "",
          position: {
            x: mode === "reach" ? i * column : last ? (i / last) * width : 0,
            y: onMiddle ? 0 : offset * rowGap,
          },
        });
      });
      path.steps.forEach((step) => {
        const id = [step.from, step.to].sort().join("--");
        const existing = edges.get(id);
        if (existing) {
          existing.data.paths.push(rank + 1);
          return;
        }
        edges.set(id, {
          group: "edges",
          data: {
            id,
            source: step.from,
            target: step.to,
            strength: step.strength,
            label: step.strength.toFixed(2),
            evidence: step.evidence,
            paths: [rank + 1],
          },
          classes: rank === 0 ? "best" : "alternative",
        });
      });
    });
    if (mode === "reach") {
      // A target keeps its own row and depth, even when it is also on someone else's path.
      const leaves = new Map();
      paths.forEach((path, rank) => {
        const last = path.people[path.people.length - 1];
        if (!leaves.has(last.id)) leaves.set(last.id, { row: rank, depth: path.people.length - 1 });
      });
      for (const node of nodes.values()) {
        const leaf = leaves.get(node.data.id);
        if (leaf) {
          node.position = { x: leaf.depth * column, y: leaf.row * rowGap };
          node.classes = "leaf";
        } else {
          const r = rows.get(node.data.id);
          node.position.y = (r.reduce((a, b) => a + b, 0) / r.length) * rowGap;
        }
      }
    }
    return [...nodes.values(), ...edges.values()];
  }

  const STYLE = [
    {
      selector: "node",
      style: {
        width: 22,
        height: 22,
        "background-color": (n) => COLORS[n.data("role")] || COLORS.intermediary,
        "border-width": 2,
        "border-color": "#ffffff",
        label: "data(label)",
        "text-wrap": "wrap",
        "text-max-width": 170,
        "text-valign": "bottom",
        "text-margin-y": 6,
        "font-size": 13,
        "line-height": 1.25,
        color: "#1d2430",
        "text-background-color": "#fcfcfb",
        "text-background-opacity": 0.85,
        "text-background-padding": 2,
      },
    },
    { selector: "node[role = 'requester'], node[role = 'target']", style: { width: 30, height: 30 } },
    {
      selector: "edge",
      style: {
        "curve-style": "bezier",
        width: "mapData(strength, 0, 1, 1.5, 10)",
        opacity: "mapData(strength, 0, 1, 0.35, 1)",
        "line-color": COLORS.alternative,
        label: "data(label)",
        "font-size": 11,
        color: "#1d2430",
        "text-background-color": "#ffffff",
        "text-background-opacity": 1,
        "text-background-padding": 2,
        "text-rotation": "autorotate",
      },
    },
    {
      selector: "node.leaf",
      style: { "text-valign": "center", "text-halign": "right", "text-margin-x": 8, "text-margin-y": 0, "text-max-width": 220 },
    },
    { selector: "edge.best", style: { "line-color": COLORS.best } },
    { selector: "edge.chosen", style: { "line-color": COLORS.chosen, opacity: 1, "z-index": 10 } },
    { selector: "node.chosen", style: { "border-color": COLORS.chosen, "border-width": 4 } },
    { selector: ":selected", style: { "overlay-color": "#f59e0b", "overlay-opacity": 0.25, "overlay-padding": 6 } },
  ];

  function drawGraph(container, paths, existing, mode = "paths") {
    if (existing) existing.destroy();
    container.classList.toggle("empty", !paths.length);
    if (typeof window.cytoscape !== "function") {
      container.classList.add("empty");
      container.dataset.empty = "The graph library is not installed; the paths are listed as text.";
      return null;
    }
    if (!paths.length) {
      container.dataset.empty = "No paths to draw yet.";
      return null;
    }
    const cy = window.cytoscape({
      container,
      elements: elementsFor(paths, mode),
      style: STYLE,
      layout: { name: "preset", fit: true, padding: 50 },
      minZoom: 0.3,
      maxZoom: 1.6,
      wheelSensitivity: 0.2,
      boxSelectionEnabled: false,
      autoungrabify: false,
    });
    cy.fit(undefined, 50);
    if (cy.zoom() > 1.3) {
      cy.zoom(1.3);
      cy.center();
    }
    wireEvidence(cy, container);
    const names = paths.map((p) => p.people.map((x) => x.name).join(" → "));
    container.setAttribute(
      "aria-label",
      `Graph of ${paths.length} path(s): ${names.join("; ")}. Use the arrow keys to step through ties.`,
    );
    return cy;
  }

  function personName(cy, id) {
    const node = cy.getElementById(id);
    return node.nonempty() ? node.data("name") : id;
  }

  function evidenceView(cy, edge) {
    const d = edge.data();
    const lines = d.evidence && d.evidence.length ? d.evidence : ["no evidence lines recorded"];
    return [
      el(
        "p",
        {},
        el("strong", { text: `${personName(cy, d.source)} — ${personName(cy, d.target)}` }),
        ` · strength ${d.strength.toFixed(2)} · on path ${d.paths.map((n) => `#${n}`).join(", ")}`,
      ),
      el("ul", {}, lines.map((line) => el("li", { text: line }))),
    ];
  }

  function wireEvidence(cy, container) {
    const tip = container === $("graph") ? $("edge-tip") : null;
    const panel = container === $("graph") ? $("evidence") : null;
    cy.on("mouseover", "edge", (evt) => {
      if (!tip) return;
      tip.replaceChildren(...evidenceView(cy, evt.target));
      const p = evt.renderedPosition || evt.target.midpoint();
      tip.style.left = `${container.offsetLeft + p.x + 14}px`;
      tip.style.top = `${container.offsetTop + p.y + 14}px`;
      tip.hidden = false;
    });
    cy.on("mouseout", "edge", () => {
      if (tip) tip.hidden = true;
    });
    cy.on("tap", "edge", (evt) => {
      if (panel) panel.replaceChildren(...evidenceView(cy, evt.target));
    });
    cy.on("tap", "node", (evt) => {
      if (!panel) return;
      const d = evt.target.data();
      panel.replaceChildren(
        el("p", {}, el("strong", { text: d.name }), role(d) ? ` · ${role(d)}` : "", ` · ${d.role}`),
        d.url ? el("p", { class: "muted", text: d.url }) : "",
      );
    });
    // Keyboard: arrows step through the ties, best path first.
    let index = -1;
    container.onkeydown = (e) => {
      if (!["ArrowRight", "ArrowLeft", "ArrowDown", "ArrowUp"].includes(e.key)) return;
      e.preventDefault();
      const ties = cy.edges().sort((a, b) => a.data("paths")[0] - b.data("paths")[0]);
      if (!ties.length) return;
      const step = e.key === "ArrowRight" || e.key === "ArrowDown" ? 1 : -1;
      index = (index + step + ties.length) % ties.length;
      cy.elements().unselect();
      const edge = ties[index];
      edge.select();
      const view = evidenceView(cy, edge);
      if (panel) panel.replaceChildren(...view);
      else setStatus("reach-status", view[0].textContent);
    };
  }

  function renderPathList(list, paths) {
    list.replaceChildren();
    paths.forEach((path, rank) => {
      const chain = el("div", { class: "chain" });
      path.people.forEach((person, i) => {
        chain.append(
          el(
            "span",
            { class: "person", "data-person-id": person.id },
            person.name,
            role(person) ? el("span", { class: "role", text: ` (${role(person)})` }) : "",
          ),
        );
        if (i < path.steps.length) {
          chain.append(el("span", { class: "tie", text: ` —${path.steps[i].strength.toFixed(2)}→ ` }));
        }
      });
      const evidence = el(
        "details",
        {},
        el("summary", { text: "Evidence for each tie" }),
        el(
          "ul",
          {},
          path.steps.map((s, i) =>
            el(
              "li",
              {},
              `${path.people[i].name} — ${path.people[i + 1].name} (${s.strength.toFixed(2)}): `,
              s.evidence.length ? s.evidence.join("; ") : "no evidence lines",
            ),
          ),
        ),
      );
      list.append(
        el(
          "li",
          { "data-rank": rank + 1 },
          el("div", { class: "muted", text: `${rank === 0 ? "Best" : "Alternative"}: ${pct(path.probability)} chance, ${path.hops} hop(s)` }),
          chain,
          evidence,
        ),
      );
    });
  }

  function renderPaths() {
    $("graph-summary").textContent = state.target ? `to ${state.target.name}` : "";
    $("evidence").replaceChildren(
      el("p", { class: "muted", text: "Hover or click a tie to see the evidence behind its strength." }),
    );
    pathCy = drawGraph($("graph"), state.paths, pathCy);
    renderPathList($("path-list"), state.paths);
  }

  // -- introducers and drafts ----------------------------------------------------------
  function renderIntroducers() {
    const list = $("introducer-list");
    list.replaceChildren();
    if (!state.introducers.length) {
      list.append(el("li", { class: "muted", text: state.target ? "Nobody in your network can introduce you within the hop limit." : "Search for someone to see who can introduce you." }));
      return;
    }
    state.introducers.forEach((item, i) => {
      const p = item.person;
      list.append(
        el(
          "li",
          { "data-person-id": p.id },
          el(
            "div",
            { class: "who" },
            el("strong", { text: p.name }),
            el("span", { class: "score", title: "chance the introduction happens", text: pct(item.pathProbability) }),
          ),
          role(p) ? el("div", { class: "sub", text: role(p) }) : "",
          el("ul", {}, item.reasons.map((r) => el("li", { text: r }))),
          el("button", {
            type: "button",
            class: "choose",
            "aria-pressed": "false",
            "aria-label": `Draft an introduction request via ${p.name}`,
            text: `Ask ${p.name.split(" ")[0]} for an intro`,
            onclick: () => chooseIntroducer(i),
          }),
        ),
      );
    });
  }

  function highlightPath(path) {
    if (!pathCy) return;
    pathCy.elements().removeClass("chosen");
    const known = path.steps.every((s) => pathCy.getElementById([s.from, s.to].sort().join("--")).nonempty());
    if (!known) {
      state.paths = [...state.paths, path];
      renderPaths();
    }
    path.people.forEach((p) => pathCy.getElementById(p.id).addClass("chosen"));
    path.steps.forEach((s) => pathCy.getElementById([s.from, s.to].sort().join("--")).addClass("chosen"));
  }

  function resetDraft() {
    state.chosen = null;
    state.draft = null;
    $("draft-panel").hidden = true;
    $("draft-body").hidden = true;
    setStatus("draft-status", "");
    setStatus("record-status", "");
  }

  function chooseIntroducer(index) {
    state.chosen = state.introducers[index];
    document.querySelectorAll("#introducer-list > li").forEach((li, i) => {
      li.classList.toggle("chosen", i === index);
      const button = li.querySelector("button.choose");
      if (button) button.setAttribute("aria-pressed", String(i === index));
    });
    highlightPath(state.chosen.path);
    $("draft-panel").hidden = false;
    $("draft-who").textContent = `via ${state.chosen.person.name}`;
    fetchDraft(true);
  }

  async function fetchDraft(moveFocus = false) {
    const chosen = state.chosen;
    if (!chosen || !state.target) return;
    const goal = $("goal-input").value.trim();
    if (!goal) {
      setStatus("draft-status", "Say what you want to talk about first.", "error");
      $("goal-input").focus();
      return;
    }
    $("draft-body").hidden = true;
    setStatus("record-status", "");
    // A draft goes to an introducer who knows its target. When the chosen introducer is
    // further away, the first step is the next person on their path (double opt-in each hop).
    const path = chosen.path;
    const note = $("draft-note");
    if (path.hops < 2) {
      note.hidden = true;
      setStatus("draft-status", `You know ${state.target.name} directly: write to them yourself.`);
      return;
    }
    const stepTarget = path.hops === 2 ? state.target : path.people[2];
    if (stepTarget.id !== state.target.id) {
      const rest = path.people.slice(1).map((p) => p.name).join(" → ");
      note.textContent = `${chosen.person.name} does not know ${state.target.name} directly (${rest}). This draft asks ${chosen.person.name} for the first step: an introduction to ${stepTarget.name}${role(stepTarget) ? ` (${role(stepTarget)})` : ""}, who can take it from there.`;
      note.hidden = false;
    } else {
      note.hidden = true;
    }
    setStatus("draft-status", `Drafting a request to ${chosen.person.name}…`);
    try {
      const data = await gql(Q_DRAFT, { to: stepTarget.id, via: chosen.person.id, goal });
      const result = data.draftIntroRequest;
      const err = problem(result, "Draft");
      if (err) throw new ApiError(err);
      if (state.chosen !== chosen) return; // another introducer was chosen meanwhile
      state.draft = result;
      renderDraft(result);
      if (moveFocus) {
        $("draft-panel").scrollIntoView({ block: "start" });
        $("draft-heading").focus({ preventScroll: true });
      }
      setStatus("draft-status", `Draft to ${result.introducer.name}, asking for an introduction to ${result.target.name}.`, "ok");
    } catch (err) {
      setStatus("draft-status", err.message, "error");
    }
  }

  function renderDraft(draft) {
    $("draft-subject").textContent = draft.subject;
    $("draft-ask").textContent = draft.ask;
    $("draft-blurb").textContent = draft.blurb;
    const follow = draft.followUp || {};
    $("draft-followup").textContent = [follow.text, follow.policy].filter(Boolean).join("\n\n");
    const grounds = $("draft-grounds");
    grounds.replaceChildren(
      ...(draft.sentences || [])
        .filter((s) => s.evidence && s.evidence.length)
        .map((s) => el("li", {}, el("q", { text: s.sentence }), el("span", { class: "muted", text: ` — ${s.evidence.join("; ")}` }))),
    );
    $("draft-grounds-block").hidden = !grounds.children.length;
    const findings = $("lint-findings");
    findings.replaceChildren();
    const all = [
      ...draft.lint.findings.map((f) => ({ ...f, where: "ask" })),
      ...(draft.blurbLint ? draft.blurbLint.findings.map((f) => ({ ...f, where: "blurb" })) : []),
    ];
    if (!all.length) {
      findings.append(el("li", { class: "clean", text: "✓ No etiquette problems found in the ask or the blurb." }));
    }
    for (const f of all) {
      const sev = String(f.severity).toLowerCase();
      findings.append(
        el(
          "li",
          {},
          el("span", { class: `sev sev-${sev}`, text: `${sev} ` }),
          el("code", { text: f.rule }),
          ` in the ${f.where}`,
          f.excerpt ? [": ", el("q", { text: f.excerpt })] : "",
          ` — ${f.explanation}`,
          f.suggestion ? el("div", { class: "muted", text: `Try: ${f.suggestion}` }) : "",
        ),
      );
    }
    const mark = $("mark-asked");
    const asked = state.asked.get(pairKey(draft));
    mark.disabled = Boolean(asked);
    mark.textContent = asked ? "Asked ✓" : "Mark as asked";
    if (asked) setStatus("record-status", `Already recorded in this session (request ${asked}).`, "ok");
    $("draft-body").hidden = false;
  }

  const pairKey = (draft) => `${draft.introducer.id}->${draft.target.id}`;

  async function markAsked() {
    const chosen = state.chosen;
    if (!chosen || !state.draft || state.asked.has(pairKey(state.draft))) return;
    const mark = $("mark-asked");
    mark.disabled = true;
    setStatus("record-status", "Recording the request…");
    try {
      const goal = $("goal-input").value.trim();
      const draftText = `${state.draft.subject}\n\n${state.draft.ask}\n\n---\n${state.draft.blurb}`;
      const askedFor = state.draft.target;
      const created = await gql(M_CREATE, { to: askedFor.id, via: chosen.person.id, goal, draft: draftText });
      const request = created.createIntroRequest;
      const createErr = problem(request, "IntroRequest");
      if (createErr) throw new ApiError(`Could not record the request: ${createErr}`);
      const asked = await gql(M_ASKED, { id: request.id });
      const updated = asked.updateIntroRequest;
      const updateErr = problem(updated, "IntroRequest");
      if (updateErr) throw new ApiError(`Recorded, but not marked as asked: ${updateErr}`);
      state.asked.set(pairKey(state.draft), updated.id);
      mark.textContent = "Asked ✓";
      setStatus(
        "record-status",
        `Recorded: you asked ${chosen.person.name} for an introduction to ${askedFor.name} (request ${updated.id}, ${String(updated.status).toLowerCase()}). Follow up once, after a week, at most.`,
        "ok",
      );
    } catch (err) {
      mark.disabled = false;
      setStatus("record-status", err.message, "error");
    }
  }

  async function copyText(text, button) {
    try {
      await navigator.clipboard.writeText(text);
    } catch (err) {
      const area = el("textarea", { class: "visually-hidden", "aria-hidden": "true" });
      area.value = text;
      document.body.append(area);
      area.select();
      document.execCommand("copy");
      area.remove();
    }
    const label = button.textContent;
    button.textContent = "Copied";
    setStatus("draft-status", "Copied to the clipboard.", "ok");
    setTimeout(() => {
      button.textContent = label;
    }, 1500);
  }

  // -- reach ---------------------------------------------------------------------------
  async function runReach(more = false) {
    const company = $("reach-company").value.trim();
    const title = $("reach-title").value.trim();
    if (!more) {
      if (!company && !title) {
        setStatus("reach-status", "Give a company, a title or both.", "error");
        return;
      }
      state.reach = { company, title, after: null, paths: [] };
    }
    setStatus("reach-status", "Searching…");
    $("reach-button").disabled = true;
    try {
      const data = await gql(Q_REACH, {
        company: state.reach.company || null,
        title: state.reach.title || null,
        first: 20,
        after: state.reach.after,
      });
      const result = data.reach;
      const err = problem(result, "ReachConnection");
      if (err) throw new ApiError(err);
      state.reach.paths.push(...result.edges.map((e) => e.node));
      state.reach.after = result.pageInfo.endCursor;
      $("reach-more").hidden = !result.pageInfo.hasNextPage;
      renderReach();
      const where = [state.reach.title, state.reach.company].filter(Boolean).join(" at ");
      setStatus(
        "reach-status",
        state.reach.paths.length ? `${state.reach.paths.length} people reachable (${where}), warmest first.` : `Nobody reachable (${where}) within the hop limit.`,
        state.reach.paths.length ? "ok" : "",
      );
    } catch (err) {
      setStatus("reach-status", err.message, "error");
    } finally {
      $("reach-button").disabled = false;
    }
  }

  function renderReach() {
    const rows = $("reach-rows");
    rows.replaceChildren();
    state.reach.paths.forEach((path) => {
      const target = path.people[path.people.length - 1];
      const via = path.hops > 1 ? path.people[1].name : "you know them";
      rows.append(
        el(
          "tr",
          { "data-person-id": target.id },
          el("td", {}, target.name, el("span", { class: "sub", text: role(target) })),
          el("td", {}, via, el("span", { class: "sub", text: `${path.hops} hop(s)` })),
          el("td", { class: "num", text: pct(path.probability) }),
          el(
            "td",
            {},
            el("button", {
              type: "button",
              class: "secondary",
              "aria-label": `Plan an introduction to ${target.name}`,
              text: "Plan intro",
              onclick: () => {
                selectTab("path");
                choose(target);
              },
            }),
          ),
        ),
      );
    });
    reachCy = drawGraph($("reach-graph"), state.reach.paths.slice(0, REACH_DRAWN), reachCy, "reach");
    $("reach-graph-heading").textContent =
      state.reach.paths.length > REACH_DRAWN
        ? `Warmest paths (the first ${REACH_DRAWN} of ${state.reach.paths.length})`
        : "Warmest paths";
  }

  // -- tabs ----------------------------------------------------------------------------
  const tabs = { path: $("tab-path"), reach: $("tab-reach") };
  function selectTab(name) {
    for (const [key, tab] of Object.entries(tabs)) {
      const on = key === name;
      tab.setAttribute("aria-selected", String(on));
      tab.tabIndex = on ? 0 : -1;
      $(tab.getAttribute("aria-controls")).hidden = !on;
    }
    // Cytoscape measures its container; a hidden one measures zero.
    const cy = name === "path" ? pathCy : reachCy;
    if (cy) {
      cy.resize();
      cy.fit(undefined, 50);
    }
  }
  Object.entries(tabs).forEach(([name, tab]) => {
    tab.addEventListener("click", () => selectTab(name));
    tab.addEventListener("keydown", (e) => {
      if (e.key !== "ArrowRight" && e.key !== "ArrowLeft") return;
      const next = name === "path" ? "reach" : "path";
      selectTab(next);
      tabs[next].focus();
    });
  });

  // -- wiring --------------------------------------------------------------------------
  $("key-form").addEventListener("submit", (e) => {
    e.preventDefault();
    signIn($("api-key").value);
  });
  $("key-forget").addEventListener("click", () => {
    forgetKey();
    setKeyStatus("Signed out.");
  });
  $("search-form").addEventListener("submit", (e) => {
    e.preventDefault();
    closeOptions();
    plan();
  });
  $("goal-input").addEventListener("input", () => {
    state.goalTouched = true;
  });
  $("draft-form").addEventListener("submit", (e) => {
    e.preventDefault();
    fetchDraft(false);
  });
  $("mark-asked").addEventListener("click", markAsked);
  document.querySelectorAll("button.copy").forEach((button) => {
    button.addEventListener("click", () => copyText($(button.dataset.copy).textContent, button));
  });
  $("reach-form").addEventListener("submit", (e) => {
    e.preventDefault();
    runReach(false);
  });
  $("reach-more").addEventListener("click", () => runReach(true));

  if (typeof window.cytoscape !== "function" && !$("vendor-notice")) {
    const notice = $("client-notice");
    notice.textContent =
      "The graph library (/static/vendor/cytoscape.min.js) did not load. Run scripts/vendor_web.sh (make install) on the server and reload; paths are still listed as text.";
    notice.hidden = false;
  }
  $("graph").classList.add("empty");
  $("graph").dataset.empty = "Search for someone to draw the paths to them.";
  $("reach-graph").classList.add("empty");
  $("reach-graph").dataset.empty = "Search a company to draw who you can reach there.";
  renderIntroducers();

  const saved = sessionStorage.getItem(KEY_STORAGE);
  if (saved) {
    $("api-key").value = saved;
    signIn(saved);
  }

  // For tests and the curious: the live Cytoscape instances and the page state.
  window.warmintro = {
    state,
    pathGraph: () => pathCy,
    reachGraph: () => reachCy,
  };
})();
