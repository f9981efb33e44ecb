// Id, normalised company and normalised name of the described people at these
// normalised companies: the caller keeps those in a fuzzy block (a name token) and reads
// them by id.
UNWIND $companies AS value
MATCH (p:Person {workspace: $workspace, company_norm: value})
WHERE p.stub IS NULL
RETURN collect([p.id, value, p.name_key]) AS rows
