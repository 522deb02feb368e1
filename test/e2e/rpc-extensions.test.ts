// The API through our own XML-RPC client, over both transports: the parts the reference has no
// equivalent for ([rpcinterface:x] as Node modules) and a smoke test of the namespaces.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import net from 'node:net';
import { createXmlRpcClient } from '../../common/xmlrpc/client.js';
import { XmlRpcFault, type XmlRpcValue } from '../../common/xmlrpc/types.js';
import { supervisordSection } from '../harness/config-text.js';
import { underTest, withDaemon } from '../harness/daemon.js';
import { repoRoot } from '../paths.js';

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

async function fault(promise: Promise<XmlRpcValue>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof XmlRpcFault) return `${error.faultCode} ${error.faultString}`;
    throw error;
  }
  throw new Error('expected a fault');
}

const extension = path.join(repoRoot, 'examples', 'rpc-extension', 'uptime-report.mjs');

describe('XML-RPC API with our client', { skip: underTest === 'reference' ? 'Node extensions are ours only' : false }, () => {
  it('serves the built-in namespaces and a Node [rpcinterface:x] extension over unix and TCP', async () => {
    const port = await freePort();
    const config = (tmp: string) =>
      supervisordSection() +
      `[unix_http_server]\nfile=${tmp}/s.sock\n[inet_http_server]\nport=127.0.0.1:${port}\nusername=u\npassword=p\n` +
      '[rpcinterface:supervisor]\nsupervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface\n' +
      `[rpcinterface:report]\nsupervisor.rpcinterface_factory = ${extension}:makeReportInterface\ngreeting = howdy\n` +
      '[program:sleeper]\ncommand=sleep 1000\nstartsecs=0\n';
    await withDaemon(config, {}, async (d) => {
      await d.waitForLine(/success: sleeper /);
      const unix = createXmlRpcClient({ serverurl: `unix://${d.path('s.sock')}` });
      const tcp = createXmlRpcClient({ serverurl: `http://127.0.0.1:${port}`, username: 'u', password: 'p' });
      try {
        assert.deepEqual(await unix.call('supervisor.getState'), { statecode: 1, statename: 'RUNNING' });
        assert.equal(await tcp.call('report.greet', 'you'), 'howdy, you');
        const summary = (await unix.call('report.summary')) as Record<string, number>;
        assert.equal(summary.processes, 1);
        assert.equal(summary.running, 1);
        assert.equal(await fault(unix.call('report._hidden')), '1 UNKNOWN_METHOD');
        assert.deepEqual(await unix.call('system.methodSignature', 'report.greet'), ['string', 'string']);
        // a declared signature is checked as the built-in methods' are
        for (const client of [unix, tcp]) {
          assert.equal(await fault(client.call('report.greet', 5)), '2 INCORRECT_PARAMETERS: 5');
          assert.equal(await fault(client.call('report.greet', ['you'])), '2 INCORRECT_PARAMETERS: ["you"]');
          assert.equal(await fault(client.call('report.greet')), '2 INCORRECT_PARAMETERS');
        }
        assert.equal(await fault(unix.call('system.methodSignature', 'report.summary')), '4 SIGNATURE_UNSUPPORTED');
        const methods = (await unix.call('system.listMethods')) as string[];
        assert.ok(methods.includes('report.greet') && methods.includes('supervisor.startProcess'));
        assert.equal(await fault(unix.call('supervisor.startProcess')), '2 INCORRECT_PARAMETERS');
        assert.equal(await fault(unix.call('supervisor.__init__.__globals__')), '1 UNKNOWN_METHOD');
      } finally {
        unix.close();
        tcp.close();
      }
    });
  });

  it('refuses to start when an extension declares a signature that is not one, naming the section and method', async () => {
    const config = supervisordSection() + '[rpcinterface:odd]\nsupervisor.rpcinterface_factory = ./odd.mjs:make\n';
    const odd = "export const make = () => ({ add: { signature: ['int', 'integer'], call: (a) => a } });\n";
    await assert.rejects(
      withDaemon(config, { files: { 'odd.mjs': odd } }, async (d) => d.waitForLine(/supervisord started/, 5000)),
      /\[rpcinterface:odd\] supervisor\.rpcinterface_factory = \.\/odd\.mjs:make: the signature of odd\.add is not \[returnType, \.\.\.paramTypes\]/,
    );
  });

  it('refuses to start when an extension cannot be loaded, naming the section', async () => {
    const config = supervisordSection() + '[rpcinterface:broken]\nsupervisor.rpcinterface_factory = ./missing-module.mjs:make\n';
    await assert.rejects(
      withDaemon(config, {}, async (d) => d.waitForLine(/supervisord started/, 5000)),
      /\[rpcinterface:broken\] supervisor\.rpcinterface_factory = \.\/missing-module\.mjs:make: cannot load/,
    );
  });
});
