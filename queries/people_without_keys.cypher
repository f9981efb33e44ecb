// Described people written before nodes carried name_key and company_norm (at most
// $limit): the store fills those in once per workspace and process.
MATCH (p:Person {workspace: $workspace})
WHERE p.stub IS NULL AND p.name_key IS NULL
RETURN collect([p.id, coalesce(p.name, ''), coalesce(p.company, '')])[..$limit] AS rows
