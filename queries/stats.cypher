// "IS NOT NULL" on the key's second property turns label scans into index seeks.
CALL () {
  MATCH (p:Person {workspace: $workspace}) WHERE p.id IS NOT NULL AND p.stub IS NULL
  RETURN count(p) AS people
}
CALL () {
  MATCH (a:Person {workspace: $workspace})-[k:KNOWS]->(b:Person)
  WHERE a.id IS NOT NULL
  RETURN count(DISTINCT [a.id, b.id]) AS relationships, coalesce(sum(k.interactions), 0) AS interactions
}
CALL () {
  MATCH (m:Member {workspace: $workspace}) WHERE m.person_id IS NOT NULL
  RETURN count(m) AS members
}
CALL () {
  MATCH (g:Merge {workspace: $workspace}) WHERE g.merged IS NOT NULL
  RETURN count(g) AS merges
}
RETURN people, relationships, interactions, members, merges
