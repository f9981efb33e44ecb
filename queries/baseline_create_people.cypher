// Benchmark baseline only (scripts/bench_neo4j.py): the published plain-UNWIND load,
// CREATE without MERGE, into a fresh workspace.
UNWIND $rows AS r
CREATE (:Person {workspace: $workspace, id: r.id, name: r.name})
