import nodemailer, { type Transporter } from 'nodemailer';
import type { Logger } from '../core/logger.js';
import type { AlertNotice } from './schemas.js';

export interface NotifierSettings {
  webhookUrl: string;
  webhookTimeoutMs: number;
  emailTo: string[];
  emailFrom: string;
  smtp: { host: string; port: number; secure: boolean; user: string; password: string; timeoutMs: number };
}

/** One line a person reads in a mail subject or a chat message. */
export function describe(n: AlertNotice): string {
  const a = n.alert;
  const verb = n.kind === 'raised' ? 'ALERT' : 'cleared';
  return `[cc] ${verb}: ${a.ruleName} - ${a.label} (${a.kind} ${a.threshold}, value ${n.kind === 'raised' ? a.lastValue : a.peakValue})`;
}

/**
 * Sends raised and ended alerts to the webhook and by email. Both are fire-and-forget:
 * evaluation never waits for them, and a failure is logged, not retried (the alert is
 * stored and shown on the pages whatever happens to its notifications).
 */
export class AlertNotifier {
  private readonly mailer: Transporter | undefined;

  constructor(private readonly s: NotifierSettings, private readonly log: Logger) {
    if (s.smtp.host && s.emailTo.length) {
      this.mailer = nodemailer.createTransport({
        host: s.smtp.host, port: s.smtp.port, secure: s.smtp.secure,
        auth: s.smtp.user ? { user: s.smtp.user, pass: s.smtp.password } : undefined,
        connectionTimeout: s.smtp.timeoutMs, greetingTimeout: s.smtp.timeoutMs, socketTimeout: s.smtp.timeoutMs,
      });
    }
  }

  send(n: AlertNotice, channels: { webhook: boolean; email: boolean }): void {
    if (channels.webhook && this.s.webhookUrl) void this.webhook(n);
    if (channels.email && this.mailer) void this.email(n);
  }

  private async webhook(n: AlertNotice): Promise<void> {
    try {
      const res = await fetch(this.s.webhookUrl, {
        method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ...n, text: describe(n) }),
        signal: AbortSignal.timeout(this.s.webhookTimeoutMs),
      });
      if (!res.ok) this.log.warn({ alertId: n.alert.id, status: res.status }, 'alert webhook refused');
    } catch (err) {
      this.log.warn({ alertId: n.alert.id, err: (err as Error).message }, 'alert webhook failed');
    }
  }

  private async email(n: AlertNotice): Promise<void> {
    const a = n.alert;
    const text = [
      describe(n), '',
      `rule: ${a.ruleName} (${a.kind}, threshold ${a.threshold})`,
      `subject: ${a.label}`,
      `started: ${a.startedAt}`,
      ...(a.endedAt ? [`ended: ${a.endedAt}`] : []),
      `peak value: ${a.peakValue}`,
    ].join('\n');
    try {
      await this.mailer?.sendMail({ from: this.s.emailFrom, to: this.s.emailTo, subject: describe(n), text });
    } catch (err) {
      this.log.warn({ alertId: a.id, err: (err as Error).message }, 'alert email failed');
    }
  }

  close(): void {
    this.mailer?.close();
  }
}
