// For secure Edge or Server Actions in Next.js
export async function getEvents() {
  const response = await fetch('https://api.abscore.app/v1/events/query', {
    method: 'POST',
    headers: {
      Authorization: `Bearer ${process.env.ABS_PAT_TOKEN}`,
      'Content-Type': 'application/json',
    },
    body: JSON.stringify({ limit: 10 }),
  });
  if (!response.ok) {
    if (response.status === 401) throw new Error('Invalid PAT token or expired.');
    if (response.status === 403) throw new Error('PAT lacks required scopes.');
    throw new Error(`API Error: ${response.statusText}`);
  }
  return response.json();
}
