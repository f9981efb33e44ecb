// Benchmark only (scripts/bench_neo4j.py, server with apoc-core): the cost property
// apoc.algo.dijkstra sums, -ln strength. Every benchmark tie is an explicit rating,
// and a rating is the tie's strength (graph.strength), so the cost is -ln rating.
MATCH (a:Person {workspace: $workspace})-[k:KNOWS]->(:Person)
WHERE a.id IS NOT NULL
CALL (k) {
  SET k.cost = -log(apoc.convert.fromJsonMap(k.data).rating)
} IN TRANSACTIONS OF 50000 ROWS
