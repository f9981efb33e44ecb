// Each write bumps the workspace's version. Store.apply runs it first: the write lock
// on the Workspace node then queues the workspace's writers until this one commits,
// and a returned version of 1 means nothing was ever written there.
MERGE (w:Workspace {name: $workspace})
SET w.version = coalesce(w.version, 0) + 1
RETURN w.version AS version
