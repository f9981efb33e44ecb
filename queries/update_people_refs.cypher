// upsert_people for people known to be stored, named by elementId (people_refs): the
// same rule (new non-empty values win; a stub becomes a real person), no index seek.
UNWIND $rows AS r
MATCH (p) WHERE elementId(p) = r.ref
SET p.name = CASE WHEN r.name <> '' THEN r.name ELSE coalesce(p.name, '') END,
    p.company = CASE WHEN r.company <> '' THEN r.company ELSE coalesce(p.company, '') END,
    p.position = CASE WHEN r.position <> '' THEN r.position ELSE coalesce(p.position, '') END,
    p.email = CASE WHEN r.email <> '' THEN r.email ELSE coalesce(p.email, '') END,
    p.url = CASE WHEN r.url <> '' THEN r.url ELSE coalesce(p.url, '') END,
    p.schools = CASE WHEN size(r.schools) > 0 THEN r.schools ELSE coalesce(p.schools, []) END,
    p.employers = CASE WHEN size(r.employers) > 0 THEN r.employers ELSE coalesce(p.employers, []) END,
    p.name_key = CASE WHEN r.name <> '' THEN r.name_key ELSE coalesce(p.name_key, '') END,
    p.company_norm = CASE WHEN r.company <> '' THEN r.company_norm ELSE coalesce(p.company_norm, '') END,
    p.stub = null
