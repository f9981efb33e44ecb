MATCH (p:Person {workspace: $workspace, url: $url})
RETURN p {.id, .name, .company, .position, .email, .url, .schools, .employers} AS person
ORDER BY p.id
