// Evidence ends no batch described and the workspace does not store (people_refs), as
// ensure_people makes them (stubs, hidden from every person query), but CREATEd.
// Returns elementIds as create_people does.
UNWIND $rows AS id
CREATE (p:Person {workspace: $workspace, id: id, stub: true})
RETURN collect(id) AS ids, collect(elementId(p)) AS refs
