MATCH (p:Person {workspace: $workspace})
WHERE p.id IS NOT NULL AND p.stub IS NULL
  AND ($needle = ''
   OR toLower(p.name) CONTAINS $needle
   OR toLower(p.company) CONTAINS $needle
   OR toLower(p.position) CONTAINS $needle
   OR p.email CONTAINS $needle
   OR p.url CONTAINS $needle)
RETURN p {.id, .name, .company, .position, .email, .url, .schools, .employers} AS person
ORDER BY NOT toLower(p.name) STARTS WITH $needle, toLower(p.name), p.id
SKIP $offset LIMIT $limit
