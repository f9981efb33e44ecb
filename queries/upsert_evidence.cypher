// One KNOWS relationship per owner, directed from the canonical first end a to b.
UNWIND $rows AS r
MERGE (a:Person {workspace: $workspace, id: r.a})
  ON CREATE SET a.name = r.a, a.company = '', a.position = '', a.email = '', a.url = '', a.schools = [], a.employers = []
MERGE (b:Person {workspace: $workspace, id: r.b})
  ON CREATE SET b.name = r.b, b.company = '', b.position = '', b.email = '', b.url = '', b.schools = [], b.employers = []
MERGE (a)-[k:KNOWS {workspace: $workspace, owner: r.owner}]->(b)
SET k.data = r.data, k.interactions = r.interactions
