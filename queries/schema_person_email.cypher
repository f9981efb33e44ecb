CREATE INDEX person_email IF NOT EXISTS FOR (p:Person) ON (p.workspace, p.email)
