// Which of a later write's evidence ends no batch person names are stored in the
// workspace (stubs too), with their elementIds: the others are created as stubs, and ties
// are MERGEd only between stored ends (Store.apply holds the workspace's lock, so this
// stays true until it commits).
UNWIND $rows AS id
MATCH (p:Person {workspace: $workspace, id: id})
RETURN collect(id) AS ids, collect(elementId(p)) AS refs
