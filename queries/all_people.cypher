MATCH (p:Person {workspace: $workspace})
RETURN p {.id, .name, .company, .position, .email, .url, .schools, .employers} AS person
