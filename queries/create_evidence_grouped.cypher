// Benchmark "before" only (scripts/bench_neo4j.py --before): apply now sends
// create_evidence_refs. A first write into a workspace, as create_evidence, with the ties grouped by their
// first end: one index seek per first end instead of one per tie (a team's ties fan
// out of few people: members and hubs). Rows: {a, ties: [{b, owner, data, interactions}]}.
UNWIND $rows AS r
MATCH (a:Person {workspace: $workspace, id: r.a})
UNWIND r.ties AS t
MATCH (b:Person {workspace: $workspace, id: t.b})
CREATE (a)-[:KNOWS {workspace: $workspace, owner: t.owner, data: t.data, interactions: t.interactions}]->(b)
