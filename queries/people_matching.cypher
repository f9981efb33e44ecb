// Described people whose company and position contain the lower-cased filters
// (an empty filter matches everyone), as one list: the targets of a reach query.
MATCH (p:Person {workspace: $workspace})
WHERE p.id IS NOT NULL AND p.stub IS NULL
  AND toLower(p.company) CONTAINS $company
  AND toLower(p.position) CONTAINS $title
RETURN collect(p.id) AS ids
