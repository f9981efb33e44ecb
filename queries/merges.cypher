MATCH (g:Merge {workspace: $workspace})
RETURN g.kept AS kept, g.merged AS merged, g.reason AS reason
ORDER BY kept, merged
