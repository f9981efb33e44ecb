// Benchmark "before" only (scripts/bench_neo4j.py --before 240b933): a first write's ties
// one row each, two index seeks per tie. The store now sends create_evidence_grouped.
UNWIND $rows AS r
MATCH (a:Person {workspace: $workspace, id: r.a})
MATCH (b:Person {workspace: $workspace, id: r.b})
CREATE (a)-[:KNOWS {workspace: $workspace, owner: r.owner, data: r.data, interactions: r.interactions}]->(b)
