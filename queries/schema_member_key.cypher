CREATE CONSTRAINT member_key IF NOT EXISTS FOR (m:Member) REQUIRE (m.workspace, m.person_id) IS UNIQUE
