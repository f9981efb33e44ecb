// Benchmark baseline only (scripts/bench_neo4j.py): the plain-UNWIND load sending the
// same ties as Store.apply (owner, the evidence document, interactions), two index
// seeks and a CREATE per row, no MERGE.
UNWIND $rows AS r
MATCH (a:Person {workspace: $workspace, id: r.a})
MATCH (b:Person {workspace: $workspace, id: r.b})
CREATE (a)-[:KNOWS {workspace: $workspace, owner: r.owner, data: r.data, interactions: r.interactions}]->(b)
