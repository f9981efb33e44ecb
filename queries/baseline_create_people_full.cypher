// Benchmark baseline only (scripts/bench_neo4j.py): the plain-UNWIND load sending the
// same people as Store.apply's first write (every property create_people stores, empty
// ones as null), CREATE without MERGE, into a fresh workspace.
UNWIND $rows AS r
CREATE (:Person {
  workspace: $workspace, id: r.id, name: r.name, company: r.company, position: r.position,
  email: r.email, url: r.url, schools: r.schools, employers: r.employers
})
