// Evidence may name someone no batch described; the embedded store keeps such ends
// out of the people list, so here they are stubs, hidden from every person query.
UNWIND $ids AS id
MERGE (p:Person {workspace: $workspace, id: id})
  ON CREATE SET p.stub = true
