MATCH (p:Person {workspace: $workspace, id: $id})-[k:KNOWS]-(:Person)
DELETE k
