// The agent desk in Chromium for the screen-pop benchmark: one agent user per measured
// bench phone, each signed in on its own /desk page in a separate browser context, with
// a watcher injected before the page's own script that notes when the card shows a
// caller number.
import type { Knex } from 'knex';
import type { Browser, Page } from 'playwright-core';
import { UsersRepository } from '../../../server/users/users-repository.js';
import { hashPassword } from '../../../server/users/password.js';
import { TEST_HTTP_PORT } from '../../../test/support/config.js';

const base = `http://127.0.0.1:${TEST_HTTP_PORT}`;
const PASSWORD = 'bench-agent-password';

/**
 * Runs in the page before desk.js. Each time #card is shown, or shows another caller
 * number while shown, it records performance.now() for that number twice: `dom`, in the
 * MutationObserver callback (desk.js has just un-hidden and filled the card; the
 * observer runs right after the event handler), and `frame`, from a task queued in the
 * next animation frame's callback, which Chromium runs after that frame's style, layout
 * and paint: the card is on screen by then. The page's clock is turned into wall-clock
 * time afterwards (pageWallOffset), so the times read here never drift with NTP.
 * Plain text, not a function: tsx would wrap a function's inner functions in helpers the
 * page does not have.
 */
const POP_WATCHER = `(() => {
  const pops = (window.__pops = {});
  const start = () => {
    const card = document.getElementById('card');
    const number = document.getElementById('card-number');
    if (!card || !number) return;
    const check = () => {
      const n = (number.textContent || '').trim();
      if (card.hidden || !n || pops[n]) return;
      const rec = { dom: performance.now() };
      pops[n] = rec;
      requestAnimationFrame(() => setTimeout(() => { rec.frame = performance.now(); }, 0));
    };
    new MutationObserver(check).observe(card, { attributes: true, attributeFilter: ['hidden'], childList: true, characterData: true, subtree: true });
  };
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();`;

export interface DeskPage {
  extension: string;
  agentId: number;
  page: Page;
}

/** Agent users bench<ext> for the given agents, linked to them as the desk needs (agents.user_id). */
export async function createAgentUsers(db: Knex, agents: Array<{ extension: string; agentId: number }>): Promise<void> {
  // Straight to the table: the bench's own fixtures need no audit trail or password rules.
  const users = new UsersRepository(db);
  const passwordHash = await hashPassword(PASSWORD);
  for (const a of agents) {
    const user = await users.insert({ username: `bench${a.extension}`, passwordHash, role: 'agent', displayName: `Bench ${a.extension}`, locale: 'en' });
    await db('agents').where({ id: a.agentId }).update({ user_id: user.id });
  }
}

/** Signs the agent in on a fresh context's /desk (setDeskState then shows the feed is live). */
export async function openDesk(browser: Browser, a: { extension: string; agentId: number }): Promise<DeskPage> {
  const context = await browser.newContext({ locale: 'en-US' });
  await context.addInitScript({ content: POP_WATCHER });
  const page = await context.newPage();
  await page.goto(`${base}/login`);
  await page.fill('#username', `bench${a.extension}`);
  await page.fill('#password', PASSWORD);
  await page.click('#login-submit');
  await page.waitForURL(`${base}/desk`);
  return { ...a, page };
}

/**
 * The desk's own call for the agent's state (what the Ready and Pause buttons send), from
 * the page; then waits for the page to show it, which only the live feed can make it do.
 */
export async function setDeskState(d: DeskPage, state: 'ready' | 'paused'): Promise<void> {
  await d.page.evaluate(async (s) => {
    const desk = (window as unknown as { ccDesk: { post(url: string, body: unknown): Promise<unknown> } }).ccDesk;
    await desk.post('/api/v1/desk/state', s === 'paused' ? { state: s, reason: 'break' } : { state: s });
  }, state);
  await d.page.waitForSelector(`#agent-state[data-value="${state}"]`, { timeout: 10000 });
}

export interface PopSeen { dom: number; frame: number }

/** When the card for `number` was seen (page clock, ms), once its frame has been drawn. */
export async function popSeen(d: DeskPage, number: string): Promise<PopSeen | undefined> {
  const rec = await d.page.evaluate((n) => (window as unknown as { __pops: Record<string, { dom: number; frame?: number }> }).__pops[n], number);
  return rec?.frame === undefined ? undefined : { dom: rec.dom, frame: rec.frame };
}

/**
 * Wall-clock ms minus the page's performance.now(), read now: the page spins until its
 * Date.now() ticks to the next millisecond and pairs that instant with performance.now().
 * Read within seconds of the pop it converts, so clock slewing between the two is nil.
 */
export async function pageWallOffset(d: DeskPage): Promise<number> {
  const offsets = await d.page.evaluate(() => {
    const out: number[] = [];
    for (let i = 0; i < 5; i++) {
      const start = Date.now();
      let now = start;
      while (now === start) now = Date.now();
      out.push(now - performance.now());
    }
    return out;
  });
  return offsets.sort((a, b) => a - b)[2] as number;
}

/** Whether the card is hidden again (the call is over and the agent back to ready). */
export async function cardClosed(d: DeskPage): Promise<boolean> {
  return d.page.locator('#card').isHidden();
}

/** What the page shows now, for a failed sample's message. */
export async function deskShows(d: DeskPage): Promise<string> {
  return d.page.evaluate(() => {
    const card = document.getElementById('card');
    const pops = (window as unknown as { __pops?: Record<string, unknown> }).__pops;
    return `state ${document.getElementById('agent-state')?.dataset.value}, card ${card?.hidden ? 'hidden' : 'shown'} `
      + `for ${document.getElementById('card-number')?.textContent}, seen ${JSON.stringify(pops)}, page ${document.visibilityState}`;
  });
}
