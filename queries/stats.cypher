CALL () { MATCH (p:Person {workspace: $workspace}) WHERE p.stub IS NULL RETURN count(p) AS people }
CALL () {
  MATCH (a:Person {workspace: $workspace})-[k:KNOWS]->(b:Person)
  RETURN count(DISTINCT [a.id, b.id]) AS relationships, coalesce(sum(k.interactions), 0) AS interactions
}
CALL () { MATCH (m:Member {workspace: $workspace}) RETURN count(m) AS members }
CALL () { MATCH (g:Merge {workspace: $workspace}) RETURN count(g) AS merges }
RETURN people, relationships, interactions, members, merges
