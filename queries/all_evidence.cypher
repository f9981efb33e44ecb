MATCH (a:Person {workspace: $workspace})-[k:KNOWS]->(b:Person)
RETURN a.id AS a, b.id AS b, k.owner AS owner, k.data AS data
