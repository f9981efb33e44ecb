// People not stored in the workspace yet (a first write, or those people_refs did not
// find; apply holds the workspace's lock): CREATE, with no per-row MERGE lookup. Same properties as upsert_people,
// except that an empty list, email or URL comes as null and is not stored (no index entry;
// every read gives it back empty, as for a neo4j-admin import's empty lists). Returns each
// node's elementId beside its id (two lists collected from the same rows, so they line
// up), for create_evidence_refs.
UNWIND $rows AS r
CREATE (p:Person {
  workspace: $workspace, id: r.id, name: r.name, company: r.company, position: r.position,
  email: r.email, url: r.url, schools: r.schools, employers: r.employers,
  name_key: r.name_key, company_norm: r.company_norm
})
RETURN collect(r.id) AS ids, collect(elementId(p)) AS refs
