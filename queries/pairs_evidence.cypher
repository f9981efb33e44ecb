UNWIND $pairs AS pair
MATCH (:Person {workspace: $workspace, id: pair[0]})-[k:KNOWS]->(:Person {workspace: $workspace, id: pair[1]})
RETURN pair[0] AS a, pair[1] AS b, k.owner AS owner, k.data AS data
ORDER BY a, b, owner
