// Which of the ids are stored in the workspace (stubs too), with their elementIds: a
// later write CREATEs the people and ties that cannot exist yet and MERGEs only the rest
// (Store.apply holds the workspace's lock, so this stays true until it commits).
UNWIND $rows AS id
MATCH (p:Person {workspace: $workspace, id: id})
RETURN collect(id) AS ids, collect(elementId(p)) AS refs
