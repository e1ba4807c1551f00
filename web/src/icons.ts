const SVG = 'http://www.w3.org/2000/svg';

/** Stroke icons drawn in a 24-unit box; each is a list of path data. */
const PATHS = {
  shield: ['M12 3l8 3v6c0 4.5-3.2 8.4-8 9.9C7.2 20.4 4 16.5 4 12V6z', 'M9 12l2 2 4-4'],
  user: ['M12 12a4 4 0 1 0 0-8 4 4 0 0 0 0 8z', 'M4 21a8 8 0 0 1 16 0'],
  key: ['M15 7a4 4 0 1 1-3.9 4.9L4 19v2h3v-2h2v-2h2l1.1-1.1A4 4 0 0 1 15 7z', 'M16 9h.01'],
  activity: ['M3 12h4l3-8 4 16 3-8h4'],
  users: [
    'M9 11a4 4 0 1 0 0-8 4 4 0 0 0 0 8z',
    'M2 21a7 7 0 0 1 14 0',
    'M16 3.5a4 4 0 0 1 0 7',
    'M18 14.5a7 7 0 0 1 4 6.5',
  ],
  building: ['M4 21V5l8-3v19', 'M12 21V9l8 3v9', 'M2 21h20', 'M8 8v.01M8 12v.01M8 16v.01'],
  scroll: [
    'M6 3h11a3 3 0 0 1 3 3v2h-4',
    'M16 8v11a2 2 0 0 1-4 0v-1H4V6a3 3 0 0 1 3-3',
    'M8 8h4M8 12h4',
  ],
  logout: ['M15 4h3a2 2 0 0 1 2 2v12a2 2 0 0 1-2 2h-3', 'M10 17l-5-5 5-5', 'M5 12h11'],
  copy: ['M9 9h10v10a2 2 0 0 1-2 2H9a2 2 0 0 1-2-2V11a2 2 0 0 1 2-2z', 'M5 15V5a2 2 0 0 1 2-2h8'],
  check: ['M5 12l5 5 9-10'],
  alert: ['M12 3l9.5 17h-19z', 'M12 10v4', 'M12 17.5v.01'],
  info: ['M12 21a9 9 0 1 0 0-18 9 9 0 0 0 0 18z', 'M12 11v6', 'M12 7.5v.01'],
  plus: ['M12 5v14M5 12h14'],
  menu: ['M4 6h16M4 12h16M4 18h16'],
  close: ['M6 6l12 12M18 6L6 18'],
  github: [
    'M9 19c-4 1.4-4-2-6-2.5m12 5v-3.4a3 3 0 0 0-.8-2.3c2.7-.3 5.5-1.3 5.5-6a4.6 4.6 0 0 0-1.3-3.2' +
      ' 4.3 4.3 0 0 0-.1-3.2s-1-.3-3.4 1.3a11.6 11.6 0 0 0-6 0' +
      'C6.5 2.9 5.5 3.2 5.5 3.2a4.3 4.3 0 0' +
      ' 0-.1 3.2A4.6 4.6 0 0 0 4 9.6c0 4.6 2.8 5.6 5.5 6a3 3 0 0 0-.8 2.2V22',
  ],
  link: [
    'M10 14a4 4 0 0 0 6 0l3-3a4 4 0 0 0-6-6l-1 1',
    'M14 10a4 4 0 0 0-6 0l-3 3a4 4 0 0 0 6 6l1-1',
  ],
} as const;

export type IconName = keyof typeof PATHS;

export function icon(name: IconName, size = 18): SVGSVGElement {
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('width', String(size));
  svg.setAttribute('height', String(size));
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('focusable', 'false');
  svg.setAttribute('class', 'icon');
  for (const d of PATHS[name]) {
    const path = document.createElementNS(SVG, 'path');
    path.setAttribute('d', d);
    svg.appendChild(path);
  }
  return svg;
}
