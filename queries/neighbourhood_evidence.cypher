// Every tie touching one of $ids, as parallel lists like all_evidence (bounded planning fetch).
UNWIND $ids AS id
MATCH (p:Person {workspace: $workspace, id: id})-[k:KNOWS]-(:Person)
WITH DISTINCT k
WITH startNode(k) AS a, endNode(k) AS b, k
RETURN collect(a.id) AS a, collect(b.id) AS b, collect(k.owner) AS owner, collect(k.data) AS data
