import { hash } from 'node:crypto';

const STYLE =
  'body{font-family:system-ui,sans-serif;max-width:32rem;margin:4rem auto;padding:0 1rem;' +
  'color:#1f2328}h1{font-size:1.4rem}a{color:#0969da}';

/** The page allows exactly its own stylesheet and nothing else: no script, no image, no frame. */
export const PAGE_CSP =
  `default-src 'none'; style-src 'sha256-${hash('sha256', STYLE, 'base64')}'; ` +
  "frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/** A plain page telling a person why they are not signed in, with a way back. */
export function refusalPage(title: string, message: string, code: string): string {
  return [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(title)} · ABS Core</title><style>${STYLE}</style></head>`,
    `<body><main><h1>${escapeHtml(title)}</h1><p>${escapeHtml(message)}</p>`,
    `<p><a href="/">Back to sign in</a></p>`,
    `<p><small>Error code: ${escapeHtml(code)}</small></p></main></body></html>`,
  ].join('\n');
}

export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}
