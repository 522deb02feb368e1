// Follows one of the daemon's log streams (GET /logtail/<name>/<channel> or /mainlogtail):
// the daemon sends the last kilobyte, then whatever is appended, across rotations, until one
// side hangs up. Used by `tail -f`, `maintail -f` and `fg`, over a unix socket or TCP.
import http from 'node:http';

export interface FollowOptions {
  serverurl: string;
  path: string;
  /** Appended to the request's path ("?raw"), not to the messages, which name `path` alone. */
  query?: string;
  username: string | undefined;
  password: string | undefined;
  onData(chunk: Buffer): void;
}

export interface Follower {
  /** Settles when the stream ends, fails, or close() is called. */
  done: Promise<void>;
  close(): void;
}

function problem(where: string, text: string): void {
  process.stderr.write(`${where} ${text}\n`);
}

export function follow(options: FollowOptions): Follower {
  const { serverurl, path, username, password } = options;
  const where = serverurl + path;
  let request: http.ClientRequest | undefined;
  let closing = false;
  const done = new Promise<void>((resolve) => {
    // Without keep-alive (Node's default for a lone request is `close`) the reference's server
    // sends nothing of an endless response.
    const headers: http.OutgoingHttpHeaders = { Accept: '*/*', 'User-Agent': 'supervisorctl (Node)', Connection: 'keep-alive' };
    // The reference's follower sends credentials only when a password is set.
    if (password) headers.Authorization = `Basic ${Buffer.from(`${username ?? ''}:${password}`).toString('base64')}`;
    let target: http.RequestOptions;
    if (serverurl.startsWith('unix://')) {
      target = { socketPath: serverurl.slice('unix://'.length), headers: { ...headers, Host: 'localhost' } };
    } else if (serverurl.startsWith('http://')) {
      const url = new URL(serverurl);
      target = { host: url.hostname.replace(/^\[(.*)\]$/, '$1'), port: url.port ? Number(url.port) : 80, headers };
    } else {
      problem(where, `Cannot connect, error: unknown protocol of ${serverurl}`);
      resolve();
      return;
    }
    request = http.get({ ...target, path: path + (options.query ?? ''), agent: false }, (response) => {
      if (response.statusCode !== 200) {
        problem(where, `Cannot read, status code ${response.statusCode ?? 0}`);
        response.resume();
        response.destroy();
        resolve();
        return;
      }
      response.on('data', (chunk: Buffer) => options.onData(chunk));
      response.on('end', () => resolve());
      response.on('close', () => resolve());
      response.on('error', () => resolve());
    });
    request.on('error', (e) => {
      if (!closing) problem(where, `Cannot connect, error: ${e.message}`);
      resolve();
    });
    request.on('close', () => resolve());
  });
  return {
    done,
    close: () => {
      closing = true;
      request?.destroy();
    },
  };
}

/** Resolves on the first Ctrl-C (SIGINT) while `until` has not settled; the handler is removed after. */
export function untilInterrupted(until: Promise<void>): Promise<'interrupted' | 'ended'> {
  return new Promise((resolve) => {
    const onSigint = (): void => {
      process.off('SIGINT', onSigint);
      resolve('interrupted');
    };
    process.on('SIGINT', onSigint);
    until.then(() => {
      process.off('SIGINT', onSigint);
      resolve('ended');
    });
  });
}
