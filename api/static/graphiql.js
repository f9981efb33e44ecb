// GraphiQL for warmintro's API, entirely from this origin.
// Every request needs "Authorization: Bearer <key>". If the path explorer page (/)
// holds a key in this tab's sessionStorage, the headers editor starts with it;
// otherwise paste the key printed by `warmintro demo` or `warmintro key create`.
(function () {
  "use strict";
  const KEY_STORAGE = "warmintro.apiKey"; // the same entry the path explorer uses
  const key = sessionStorage.getItem(KEY_STORAGE) || "<paste an API key>";
  const headers = JSON.stringify({ Authorization: "Bearer " + key }, null, 2);
  const example = [
    "# warmintro: the schema is in the Docs pane.",
    "query Example {",
    "  networkStats { people relationships interactions members }",
    "}",
    "",
  ].join("\n");
  const root = document.getElementById("graphiql");
  if (!window.React || !window.ReactDOM || !window.GraphiQL) {
    root.textContent =
      "GraphiQL's files are missing on the server (api/static/vendor/). " +
      "Run `make install` (or scripts/vendor_web.sh) and reload.";
    return;
  }
  const fetcher = GraphiQL.createFetcher({ url: "/graphql" });
  ReactDOM.createRoot(root).render(
    React.createElement(GraphiQL, {
      fetcher: fetcher,
      defaultQuery: example,
      defaultHeaders: headers,
      headerEditorEnabled: true,
      shouldPersistHeaders: false,
      defaultEditorToolsVisibility: "headers",
    })
  );
})();
