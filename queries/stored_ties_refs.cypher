// The stored ties among those a later write would otherwise MERGE (both ends stored
// before it; Store.apply holds the workspace's lock, so the answer stays true until it
// commits), with their owner, document and elementId: the write then CREATEs the
// missing ones, SETs only the changed ones by elementId and leaves the rest, with no
// MERGE. Rows: {a, bs: [elementId]}. The subquery gets both ends bound, so its expand
// reads the smaller end's relationships (as MERGE's own check does), never a hub's per
// row. One record of parallel lists (collect drops nulls, hence the coalesces; no
// interactions property means 0).
UNWIND $rows AS r
MATCH (a) WHERE elementId(a) = r.a
UNWIND r.bs AS ref
MATCH (b) WHERE elementId(b) = ref
CALL {
  WITH a, b
  MATCH (a)-[k:KNOWS {workspace: $workspace}]->(b)
  RETURN k
}
RETURN collect(r.a) AS a, collect(ref) AS b, collect(k.owner) AS owner,
       collect(coalesce(k.data, '')) AS data, collect(coalesce(k.interactions, 0)) AS interactions,
       collect(elementId(k)) AS refs
