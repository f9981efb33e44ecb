MATCH (a:Person {workspace: $workspace})-[k:KNOWS {owner: $owner}]->(b:Person)
WHERE a.id IS NOT NULL
OPTIONAL MATCH (a)-[other:KNOWS]->(b)
WHERE other.owner <> $owner
RETURN a.id AS a, b.id AS b, count(other) AS others
