MATCH (a:Person {workspace: $workspace})-[k:KNOWS {owner: $owner}]->(:Person)
WHERE a.id IS NOT NULL
DELETE k
