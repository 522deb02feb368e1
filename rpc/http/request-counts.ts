// How many requests each HTTP server answered, by method and status code: counted as each
// response ends, read by the metrics scrape.

export type ServerSection = 'inet_http_server' | 'unix_http_server';

export interface RequestCount {
  server: ServerSection;
  method: string;
  status: number;
  count: number;
}

export class RequestCounts {
  private readonly counts = new Map<string, RequestCount>();

  /** Node's parser takes only the methods it knows, so `method` has few values. */
  add(server: ServerSection, method: string, status: number): void {
    const key = `${server} ${method} ${status}`;
    const entry = this.counts.get(key);
    if (entry) entry.count += 1;
    else this.counts.set(key, { server, method, status, count: 1 });
  }

  list(): RequestCount[] {
    return [...this.counts.values()].map((entry) => ({ ...entry }));
  }
}
