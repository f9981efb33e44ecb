MATCH (g:Merge {workspace: $workspace})
WHERE g.merged IS NOT NULL
RETURN g.kept AS kept, g.merged AS merged, g.reason AS reason
ORDER BY kept, merged
