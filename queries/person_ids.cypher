// The ids of every described person, in one record (the planning graph's nodes).
MATCH (p:Person {workspace: $workspace})
WHERE p.id IS NOT NULL AND p.stub IS NULL
RETURN collect(p.id) AS ids
