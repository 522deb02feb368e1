// Answers sent in one piece, and the reference's error page.
import { STATUS_CODES, type OutgoingHttpHeaders, type ServerResponse } from 'node:http';

/**
 * Sends a complete response. The body is handed to end() together with the headers, which
 * Node writes as a single corked writev: a response written in pieces can wait ~40 ms for the
 * client's delayed ACK (the reference does, per large XML-RPC answer).
 */
export function sendWhole(
  response: ServerResponse,
  status: number,
  contentType: string,
  body: string | Buffer,
  extraHeaders: OutgoingHttpHeaders = {},
): void {
  const bytes = typeof body === 'string' ? Buffer.from(body) : body;
  response.writeHead(status, {
    ...extraHeaders,
    'Content-Type': contentType,
    'Content-Length': bytes.length,
  });
  response.end(bytes);
}

/** The reference's (Medusa's) HTML error body for a status code. */
export function errorPage(status: number): string {
  return [
    '<head>',
    '<title>Error response</title>',
    '</head>',
    '<body>',
    '<h1>Error response</h1>',
    `<p>Error code ${status}.`,
    `<p>Message: ${STATUS_CODES[status] ?? 'Unknown'}.`,
    '</body>',
    '',
  ].join('\r\n');
}

/** An error answer with the reference's body; extra headers such as WWW-Authenticate. */
export function sendError(response: ServerResponse, status: number, extraHeaders: OutgoingHttpHeaders = {}): void {
  sendWhole(response, status, 'text/html', errorPage(status), extraHeaders);
}
