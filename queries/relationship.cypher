MATCH (:Person {workspace: $workspace, id: $a})-[k:KNOWS]->(:Person {workspace: $workspace, id: $b})
RETURN k.owner AS owner, k.data AS data
ORDER BY owner
