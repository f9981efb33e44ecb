// People by normalised name (graph.identity.normalize_name): an import's identity
// resolution reads only the people its file could name (people_by_name_keys).
CREATE INDEX person_name_key IF NOT EXISTS FOR (p:Person) ON (p.workspace, p.name_key)
