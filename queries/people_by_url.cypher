MATCH (p:Person {workspace: $workspace, url: $url})
WHERE p.stub IS NULL
RETURN p {.id, .name, .company, .position, .email, .url, .schools, .employers} AS person
ORDER BY p.id
