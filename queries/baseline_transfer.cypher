// Benchmark baseline only (scripts/bench_neo4j.py): ship the rows and count them,
// so the import figure can be split into client/Bolt cost and server work.
UNWIND $rows AS r
RETURN count(r) AS rows
