// Scrapes of a daemon's GET /metrics, read back sample by sample.
import { httpRequest } from './raw-http.js';
import type { Target } from './rpc.js';

export interface MetricSample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export interface Scrape {
  status: number;
  contentType: string;
  text: string;
  samples: MetricSample[];
}

function basicAuth(target: Target): Record<string, string> {
  if (target.username === undefined) return {};
  return { Authorization: `Basic ${Buffer.from(`${target.username}:${target.password ?? ''}`).toString('base64')}` };
}

/** The samples of a text-format response (label values here hold no quotes or commas). */
export function parseSamples(text: string): MetricSample[] {
  const samples: MetricSample[] = [];
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match) continue;
    const labels: Record<string, string> = {};
    for (const pair of (match[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="([^"]*)"/g)) labels[pair[1]!] = pair[2]!;
    samples.push({ name: match[1]!, labels, value: Number(match[3]) });
  }
  return samples;
}

export async function scrape(target: Target, method = 'GET'): Promise<Scrape> {
  const reply = await httpRequest(target, { method, path: '/metrics', headers: basicAuth(target) });
  return { status: reply.status, contentType: String(reply.headers['content-type']), text: reply.body, samples: parseSamples(reply.body) };
}

/** The value of the sample with exactly these labels; undefined when there is none. */
export function valueOf(samples: readonly MetricSample[], name: string, labels: Record<string, string> = {}): number | undefined {
  const wanted = Object.entries(labels);
  return samples.find(
    (s) => s.name === name && Object.keys(s.labels).length === wanted.length && wanted.every(([k, v]) => s.labels[k] === v),
  )?.value;
}
