UNWIND $rows AS r
MERGE (m:Member {workspace: $workspace, person_id: r.person_id})
  ON CREATE SET m.sharing = r.sharing
