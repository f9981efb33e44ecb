// Counts as a member sees the workspace (the embedded store's stats_excluding): the
// evidence of the $hidden owners left out, the people only that evidence shows with it
// (members always count), and the merges whose kept person is then not shown. Stubs
// are no one's people. "IS NOT NULL" on a key's second property makes the scans seeks.
CALL () {
  MATCH (a:Person {workspace: $workspace})-[k:KNOWS]->(b:Person)
  WHERE a.id IS NOT NULL AND NOT k.owner IN $hidden
  RETURN count(DISTINCT [a.id, b.id]) AS relationships, coalesce(sum(k.interactions), 0) AS interactions
}
CALL () {
  MATCH (p:Person {workspace: $workspace})
  WHERE p.id IS NOT NULL AND p.stub IS NULL
    AND (EXISTS { MATCH (:Member {workspace: $workspace, person_id: p.id}) }
         OR EXISTS { MATCH (p)-[k:KNOWS]-(:Person) WHERE NOT k.owner IN $hidden })
  RETURN count(p) AS people
}
CALL () {
  MATCH (g:Merge {workspace: $workspace}) WHERE g.merged IS NOT NULL
  MATCH (p:Person {workspace: $workspace, id: g.kept})
  WHERE p.stub IS NULL
    AND (EXISTS { MATCH (:Member {workspace: $workspace, person_id: p.id}) }
         OR EXISTS { MATCH (p)-[k:KNOWS]-(:Person) WHERE NOT k.owner IN $hidden })
  RETURN count(g) AS merges
}
CALL () {
  MATCH (m:Member {workspace: $workspace}) WHERE m.person_id IS NOT NULL
  RETURN count(m) AS members
}
RETURN people, relationships, interactions, members, merges
