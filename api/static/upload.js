// Upload control for email, calendar and address-book exports (issue 17).
// Kept apart from app.js: it needs only the key app.js keeps in sessionStorage and
// this origin's /graphql. Uploads use the GraphQL multipart request spec and poll
// the background job until it is done, showing rows read and the import report.
(function () {
  "use strict";
  const KEY_STORAGE = "warmintro.apiKey";
  const MUTATIONS = {
    mbox: "importMailbox",
    calendar: "importCalendar",
    contacts: "importContacts",
  };
  const form = document.getElementById("upload-form");
  if (!form) return;
  const kind = document.getElementById("upload-kind");
  const file = document.getElementById("upload-file");
  const owner = document.getElementById("upload-owner");
  const status = document.getElementById("upload-status");
  const report = document.getElementById("upload-report");
  const button = document.getElementById("upload-button");

  function say(text) {
    status.textContent = text;
  }

  async function graphql(body, isForm) {
    const key = sessionStorage.getItem(KEY_STORAGE);
    if (!key) throw new Error("Sign in with an API key first.");
    const headers = { Authorization: `Bearer ${key}` };
    if (!isForm) headers["Content-Type"] = "application/json";
    const reply = await fetch("/graphql", { method: "POST", headers, body });
    const data = await reply.json().catch(() => null);
    if (!reply.ok || !data || data.errors) {
      const message = data && data.errors ? data.errors[0].message : `HTTP ${reply.status}`;
      throw new Error(message);
    }
    return data.data;
  }

  function start(field, chosen, ownerRef) {
    const query =
      `mutation($file: Upload!, $owner: String) { ${field}(file: $file, owner: $owner) {` +
      " __typename ... on ImportJob { id status } ... on InvalidInput { message }" +
      " ... on Forbidden { message } } }";
    const body = new FormData();
    body.append("operations", JSON.stringify({ query, variables: { file: null, owner: ownerRef || null } }));
    body.append("map", JSON.stringify({ 0: ["variables.file"] }));
    body.append("0", chosen, chosen.name);
    return graphql(body, true).then((data) => data[field]);
  }

  const POLL =
    "query($id: ID!) { importJob(id: $id) { ... on ImportJob { status rowsProcessed" +
    " report { people relationships interactions merges notes }" +
    " error { message file line field } } } }";

  function sleep(ms) {
    return new Promise((resolve) => setTimeout(resolve, ms));
  }

  function show(job) {
    report.replaceChildren();
    const lines = [];
    if (job.report) {
      const r = job.report;
      lines.push(
        `${r.people} people, ${r.relationships} relationships, ` +
          `${r.interactions} interactions, ${r.merges} merges`
      );
      for (const note of r.notes) lines.push(note);
    }
    if (job.error) {
      const where = [job.error.file, job.error.line].filter((x) => x !== null).join(":");
      lines.push(`${where ? where + ": " : ""}${job.error.message}`);
    }
    for (const text of lines) {
      const li = document.createElement("li");
      li.textContent = text;
      report.append(li);
    }
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const chosen = file.files && file.files[0];
    if (!chosen) {
      say("Choose a file first.");
      return;
    }
    button.disabled = true;
    report.replaceChildren();
    try {
      say(`Uploading ${chosen.name}…`);
      const job = await start(MUTATIONS[kind.value], chosen, owner.value.trim());
      if (job.__typename !== "ImportJob") {
        say(job.message || "The upload was refused.");
        return;
      }
      for (;;) {
        const data = await graphql(JSON.stringify({ query: POLL, variables: { id: job.id } }));
        const state = data.importJob;
        if (state.status === "DONE") {
          say(`Imported ${chosen.name}: only who, when and how often were kept.`);
          show(state);
          return;
        }
        if (state.status === "FAILED") {
          say(`Nothing was imported from ${chosen.name}.`);
          show(state);
          return;
        }
        say(`Importing ${chosen.name}: ${state.rowsProcessed.toLocaleString()} read…`);
        await sleep(500);
      }
    } catch (err) {
      say(err.message);
    } finally {
      button.disabled = false;
    }
  });
})();
