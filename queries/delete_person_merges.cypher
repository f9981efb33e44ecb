MATCH (g:Merge {workspace: $workspace})
WHERE g.kept = $id OR g.merged = $id
DELETE g
