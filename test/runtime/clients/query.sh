curl -X POST https://api.abscore.app/v1/events/query \
-H "Authorization: Bearer abs_pat_7f2b9a...1c3e8" \
-H "Content-Type: application/json" \
-d '{"limit": 100}'
