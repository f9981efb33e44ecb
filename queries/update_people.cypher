// A later write's people that are stored in the workspace (stubs too): the rule of
// upsert_people (new non-empty values win; a stub becomes a real person), found by one
// (workspace, id) seek each, and their elementIds returned (two lists, as create_people
// does); the ids it does not find are the ones to CREATE. Store.apply holds the
// workspace's lock, so the answer stays true until it commits.
UNWIND $rows AS r
MATCH (p:Person {workspace: $workspace, id: r.id})
SET p.name = CASE WHEN r.name <> '' THEN r.name ELSE coalesce(p.name, '') END,
    p.company = CASE WHEN r.company <> '' THEN r.company ELSE coalesce(p.company, '') END,
    p.position = CASE WHEN r.position <> '' THEN r.position ELSE coalesce(p.position, '') END,
    p.email = CASE WHEN r.email <> '' THEN r.email ELSE coalesce(p.email, '') END,
    p.url = CASE WHEN r.url <> '' THEN r.url ELSE coalesce(p.url, '') END,
    p.schools = CASE WHEN size(r.schools) > 0 THEN r.schools ELSE coalesce(p.schools, []) END,
    p.employers = CASE WHEN size(r.employers) > 0 THEN r.employers ELSE coalesce(p.employers, []) END,
    p.stub = null
RETURN collect(r.id) AS ids, collect(elementId(p)) AS refs
