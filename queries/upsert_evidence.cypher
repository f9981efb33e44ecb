// One KNOWS relationship per owner, directed from the canonical first end a to b.
// Both ends exist already (upsert_people or ensure_people ran first).
UNWIND $rows AS r
MATCH (a:Person {workspace: $workspace, id: r.a})
MATCH (b:Person {workspace: $workspace, id: r.b})
MERGE (a)-[k:KNOWS {workspace: $workspace, owner: r.owner}]->(b)
SET k.data = r.data, k.interactions = r.interactions
