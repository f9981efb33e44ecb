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
    admin: false, // an admin key: paths start from the best-placed member, never "you"
    target: null, // {id, name, company, position, url}
    direct: null, // the tie the requester already has to the target, if any
    outside: false, // the target is in nobody's data (planned from a company hint)
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
  const plural = (n, one, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
  const firstName = (name) => String(name).split(" ")[0];

  // -- attribution: whose data shows a tie ---------------------------------------------
  // A source is a member's name or "file:NAME". With a member's key every path starts
  // from the member, so their own name reads "your network"; an admin key's paths start
  // from the best-placed member, who is named.
  function sourceLabel(source, requester) {
    if (source.startsWith("file:")) {
      const file = source.slice(5);
      return { text: `file: ${file}`, title: `from the imported file ${file}` };
    }
    if (!state.admin && requester && source === requester.name) {
      return { text: "your network", title: `from your own data (${source})` };
    }
    return { text: `${firstName(source)}'s network`, title: `from ${source}'s data` };
  }
  function stepBadges(step, requester) {
    const out = [];
    if (step.inferred) {
      out.push(el("span", { class: "badge badge-inferred", title: "inferred from the companies the exports list, not observed", text: "inferred" }));
    }
    for (const source of step.sources || []) {
      const label = sourceLabel(source, requester);
      out.push(el("span", { class: "badge", title: label.title, text: label.text }));
    }
    if (!out.length && (step.evidence || []).some((line) => line.startsWith("teammates"))) {
      out.push(el("span", { class: "badge badge-team", title: "both are members of this workspace", text: "teammates" }));
    }
    return out;
  }
  // "via Lea's network": whose data holds the part of the path beyond the requester.
  function viaNetwork(path) {
    const later = path.steps.slice(1).flatMap((s) => s.sources || []);
    const sources = [...new Set(later.length ? later : path.steps.flatMap((s) => s.sources || []))];
    if (!sources.length) return "";
    const labels = sources.map((s) => sourceLabel(s, path.requester).text);
    return `via ${labels.join(" and ")}`;
  }
  // Who a path starts from when that is not the viewer (team and admin queries).
  const startsFrom = (path) =>
    state.admin && path.requester ? `from ${path.requester.name} (your teammate)` : "";
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

  const PERSON = "id name company position url";
  const PATH_FIELDS = `found probability hops
    requester { ${PERSON} }
    people { ${PERSON} }
    steps { from to strength evidence sources inferred }`;
  const INTRODUCER_LIST = `... on IntroducerList {
        direct { requester { ${PERSON} } person { ${PERSON} } strength evidence sources }
        introducers { person { ${PERSON} } score pathProbability reasons path { ${PATH_FIELDS} } }
      }`;
  const PROBLEMS = "... on PersonNotFound { message } ... on AmbiguousPerson { message } ... on InvalidInput { message }";

  const Q_SEARCH = `query Search($text: String!, $first: Int!) {
    searchPeople(text: $text, first: $first) {
      __typename
      ... on PersonConnection { edges { node { id name company position url } } pageInfo { hasNextPage } }
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
      ${INTRODUCER_LIST}
      ${PROBLEMS}
    }
  }`;
  // Someone in nobody's data: the people the team reaches at their company.
  const Q_OUTSIDE = `query Outside($to: String!, $hint: IntroHint!) {
    introducers(to: $to, limit: 5, hint: $hint) {
      __typename
      ${INTRODUCER_LIST}
      ${PROBLEMS}
    }
  }`;
  const LINT = "clean findings { rule severity excerpt explanation suggestion }";
  const Q_DRAFT = `query Draft($to: String!, $via: String, $goal: String!) {
    draftIntroRequest(to: $to, via: $via, goal: $goal) {
      __typename
      ... on Draft {
        kind subject ask blurb
        alternative { kind subject ask blurb introducer { id name } target { id name } lint { ${LINT} } }
        followUp { afterDays text policy }
        sentences { sentence evidence }
        introducer { id name } target { id name } nextHop { id name }
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
      // apiKeys answers Forbidden to a member's key: an admin key is one that may list them.
      const data = await gql("{ networkStats { people relationships members } apiKeys { __typename } }");
      const s = data.networkStats;
      state.admin = data.apiKeys.__typename === "ApiKeyList";
      $("legend-requester").textContent = state.admin ? "starting member" : "you";
      sessionStorage.setItem(KEY_STORAGE, state.key);
      $("key-forget").hidden = false;
      $("key-save").hidden = true;
      setKeyStatus(`Signed in: ${s.people} people, ${s.relationships} ties.`, "ok");
      // Errors from before signing in ("Sign in … first") no longer apply.
      for (const id of ["path-status", "reach-status"]) {
        if ($(id).classList.contains("error")) setStatus(id, "");
      }
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
    clearTimeout(blurTimer); // a list shown after the box lost focus stays open
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
  // The first matches and whether there are more than the page asked for.
  async function searchPeople(text, first = 8) {
    const data = await gql(Q_SEARCH, { text, first });
    const result = data.searchPeople;
    const err = problem(result, "PersonConnection");
    if (err) throw new ApiError(err);
    return { people: result.edges.map((e) => e.node), more: result.pageInfo.hasNextPage };
  }
  const suggest = debounce(async () => {
    const text = input.value.trim();
    if (text.length < 2 || !state.key) {
      closeOptions();
      return;
    }
    try {
      const { people } = await searchPeople(text);
      // Only for the text still typed, and only while the box has focus (a late answer
      // must not reopen the list over the form after the user moved on).
      if (input.value.trim() === text && document.activeElement === input) {
        showOptions(people, `Nobody matches “${text}”. In nobody's data? Give their company below.`);
      }
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
  let blurTimer = 0;
  input.addEventListener("blur", () => {
    blurTimer = setTimeout(closeOptions, 150);
  });

  // -- planning ------------------------------------------------------------------------
  async function resolveTyped() {
    if (state.target && input.value.trim() === state.target.name) return state.target;
    const text = input.value.trim();
    if (!text) throw new ApiError("Type who you want to meet.");
    const { people, more } = await searchPeople(text, 8);
    if (people.length === 1) return people[0];
    if (!people.length) throw new ApiError(`Nobody in your network matches “${text}”.`);
    showOptions(people, "");
    input.focus();
    throw new ApiError(
      more
        ? `More than ${people.length} people match “${text}”: choose one from the list, or type more of the name.`
        : `${people.length} people match “${text}”: choose one from the list.`,
    );
  }

  async function plan() {
    const company = $("hint-company").value.trim();
    const picked = state.target && !state.outside && input.value.trim() === state.target.name;
    if (company && !picked) {
      await planOutside(company);
      return;
    }
    state.outside = false;
    let target;
    try {
      target = await resolveTyped();
    } catch (err) {
      const nobody = err.message.startsWith("Nobody in your network matches");
      if (nobody) $("outside").open = true;
      setStatus(
        "path-status",
        nobody ? `${err.message} If they are in nobody's data, give their company below and search again.` : err.message,
        "error",
      );
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
      state.direct = introErr ? null : data.introducers.direct;
      // The direct tie is drawn too, unless a listed path is that very tie.
      const direct = directPath();
      const listed = (p) => p.hops === 1 && p.people[0].id === direct.people[0].id && p.people[1].id === direct.people[1].id;
      if (direct && !state.paths.some(listed)) state.paths = [...state.paths, direct];
      renderPaths();
      renderIntroducers();
      if (pathsErr) setStatus("path-status", pathsErr, "error");
      else {
        const best = state.paths[0];
        const from = startsFrom(best);
        const known = state.direct
          ? ` ${state.admin ? `${state.direct.requester.name} knows` : "You know"} them directly (${pct(state.direct.strength)}).`
          : "";
        setStatus(
          "path-status",
          `${plural(state.paths.length, "path")} to ${target.name}; the best has a ${pct(best.probability)} chance over ${plural(best.hops, "hop")}${from ? `, ${from}` : ""}.${known}`,
          "ok",
        );
      }
    } catch (err) {
      setStatus("path-status", err.message, "error");
    } finally {
      $("find-button").disabled = false;
    }
  }

  // The direct tie as a one-hop path, so the graph and the list can draw it.
  function directPath() {
    const d = state.direct;
    if (!d) return null;
    return {
      found: true,
      probability: d.strength,
      hops: 1,
      direct: true,
      requester: d.requester,
      people: [d.requester, d.person],
      steps: [{ from: d.requester.id, to: d.person.id, strength: d.strength, evidence: d.evidence, sources: d.sources, inferred: false }],
    };
  }

  async function planOutside(company) {
    const title = $("hint-title").value.trim();
    const name = input.value.trim();
    closeOptions();
    resetDraft();
    state.outside = true;
    const who = name || `the ${title || "person you want to meet"} at ${company}`;
    setStatus("path-status", `Looking for people your team reaches at ${company}…`);
    $("find-button").disabled = true;
    try {
      const data = await gql(Q_OUTSIDE, { to: name, hint: { company, title } });
      const result = data.introducers;
      const err = problem(result, "IntroducerList");
      if (err) throw new ApiError(err);
      state.introducers = result.introducers;
      state.direct = result.direct;
      state.paths = state.introducers.map((i) => i.path);
      const last = state.paths.length ? state.paths[0].people[state.paths[0].people.length - 1] : null;
      state.target = last || { id: "", name: who, company, position: title, url: "" };
      // A name that is in the data after all is planned as usual.
      state.outside = !last || last.id.startsWith("outside:");
      if (!state.goalTouched) $("goal-input").value = defaultGoal(state.target);
      renderPaths();
      renderIntroducers();
      setStatus(
        "path-status",
        state.paths.length
          ? `${state.target.name} is in nobody's data: ${plural(state.paths.length, "person", "people")} your team reaches at ${company} could introduce you. The last tie of each route is inferred from the company, not observed.`
          : `Nobody your team reaches works at ${company}. Try another spelling of the company.`,
        state.paths.length ? "ok" : "",
      );
    } catch (err) {
      state.paths = [];
      state.introducers = [];
      state.direct = null;
      renderPaths();
      renderIntroducers();
      setStatus("path-status", err.message, "error");
    } finally {
      $("find-button").disabled = false;
    }
  }

  // A prefill in the requester's voice ("learn how Acme approaches payments"); the
  // drafting engine wants the goal in the requester's own words, so it stays editable.
  function defaultGoal(target) {
    // The first role of a headline ("Founder | Angel" -> "Founder"), as the drafts cut it.
    const position = (target.position || "").split(/\s*(?:\||•|·|\/|;|@|\s[-–—]\s)\s*/)[0].trim();
    const company = (target.company || "").trim();
    const first = (target.name || "").split(/\s+/)[0] || target.name;
    // No names: the same goal is read by the target in the forwarded blurb.
    if (/\b(student|graduate|phd|candidate|intern)\b/i.test(position)) {
      return company ? `learn what studying at ${company} is like` : "hear how studies lead into work";
    }
    if (/\b(freelanc\w*|self[- ]employed|independent|consultant)\b/i.test(position)) {
      return "learn what working freelance is like";
    }
    const area = /(?:head|vp|vice president|director|lead|manager)\s+(?:of\s+)?(.+)$/i.exec(position);
    if (company && area) return `learn how ${company} approaches ${area[1].toLowerCase()}`;
    if (company && position) return `learn about the ${position} role at ${company}`;
    if (company) return `learn about working at ${company}`;
    return `learn about ${first}'s work`;
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
  function elementsFor(paths, mode, narrow = false) {
    const maxHops = Math.max(1, ...paths.map((p) => p.hops));
    const column = (mode === "reach" ? 250 : 230) * (narrow ? 0.6 : 1);
    const width = column * maxHops;
    const rowGap = mode === "reach" ? 58 : narrow ? 100 : 125;
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
            short: person.name,
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
            label: pct(step.strength),
            evidence: step.evidence,
            sources: step.sources || [],
            inferred: Boolean(step.inferred),
            requester: path.requester || null,
            paths: [rank + 1],
          },
          classes: [rank === 0 ? "best" : "alternative", path.direct ? "direct" : ""].join(" ").trim(),
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
    { selector: "edge[?inferred]", style: { "line-style": "dashed", "line-dash-pattern": [8, 5] } },
    // The direct tie bows away from the best path, which runs along the same line.
    {
      selector: "edge.direct",
      style: { "curve-style": "unbundled-bezier", "control-point-distances": [-90], "control-point-weights": [0.5] },
    },
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
    // On a phone the whole graph is zoomed out to fit: names only, in a bigger font.
    const narrow = container.clientWidth < 600;
    const style = narrow
      ? [...STYLE, { selector: "node", style: { label: "data(short)", "font-size": 22, "text-max-width": 110 } },
          { selector: "edge", style: { "font-size": 16 } },
          { selector: "node.leaf", style: { "text-max-width": 300 } }]
      : STYLE;
    const cy = window.cytoscape({
      container,
      elements: elementsFor(paths, mode, narrow),
      style,
      layout: { name: "preset", fit: true, padding: narrow ? 16 : 50 },
      minZoom: 0.3,
      maxZoom: 1.6,
      wheelSensitivity: 0.2,
      boxSelectionEnabled: false,
      autoungrabify: false,
    });
    cy.fit(undefined, narrow ? 16 : 50);
    if (cy.zoom() > 1.3) {
      cy.zoom(1.3);
      cy.center();
    }
    wireEvidence(cy, container);
    const names = paths.map((p) => p.people.map((x) => x.name).join(" → "));
    container.setAttribute(
      "aria-label",
      `Graph of ${plural(paths.length, "path")}: ${names.join("; ")}. Use the arrow keys to step through ties.`,
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
    const badges = stepBadges(d, d.requester);
    return [
      el(
        "p",
        {},
        el("strong", { text: `${personName(cy, d.source)} — ${personName(cy, d.target)}` }),
        ` · strength ${pct(d.strength)} · on path ${d.paths.map((n) => `#${n}`).join(", ")}`,
      ),
      badges.length
        ? el(
            "p",
            { class: "sources" },
            d.sources.length ? "Shown by: " : "",
            badges,
            d.inferred ? el("span", { class: "muted", text: " Inferred, not observed: from the companies the exports list." }) : "",
          )
        : "",
      el("ul", {}, lines.map((line) => el("li", { text: line }))),
    ];
  }

  function wireEvidence(cy, container) {
    const tip = container === $("graph") ? $("edge-tip") : null;
    const panel = container === $("graph") ? $("evidence") : null;
    cy.on("mouseover", "edge", (evt) => {
      if (!tip) return;
      tip.replaceChildren(...evidenceView(cy, evt.target));
      tip.hidden = false;
      // Above the tie, away from the node labels (drawn below the nodes); below it only
      // when there is no room above. Kept inside the graph's box.
      const p = evt.target.renderedMidpoint();
      const left = Math.min(Math.max(p.x - tip.offsetWidth / 2, 0), container.clientWidth - tip.offsetWidth);
      const above = p.y - tip.offsetHeight - 18;
      tip.style.left = `${container.offsetLeft + Math.max(left, 0)}px`;
      tip.style.top = `${container.offsetTop + (above >= 0 ? above : p.y + 18)}px`;
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
          const step = path.steps[i];
          chain.append(
            el("span", { class: "tie", text: ` —${pct(step.strength)}→ ` }),
            el("span", { class: "badges" }, stepBadges(step, path.requester)),
          );
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
              `${path.people[i].name} — ${path.people[i + 1].name} (${pct(s.strength)}${s.inferred ? ", inferred" : ""}): `,
              s.evidence.length ? s.evidence.join("; ") : "no evidence lines",
            ),
          ),
        ),
      );
      list.append(
        el(
          "li",
          { "data-rank": rank + 1 },
          el(
            "div",
            { class: "muted" },
            path.direct
              ? `${state.admin ? `${path.requester.name}'s` : "Your"} direct tie: ${pct(path.probability)}`
              : `${rank === 0 ? "Best" : "Alternative"}: ${pct(path.probability)} chance, ${plural(path.hops, "hop")}`,
            startsFrom(path) ? el("span", { class: "from", text: ` · ${startsFrom(path)}` }) : "",
          ),
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
  function renderDirect() {
    const d = state.direct;
    $("direct-card").hidden = !d;
    if (!d) return;
    const knower = state.admin ? `${d.requester.name} (your teammate) knows them` : "You know them";
    $("direct-heading").textContent = knower;
    $("direct-tie").replaceChildren(
      `Direct tie to ${d.person.name}: `,
      el("strong", { text: pct(d.strength) }),
      " ",
      ...stepBadges({ sources: d.sources, evidence: d.evidence, inferred: false }, d.requester),
    );
    $("direct-evidence").replaceChildren(
      ...(d.evidence.length ? d.evidence : ["no evidence lines recorded"]).map((line) => el("li", { text: line })),
    );
    $("direct-write").textContent = state.admin
      ? `Draft ${firstName(d.requester.name)}'s note to ${firstName(d.person.name)}`
      : `Write to ${firstName(d.person.name)} directly`;
  }

  // The engine's "66% chance over 2 hops" is said on the page in its own words.
  const ownReason = (reason) => /^\d+% chance over \d+ hops?$/.test(reason);

  function renderIntroducers() {
    renderDirect();
    const list = $("introducer-list");
    list.replaceChildren();
    $("introducers-heading").textContent = state.direct ? "Warmer routes" : "Who can introduce you";
    if (!state.introducers.length) {
      let text = "Search for someone to see who can introduce you.";
      if (state.direct && state.admin) text = `No route beats ${firstName(state.direct.requester.name)}'s direct tie.`;
      else if (state.direct) text = "No route beats your direct tie: write to them yourself.";
      else if (state.outside) text = "Nobody your team reaches works at that company.";
      else if (state.target) text = "Nobody in your network can introduce you within the hop limit.";
      list.append(el("li", { class: "muted", text }));
      return;
    }
    state.introducers.forEach((item, i) => {
      const p = item.person;
      const via = viaNetwork(item.path);
      const from = startsFrom(item.path);
      const hops = `${pct(item.pathProbability)} chance over ${plural(item.path.hops, "hop")}`;
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
          via || from ? el("div", { class: "via", text: [via, from].filter(Boolean).join(", ") }) : "",
          el("ul", {}, [hops, ...item.reasons.filter((r) => !ownReason(r))].map((r) => el("li", { text: r }))),
          el("button", {
            type: "button",
            class: "choose",
            "aria-pressed": "false",
            // The accessible name starts with the visible text (WCAG 2.5.3).
            "aria-label": `Ask ${p.name.split(" ")[0]} for an intro: draft an introduction request via ${p.name}`,
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
    $("draft-title").textContent = "Draft request";
    $("draft-who").textContent = `via ${state.chosen.person.name}`;
    fetchDraft(true);
  }

  // A 1st-degree target: a short note straight to them (and, when a teammate or contact
  // is much warmer, the intro request through them as the alternative).
  function writeDirect() {
    const path = directPath();
    if (!path) return;
    state.chosen = { direct: true, person: state.direct.person, path };
    document.querySelectorAll("#introducer-list > li").forEach((li) => {
      li.classList.remove("chosen");
      const button = li.querySelector("button.choose");
      if (button) button.setAttribute("aria-pressed", "false");
    });
    highlightPath(path);
    $("draft-panel").hidden = false;
    $("draft-title").textContent = "Draft note";
    $("draft-who").textContent = `to ${state.direct.person.name}`;
    fetchDraft(true);
  }

  function useAlternative() {
    const alt = state.draft && state.draft.alternative;
    if (!alt) return;
    const index = state.introducers.findIndex((i) => i.person.id === alt.introducer.id);
    if (index >= 0) chooseIntroducer(index);
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
    if (state.outside) {
      note.hidden = true;
      setStatus(
        "draft-status",
        `${state.target.name} is in nobody's data, so there is nothing to ground a draft in yet. Ask ${chosen.person.name} yourself whether they know ${state.target.name}: the tie is inferred from the company, not observed.`,
      );
      return;
    }
    if (chosen.direct) {
      note.hidden = true;
      setStatus("draft-status", `Drafting a note to ${chosen.person.name}…`);
      try {
        const data = await gql(Q_DRAFT, { to: chosen.person.id, via: null, goal });
        const result = data.draftIntroRequest;
        const err = problem(result, "Draft");
        if (err) throw new ApiError(err);
        if (state.chosen !== chosen) return;
        state.draft = result;
        renderDraft(result);
        if (moveFocus) {
          $("draft-panel").scrollIntoView({ block: "start" });
          $("draft-heading").focus({ preventScroll: true });
        }
        const alt = result.alternative;
        setStatus(
          "draft-status",
          `Draft note to ${result.target.name}, whom you already know.${alt ? ` A warmer route through ${alt.introducer.name} is below.` : ""}`,
          "ok",
        );
      } catch (err) {
        setStatus("draft-status", err.message, "error");
      }
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
      // Always the real target: on a longer path the server asks for the first step
      // (nextHop) and names the target as the reason; the request records the target.
      const data = await gql(Q_DRAFT, { to: state.target.id, via: chosen.person.id, goal });
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
      const first = result.nextHop || result.target;
      setStatus(
        "draft-status",
        result.nextHop
          ? `Draft to ${result.introducer.name}, asking for an introduction to ${first.name}, on the way to ${result.target.name}.`
          : `Draft to ${result.introducer.name}, asking for an introduction to ${result.target.name}.`,
        "ok",
      );
    } catch (err) {
      setStatus("draft-status", err.message, "error");
    }
  }

  function renderDraft(draft) {
    const direct = draft.kind === "direct";
    $("ask-h").textContent = direct ? `Note to ${draft.target.name}` : "Ask to the introducer";
    $("draft-blurb-block").hidden = direct || !draft.blurb;
    $("record").hidden = direct;
    const alt = draft.alternative;
    $("draft-alt").hidden = !alt;
    if (alt) {
      const route = state.introducers.find((i) => i.person.id === alt.introducer.id);
      $("alt-heading").textContent = `Or ask ${alt.introducer.name} for an introduction`;
      $("alt-why").textContent = route && state.direct
        ? `${firstName(alt.introducer.name)}'s route: ${pct(route.pathProbability)} chance, against your direct tie at ${pct(state.direct.strength)}.`
        : `${alt.introducer.name} knows ${alt.target.name} much better than you do.`;
      $("alt-ask").textContent = alt.ask;
      $("alt-use").hidden = !route;
      $("alt-use").textContent = `Use the route through ${firstName(alt.introducer.name)}`;
    }
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
    if (asked) {
      setStatus("record-status", `Already recorded in this session: you asked ${draft.introducer.name} for an introduction to ${draft.target.name}.`, "ok");
    }
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
      $("record-status").dataset.requestId = updated.id; // for tools; people read the names
      setStatus(
        "record-status",
        `Recorded: you asked ${chosen.person.name} for an introduction to ${askedFor.name} (status: ${String(updated.status).toLowerCase()}). Follow up once, after a week, at most.`,
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
      // A new search replaces the old results, even one that cannot run.
      state.reach = { company, title, after: null, paths: [] };
      $("reach-more").hidden = true;
      renderReach();
      if (!company && !title) {
        setStatus("reach-status", "Give a company, a title or both.", "error");
        return;
      }
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
      const n = state.reach.paths.length;
      let text = `Nobody reachable (${where}) within the hop limit. Try another spelling or fewer words in the title.`;
      if (n && result.pageInfo.hasNextPage) text = `The warmest ${n} people reachable (${where}); more below with “Load more”.`;
      else if (n) text = `${plural(n, "person", "people")} reachable (${where}), warmest first.`;
      setStatus("reach-status", text, n ? "ok" : "");
    } catch (err) {
      setStatus("reach-status", err.message, "error");
    } finally {
      $("reach-button").disabled = false;
    }
  }

  function renderReach() {
    const rows = $("reach-rows");
    rows.replaceChildren();
    $("reach-table-heading").textContent = state.reach.paths.length ? `People (${state.reach.paths.length} shown)` : "People";
    state.reach.paths.forEach((path) => {
      const target = path.people[path.people.length - 1];
      const via = path.hops > 1 ? path.people[1].name : state.admin ? path.people[0].name : "you know them";
      const network = viaNetwork(path);
      rows.append(
        el(
          "tr",
          { "data-person-id": target.id },
          el("td", {}, target.name, el("span", { class: "sub", text: role(target) })),
          el("td", {}, via, el("span", { class: "sub", text: [plural(path.hops, "hop"), network].filter(Boolean).join(" · ") })),
          el("td", { class: "num", text: pct(path.probability) }),
          el(
            "td",
            {},
            el("button", {
              type: "button",
              class: "secondary",
              "aria-label": `Plan intro: plan an introduction to ${target.name}`,
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
      cy.fit(undefined, cy.container().clientWidth < 600 ? 16 : 50);
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
  $("direct-write").addEventListener("click", writeDirect);
  $("alt-use").addEventListener("click", useAlternative);
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
    defaultGoal,
  };
})();
