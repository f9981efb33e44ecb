// The ties whose canonical first end lies in one page of people (ids in ($after, $last]),
// as four parallel lists in one record: the streamed planning-view build reads a
// workspace's evidence page by page so it never holds the whole of it as raw rows.
MATCH (a:Person {workspace: $workspace})-[k:KNOWS]->(b:Person)
WHERE a.id > $after AND a.id <= $last
RETURN collect(a.id) AS a, collect(b.id) AS b, collect(k.owner) AS owner, collect(k.data) AS data
