// A tiny SMTP server for tests: accepts every message and keeps it. Enough of RFC 5321
// for nodemailer (EHLO, MAIL, RCPT, DATA, QUIT, RSET, NOOP); no TLS, no auth.
import { createServer, type Server, type Socket } from 'node:net';

export interface ReceivedMail {
  from: string;
  to: string[];
  data: string;
}

export interface SmtpSink {
  port: number;
  mails: ReceivedMail[];
  close(): Promise<void>;
}

function session(socket: Socket, mails: ReceivedMail[]): void {
  let buffer = '';
  let inData = false;
  let mail: ReceivedMail = { from: '', to: [], data: '' };
  const reply = (line: string) => socket.write(`${line}\r\n`);
  const command = (line: string) => {
    const verb = line.slice(0, 4).toUpperCase();
    if (verb === 'EHLO' || verb === 'HELO') return reply('250 sink');
    if (verb === 'MAIL') {
      mail = { from: /<([^>]*)>/.exec(line)?.[1] ?? '', to: [], data: '' };
      return reply('250 ok');
    }
    if (verb === 'RCPT') {
      mail.to.push(/<([^>]*)>/.exec(line)?.[1] ?? '');
      return reply('250 ok');
    }
    if (verb === 'DATA') {
      inData = true;
      return reply('354 go on');
    }
    if (verb === 'QUIT') {
      reply('221 bye');
      return socket.end();
    }
    return reply('250 ok');
  };
  reply('220 sink ready');
  socket.setEncoding('utf8');
  socket.on('data', (chunk: string) => {
    buffer += chunk;
    for (;;) {
      if (inData) {
        const end = buffer.indexOf('\r\n.\r\n');
        if (end < 0) return;
        mail.data = buffer.slice(0, end).replace(/\r\n\.\./g, '\r\n.');
        buffer = buffer.slice(end + 5);
        inData = false;
        mails.push(mail);
        reply('250 queued');
        continue;
      }
      const nl = buffer.indexOf('\r\n');
      if (nl < 0) return;
      const line = buffer.slice(0, nl);
      buffer = buffer.slice(nl + 2);
      command(line);
    }
  });
  socket.on('error', () => undefined);
}

export async function startSmtpSink(): Promise<SmtpSink> {
  const mails: ReceivedMail[] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    session(s, mails);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return {
    port, mails,
    close: () => new Promise((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    }),
  };
}
