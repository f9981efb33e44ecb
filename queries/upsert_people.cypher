// Benchmark "before" only (scripts/bench_neo4j.py --before): apply now looks people up
// once (people_refs) and sends update_people_refs and create_people. New non-empty values
// win; empty ones keep what is stored (same as the embedded store).
// A stub (a node made only because evidence named it) becomes a real person here.
UNWIND $rows AS r
MERGE (p:Person {workspace: $workspace, id: r.id})
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
