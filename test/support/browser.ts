// Debian's Chromium driven by playwright-core, as a user would see our pages.
import { chromium, type Browser } from 'playwright-core';

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-background-networking',
      // The tests only talk to 127.0.0.1, which Chromium never sends through a proxy.
      // Everything else (Google sign-in, autofill, component updates, which Debian's
      // Chromium asks for even with the switches above) goes to a closed local port,
      // so a test run sends nothing off the machine and ignores any http_proxy.
      '--proxy-server=http://127.0.0.1:9',
    ],
  });
}
