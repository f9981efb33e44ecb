MATCH (m:Member {workspace: $workspace, person_id: $id})
DELETE m
