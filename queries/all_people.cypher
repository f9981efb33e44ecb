MATCH (p:Person {workspace: $workspace})
WHERE p.stub IS NULL
RETURN p {.id, .name, .company, .position, .email, .url, .schools, .employers} AS person
