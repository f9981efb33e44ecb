// Stored ties whose document or interactions a later write changes, named by elementId
// (stored_ties_refs): upsert_evidence's SET without its MERGE. Rows: {ref, data,
// interactions}.
UNWIND $rows AS r
MATCH ()-[k]->() WHERE elementId(k) = r.ref
SET k.data = r.data, k.interactions = r.interactions
