import { spawnSync } from 'node:child_process';
import fs from 'node:fs';

/** Where the browser journeys expect Debian's Chromium (CHROMIUM_PATH overrides). */
export function chromiumPath(): string {
  return process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
}

const INSTALL_COMMAND = 'apt-get update && apt-get install -y chromium';

/**
 * Makes `npm test` pass on a fresh machine: installs Debian's Chromium when it is missing and this process may
 * (root, with apt-get), and otherwise stops at once with the command to run. Never downloads a browser build.
 */
export default function ensureChromium(): void {
  const executable = chromiumPath();
  if (fs.existsSync(executable)) return;
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const hasApt = spawnSync('sh', ['-c', 'command -v apt-get'], { encoding: 'utf8' }).status === 0;
  if (!isRoot || !hasApt || process.env.CHROMIUM_PATH) {
    throw new Error(
      `Browser tests need Chromium at ${executable}. Install it with:\n  sudo sh -c '${INSTALL_COMMAND}'\nor set CHROMIUM_PATH.`,
    );
  }
  process.stdout.write(`Chromium is missing: installing Debian's package (${INSTALL_COMMAND})…\n`);
  const result = spawnSync('sh', ['-c', INSTALL_COMMAND], {
    stdio: ['ignore', 'inherit', 'inherit'],
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
  if (result.status !== 0 || !fs.existsSync(executable)) {
    throw new Error(`Installing Chromium failed (exit ${String(result.status)}). Run it yourself:\n  ${INSTALL_COMMAND}`);
  }
}
