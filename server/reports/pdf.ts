import { existsSync } from 'node:fs';
import { chromium } from 'playwright-core';
import type { Logger } from '../core/logger.js';

export interface PdfSettings {
  chromiumPath: string;
  timeoutMs: number;
}

export type PdfResult = { pdf: Buffer } | { reason: string };

/**
 * A printable page to an A4 PDF in headless Chromium, where Chromium is installed. The page
 * is self-contained, so it is set as content (no server round trip, no network) and scripts
 * are off. One browser per PDF: reports are a few a day, and nothing lingers between them.
 */
export class PdfRenderer {
  /** One Chromium at a time per instance: a burst of downloads queues instead of starting a browser each. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly s: PdfSettings, private readonly log: Logger) {}

  available(): boolean {
    return existsSync(this.s.chromiumPath);
  }

  render(html: string): Promise<PdfResult> {
    if (!this.available()) return Promise.resolve({ reason: `no Chromium at ${this.s.chromiumPath} (reports.chromiumPath)` });
    const run = this.queue.then(() => this.renderNow(html));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async renderNow(html: string): Promise<PdfResult> {
    let browser: Awaited<ReturnType<typeof chromium.launch>> | undefined;
    try {
      browser = await chromium.launch({
        executablePath: this.s.chromiumPath, timeout: this.s.timeoutMs,
        args: ['--headless', '--no-sandbox', '--disable-background-networking'],
      });
      const context = await browser.newContext({ javaScriptEnabled: false });
      const page = await context.newPage();
      await page.setContent(html, { waitUntil: 'load', timeout: this.s.timeoutMs });
      return { pdf: await page.pdf({ format: 'A4', printBackground: true, preferCSSPageSize: true }) };
    } catch (err) {
      this.log.warn({ err: (err as Error).message }, 'report PDF failed');
      return { reason: `Chromium failed: ${(err as Error).message.split('\n', 1)[0]}` };
    } finally {
      await browser?.close().catch(() => undefined);
    }
  }
}
