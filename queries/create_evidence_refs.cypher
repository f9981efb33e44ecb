// Ties that cannot exist yet (one end is a node this write created), as
// create_evidence_grouped, but both ends named by elementId (create_people,
// create_stubs and people_refs return them): a direct node lookup instead of a
// (workspace, id) index seek per end. Rows: {a, ties: [{b, owner, data, interactions}]}.
UNWIND $rows AS r
MATCH (a) WHERE elementId(a) = r.a
UNWIND r.ties AS t
MATCH (b) WHERE elementId(b) = t.b
CREATE (a)-[:KNOWS {workspace: $workspace, owner: t.owner, data: t.data, interactions: t.interactions}]->(b)
