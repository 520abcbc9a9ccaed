/**
 * Debian's headless Chromium, driven by playwright-core, for tests that open a
 * page for real. playwright never downloads a browser here: the system's
 * /usr/bin/chromium (scripts/system-deps.sh installs it) is the only one used.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';

export const CHROMIUM_PATH = '/usr/bin/chromium';

const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** A fresh browser (its own user-data-dir); `close` also removes that folder. Throws, saying how to install it, when Chromium is missing. */
export async function launchChromium(executablePath = CHROMIUM_PATH): Promise<{ context: BrowserContext; close: () => Promise<void> }> {
  if (!existsSync(executablePath)) {
    throw new Error(`${executablePath} not found: the browser tests need Debian's chromium; run scripts/system-deps.sh (as root or with sudo) to install it`);
  }
  const profile = mkdtempSync(join(tmpdir(), 'spanrel-chromium-'));
  const context = await chromium.launchPersistentContext(profile, { executablePath, headless: true, args: ARGS });
  return {
    context,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
