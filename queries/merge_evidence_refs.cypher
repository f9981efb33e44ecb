// upsert_evidence for ties whose two ends were both stored before this write (only they
// can hold the tie already), the ends named by elementId (people_refs). Rows as
// create_evidence_refs: {a, ties: [{b, owner, data, interactions}]}.
UNWIND $rows AS r
MATCH (a) WHERE elementId(a) = r.a
UNWIND r.ties AS t
MATCH (b) WHERE elementId(b) = t.b
MERGE (a)-[k:KNOWS {workspace: $workspace, owner: t.owner}]->(b)
SET k.data = t.data, k.interactions = t.interactions
