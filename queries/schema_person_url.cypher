CREATE INDEX person_url IF NOT EXISTS FOR (p:Person) ON (p.workspace, p.url)
