CREATE CONSTRAINT person_key IF NOT EXISTS FOR (p:Person) REQUIRE (p.workspace, p.id) IS UNIQUE
