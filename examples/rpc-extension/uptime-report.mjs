// An example [rpcinterface:x] extension. Mount it with:
//
//   [rpcinterface:report]
//   supervisor.rpcinterface_factory = examples/rpc-extension/uptime-report.mjs:makeReportInterface
//   greeting = hello
//
// and call report.summary() or report.greet("you") over XML-RPC.

/**
 * @param daemon  call(method, ...params), log, processStateChanges
 * @param options the section's other keys, as written
 */
export function makeReportInterface(daemon, options) {
  let changes = 0;
  daemon.processStateChanges.subscribe(() => (changes += 1));
  return {
    greet: {
      help: 'Greets someone with the greeting set in the section.\n\n@param string name\n@return string greeting',
      signature: ['string', 'string'],
      call: (name) => `${options.greeting ?? 'hello'}, ${name}`,
    },
    // A plain function works too; it has no declared signature.
    summary: async () => {
      const processes = await daemon.call('supervisor.getAllProcessInfo');
      const running = processes.filter((p) => p.statename === 'RUNNING').length;
      return { processes: processes.length, running, stateChangesSeen: changes };
    },
    _hidden: () => 'never published',
  };
}
