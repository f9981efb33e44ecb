UNWIND $rows AS r
MERGE (g:Merge {workspace: $workspace, merged: r.merged})
SET g.kept = r.kept, g.reason = r.reason
