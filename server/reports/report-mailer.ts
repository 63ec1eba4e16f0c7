import nodemailer, { type Transporter } from 'nodemailer';

export interface MailerSettings {
  from: string;
  smtp: { host: string; port: number; secure: boolean; user: string; password: string; timeoutMs: number };
}

export interface ReportMail {
  to: string[];
  subject: string;
  html: string;
  pdf?: { filename: string; content: Buffer };
}

/** Report emails through the configured SMTP server (the same settings alerts use). */
export class ReportMailer {
  private readonly mailer: Transporter | undefined;

  constructor(private readonly s: MailerSettings) {
    if (s.smtp.host) {
      this.mailer = nodemailer.createTransport({
        host: s.smtp.host, port: s.smtp.port, secure: s.smtp.secure,
        auth: s.smtp.user ? { user: s.smtp.user, pass: s.smtp.password } : undefined,
        connectionTimeout: s.smtp.timeoutMs, greetingTimeout: s.smtp.timeoutMs, socketTimeout: s.smtp.timeoutMs,
      });
    }
  }

  /** Throws when there is no SMTP server or it refuses; the runner records why. */
  async send(m: ReportMail): Promise<void> {
    if (!this.mailer) throw new Error('no SMTP server configured (smtp.host)');
    await this.mailer.sendMail({
      from: this.s.from, to: m.to, subject: m.subject, html: m.html,
      attachments: m.pdf ? [{ filename: m.pdf.filename, content: m.pdf.content, contentType: 'application/pdf' }] : [],
    });
  }

  close(): void {
    this.mailer?.close();
  }
}
