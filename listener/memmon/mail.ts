// Sends a mail by piping it, headers included, into a sendmail-like shell command.
import { SupervisorError } from '../../common/errors.js';
import { spawn } from 'node:child_process';

export interface Mail {
  to: string;
  subject: string;
  body: string;
}

/** Resolves when the command exits 0; rejects with its stderr otherwise. */
export function sendMail(command: string, mail: Mail): Promise<void> {
  const message = `To: ${mail.to}\nSubject: ${mail.subject}\n\n${mail.body}`;
  return new Promise((resolve, reject) => {
    const child = spawn('/bin/sh', ['-c', command], { stdio: ['pipe', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (code === 0) resolve();
      else reject(new SupervisorError('EXTERNAL_COMMAND', `${command} failed (${code ?? signal}): ${stderr.trim()}`));
    });
    // a command that exits without reading its stdin must not crash us with EPIPE
    child.stdin.on('error', () => undefined);
    child.stdin.end(message);
  });
}
