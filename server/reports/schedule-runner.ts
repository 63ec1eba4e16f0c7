import type { Logger } from '../core/logger.js';
import type { PdfRenderer } from './pdf.js';
import type { Period } from './period.js';
import type { ReportMailer } from './report-mailer.js';
import type { Report, ReportService } from './report-service.js';
import type { ScheduleService } from './schedule-service.js';
import type { Schedule } from './schemas.js';

/** A report as a self-contained HTML page, and the subject line of its email. */
export type ReportRenderer = (report: Report, language: string) => { subject: string; html: string };

export interface ScheduleRunnerDeps {
  schedules: ScheduleService;
  reports: ReportService;
  render: ReportRenderer;
  pdf: PdfRenderer;
  mailer: ReportMailer;
  log: Logger;
}

/** The value a period is asked for by: the day, a day of the week, or the month. */
export const periodValue = (p: Period): string => (p.kind === 'monthly' ? p.key : p.from);

/**
 * Sends the reports that are due. The caller holds the jobs' Redis lock, so one instance
 * runs it at a time; `markSent` is conditional as well, so a period goes out once.
 */
export class ScheduleRunner {
  constructor(private readonly d: ScheduleRunnerDeps) {}

  async runDue(now = Date.now()): Promise<number> {
    let sent = 0;
    for (const { schedule, period } of await this.d.schedules.due(now)) {
      if (await this.send(schedule, period, now)) sent += 1;
    }
    return sent;
  }

  private async send(s: Schedule, period: Period, now: number): Promise<boolean> {
    const log = this.d.log.child({ scheduleId: s.id, period: period.key });
    try {
      const report = await this.d.reports.build(period.kind, periodValue(period));
      const { subject, html } = this.d.render(report, s.language);
      const pdf = await this.d.pdf.render(html);
      // Without Chromium the email still goes, as HTML only; the log says why.
      if ('reason' in pdf) log.warn({ reason: pdf.reason }, 'report emailed without a PDF');
      await this.d.mailer.send({
        to: s.recipients, subject, html,
        pdf: 'pdf' in pdf ? { filename: `report-${period.kind}-${period.key}.pdf`, content: pdf.pdf } : undefined,
      });
      await this.d.schedules.markSent(s, period, new Date(now));
      log.info({ recipients: s.recipients.length, pdf: 'pdf' in pdf }, 'report emailed');
      return true;
    } catch (err) {
      log.warn({ err: (err as Error).message }, 'report email failed, will retry next run');
      await this.d.schedules.markFailed(s, (err as Error).message).catch(() => undefined);
      return false;
    }
  }
}
