UNWIND $ids AS id
MATCH (:Person {workspace: $workspace, id: id})-[:KNOWS]-(o:Person)
RETURN collect(DISTINCT o.id) AS ids
