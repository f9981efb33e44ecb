MATCH (:Person {workspace: $workspace})-[k:KNOWS {owner: $owner}]->(:Person)
DELETE k
