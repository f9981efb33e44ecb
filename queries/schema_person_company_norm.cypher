// People by normalised company (graph.identity.normalize_company): the identity
// resolver's fuzzy blocks (people_in_companies).
CREATE INDEX person_company_norm IF NOT EXISTS FOR (p:Person) ON (p.workspace, p.company_norm)
