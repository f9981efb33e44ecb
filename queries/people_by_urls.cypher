// Described people whose url is one of $urls, as one list: an import reads only the
// people its file could resolve to (GraphStore.people_for_keys), not the workspace.
UNWIND $urls AS value
MATCH (p:Person {workspace: $workspace, url: value})
WHERE p.stub IS NULL
RETURN collect(p {.id, .name, .company, .position, .email, .url, .schools, .employers}) AS people
