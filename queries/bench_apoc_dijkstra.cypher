// Benchmark only (scripts/bench_neo4j.py): what a Neo4j user would run instead of the
// planner; no hop limit and no privacy mask. Parallel KNOWS (one per owner) each cost
// -ln of their own rating; the cheapest is the tie's (a merged tie keeps the top rating).
MATCH (s:Person {workspace: $workspace, id: $source})
MATCH (t:Person {workspace: $workspace, id: $target})
CALL apoc.algo.dijkstra(s, t, 'KNOWS', 'cost') YIELD path, weight
RETURN [n IN nodes(path) | n.id] AS ids, weight
LIMIT 1
