// Described people whose id is one of $ids, as one list: an import reads only the
// people its file could resolve to (GraphStore.people_for_keys), not the workspace.
UNWIND $ids AS value
MATCH (p:Person {workspace: $workspace, id: value})
WHERE p.stub IS NULL
RETURN collect(p {.id, .name, .company, .position, .email, .url, .schools, .employers}) AS people
