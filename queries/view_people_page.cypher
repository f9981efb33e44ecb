// One page of a workspace's people in id order, for the streamed planning-view build:
// a list per column in one record (Bolt pays per record). Stubs are in the page, so its
// id range covers every tie's first end; the caller keeps them out of the people.
// coalesce: collect() skips nulls, and the columns must stay parallel. Ordering by both
// key properties lets the planner read the (workspace, id) index in order and stop at
// $limit (ordering by id alone sorts the whole rest of the workspace for every page).
MATCH (p:Person {workspace: $workspace})
WHERE p.id > $after
WITH p ORDER BY p.workspace, p.id LIMIT $limit
RETURN collect(p.id) AS id, collect(p.stub IS NOT NULL) AS stub,
       collect(coalesce(p.name, '')) AS name, collect(coalesce(p.company, '')) AS company,
       collect(coalesce(p.position, '')) AS position, collect(coalesce(p.email, '')) AS email,
       collect(coalesce(p.url, '')) AS url, collect(coalesce(p.schools, [])) AS schools,
       collect(coalesce(p.employers, [])) AS employers
