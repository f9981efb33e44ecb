MATCH (p:Person {workspace: $workspace, id: $id})
DETACH DELETE p
