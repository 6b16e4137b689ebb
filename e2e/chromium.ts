import type { LaunchOptions } from '@playwright/test';

/** Debian's Chromium, never a downloaded browser; flags measured on these machines. */
export const CHROMIUM_PATH = process.env.HAFREC_CHROMIUM ?? '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
  '--enable-unsafe-webgpu',
] as const;

export function chromiumLaunch(): LaunchOptions {
  return { executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS], headless: true };
}
