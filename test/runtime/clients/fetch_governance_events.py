import os
import httpx
async def fetch_governance_events():
    url = "https://api.abscore.app/v1/events/query"
    headers = {
        "Authorization": f"Bearer {os.environ.get('ABS_PAT_TOKEN')}",
        "Content-Type": "application/json"
    }
    async with httpx.AsyncClient() as client:
        response = await client.post(url, headers=headers, json={"limit": 50})
        # Handle Rate Limits cleanly
        if response.status_code == 429:
            retry_after = response.headers.get("retry-after", 60)
            print(f"Rate limited. Backing off for {retry_after}s")
            return None
        response.raise_for_status()
        return response.json()
