// Which of a later write's people are stored in the workspace (stubs too), with their
// elementIds and the properties update_people_refs would change: the write then updates
// only the people whose stored values would differ (Store.apply holds the workspace's
// lock, so this stays true until it commits). A missing property comes back as null.
UNWIND $rows AS id
MATCH (p:Person {workspace: $workspace, id: id})
RETURN collect(id) AS ids, collect(elementId(p)) AS refs,
       collect(p {.name, .company, .position, .email, .url, .schools, .employers, .stub}) AS stored
