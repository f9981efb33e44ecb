// A first write into a workspace: every (pair, owner) is new and unique in the batch
// (apply keeps the last row of each, as MERGE ... SET would), so CREATE, no MERGE.
UNWIND $rows AS r
MATCH (a:Person {workspace: $workspace, id: r.a})
MATCH (b:Person {workspace: $workspace, id: r.b})
CREATE (a)-[:KNOWS {workspace: $workspace, owner: r.owner, data: r.data, interactions: r.interactions}]->(b)
