MERGE (w:Workspace {name: $workspace})
SET w.version = coalesce(w.version, 0) + 1
RETURN w.version AS version
