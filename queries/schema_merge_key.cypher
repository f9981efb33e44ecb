CREATE CONSTRAINT merge_key IF NOT EXISTS FOR (g:Merge) REQUIRE (g.workspace, g.merged) IS UNIQUE
