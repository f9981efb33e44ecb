// Whether any person is stored in the workspace (one index seek): a workspace can hold
// people its version does not count, e.g. after a neo4j-admin bulk import.
OPTIONAL MATCH (p:Person {workspace: $workspace})
WHERE p.id IS NOT NULL
WITH p LIMIT 1
RETURN p IS NOT NULL AS found
