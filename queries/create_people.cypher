// A first write into a workspace (nobody is stored there yet, and apply holds the
// workspace's lock): CREATE, with no per-row MERGE lookup. Same properties as upsert_people.
UNWIND $rows AS r
CREATE (:Person {
  workspace: $workspace, id: r.id, name: r.name, company: r.company, position: r.position,
  email: r.email, url: r.url, schools: r.schools, employers: r.employers
})
