// A first write into a workspace, as create_evidence_grouped, but the ends are the nodes
// this transaction just created, named by the elementIds create_people and create_stubs
// returned: a direct node lookup instead of a (workspace, id) index seek per end.
// Rows: {a, ties: [{b, owner, data, interactions}]}, a and b elementIds.
UNWIND $rows AS r
MATCH (a) WHERE elementId(a) = r.a
UNWIND r.ties AS t
MATCH (b) WHERE elementId(b) = t.b
CREATE (a)-[:KNOWS {workspace: $workspace, owner: t.owner, data: t.data, interactions: t.interactions}]->(b)
