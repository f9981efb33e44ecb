MATCH (m:Member {workspace: $workspace})
WHERE m.person_id IS NOT NULL
RETURN m.person_id AS person_id, m.sharing AS sharing
ORDER BY person_id
