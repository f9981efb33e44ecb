// Fill in name_key and company_norm (see people_without_keys).
UNWIND $rows AS r
MATCH (p:Person {workspace: $workspace, id: r.id})
SET p.name_key = r.name_key, p.company_norm = r.company_norm
