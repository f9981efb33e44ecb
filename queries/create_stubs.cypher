// A first write's evidence ends no batch described, as ensure_people makes them (stubs,
// hidden from every person query), but CREATEd: nothing is stored in the workspace yet.
// Returns elementIds as create_people does.
UNWIND $rows AS id
CREATE (p:Person {workspace: $workspace, id: id, stub: true})
RETURN collect(id) AS ids, collect(elementId(p)) AS refs
