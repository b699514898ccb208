/** Browsers in the order they must be looked for: each names itself, then the browsers it is built on. */
const BROWSERS: readonly { name: string; pattern: RegExp }[] = [
  { name: 'Edge', pattern: /\bEdg(?:e|A|iOS)?\/(\d+)/ },
  { name: 'Opera', pattern: /\b(?:OPR|Opera)\/(\d+)/ },
  { name: 'Samsung Internet', pattern: /\bSamsungBrowser\/(\d+)/ },
  { name: 'Firefox', pattern: /\b(?:Firefox|FxiOS)\/(\d+)/ },
  { name: 'Chrome', pattern: /\b(?:Chrome|CriOS)\/(\d+)/ },
  { name: 'Safari', pattern: /\bVersion\/(\d+)(?:\.\d+)*(?: Mobile\/\S+)? Safari\// },
];

/** Systems in the order they must be looked for (an iPhone's agent also says "like Mac OS X"; Android's says Linux). */
const SYSTEMS: readonly { name: string; pattern: RegExp }[] = [
  { name: 'iPhone', pattern: /\biPhone\b/ },
  { name: 'iPad', pattern: /\biPad\b/ },
  { name: 'Android', pattern: /\bAndroid\b/ },
  { name: 'Windows', pattern: /\bWindows\b/ },
  { name: 'ChromeOS', pattern: /\bCrOS\b/ },
  { name: 'macOS', pattern: /\bMac OS X\b|\bMacintosh\b/ },
  { name: 'Linux', pattern: /\bLinux\b/ },
];

/**
 * A browser's user-agent string in words a person recognises: "Chrome 131 on Windows", "Safari 17 on iPhone".
 * Only the browser's name, major version and system are read; an agent that names none of them is "Unknown browser".
 */
export function describeUserAgent(userAgent: string | null | undefined): string {
  if (!userAgent) return 'Unknown browser';
  const browser = BROWSERS.map(({ name, pattern }) => ({ name, match: pattern.exec(userAgent) })).find(({ match }) => match);
  const system = SYSTEMS.find(({ pattern }) => pattern.test(userAgent))?.name;
  if (!browser) return system ? `A browser on ${system}` : 'Unknown browser';
  const named = `${browser.name} ${browser.match?.[1] ?? ''}`.trim();
  return system ? `${named} on ${system}` : named;
}
