MATCH (p:Person {workspace: $workspace, email: $email})
RETURN p {.id, .name, .company, .position, .email, .url, .schools, .employers} AS person
ORDER BY p.id
