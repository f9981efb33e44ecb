// Benchmark only (scripts/bench_neo4j.py, server with apoc-core): the cost property
// apoc.algo.dijkstra sums, -ln strength. Every benchmark tie is an explicit rating, and
// a rating is the tie's strength once kept within [$floor, 1] (graph.strength).
MATCH (a:Person {workspace: $workspace})-[k:KNOWS]->(:Person)
WHERE a.id IS NOT NULL
CALL (k) {
  WITH k, apoc.convert.fromJsonMap(k.data).rating AS rating
  SET k.cost = -log(CASE WHEN rating < $floor THEN $floor WHEN rating > 1.0 THEN 1.0 ELSE rating END)
} IN TRANSACTIONS OF 50000 ROWS
