MATCH (p:Person {workspace: $workspace, id: $id})-[k:KNOWS]-(o:Person)
RETURN startNode(k).id AS a, endNode(k).id AS b, k.owner AS owner, k.data AS data, o.id AS other
ORDER BY other, owner
