// Benchmark baseline only (scripts/bench_neo4j.py): the published plain-UNWIND load,
// two index seeks and a CREATE per row, no MERGE, no evidence document.
UNWIND $rows AS r
MATCH (a:Person {workspace: $workspace, id: r.a})
MATCH (b:Person {workspace: $workspace, id: r.b})
CREATE (a)-[:KNOWS {workspace: $workspace, owner: r.owner, rating: r.rating}]->(b)
