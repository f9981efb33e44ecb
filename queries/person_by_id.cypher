MATCH (p:Person {workspace: $workspace, id: $id})
RETURN p {.id, .name, .company, .position, .email, .url, .schools, .employers} AS person
