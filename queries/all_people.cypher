MATCH (p:Person {workspace: $workspace})
WHERE p.id IS NOT NULL AND p.stub IS NULL
RETURN p {.id, .name, .company, .position, .email, .url, .schools, .employers} AS person
