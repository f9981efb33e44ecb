MERGE (m:Member {workspace: $workspace, person_id: $person_id})
SET m.sharing = $sharing
