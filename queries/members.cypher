MATCH (m:Member {workspace: $workspace})
RETURN m.person_id AS person_id, m.sharing AS sharing
ORDER BY person_id
