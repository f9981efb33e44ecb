MATCH (g:Merge {workspace: $workspace})
WHERE g.merged IS NOT NULL AND (g.kept = $id OR g.merged = $id)
DELETE g
