MATCH (p:Person {workspace: $workspace, id: $id})
WHERE p.stub IS NULL
RETURN p {.id, .name, .company, .position, .email, .url, .schools, .employers} AS person
