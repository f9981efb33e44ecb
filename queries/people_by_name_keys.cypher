// Described people whose normalised name is one of $names, as one list (see
// people_by_ids).
UNWIND $names AS value
MATCH (p:Person {workspace: $workspace, name_key: value})
WHERE p.stub IS NULL
RETURN collect(p {.id, .name, .company, .position, .email, .url, .schools, .employers}) AS people
