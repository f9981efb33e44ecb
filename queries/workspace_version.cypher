OPTIONAL MATCH (w:Workspace {name: $workspace})
RETURN coalesce(w.version, 0) AS version
