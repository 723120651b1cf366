// The VM files start first: they are the run's long lanes (tens of minutes each under
// emulation), and the other levels (about five minutes) fit beside them. Jest's own order would
// start them by file size among the others; on a fresh machine, with no timings cached, a short
// file could then hold a worker while a VM file waits. Among the VM files the order is fixed:
// local-host (which also bakes the image, once its cold host is up) and strict-host start
// together, and the swarm fleet (two guests from that baked image) takes the first lane that
// frees; it waits on the bake's lock if the bake is still running.
const path = require("node:path");
const Sequencer = require("@jest/test-sequencer").default;

const VM_ORDER = ["local-host", "strict-host", "swarm-fleet"];

const isVm = (test) => test.context.config.displayName?.name === "vm";
const vmRank = (test) => {
  const rank = VM_ORDER.indexOf(path.basename(test.path, ".test.ts"));
  return rank < 0 ? VM_ORDER.length : rank;
};

class VmFirstSequencer extends Sequencer {
  async sort(tests) {
    const ordered = await super.sort(tests);
    const vm = ordered.filter(isVm).sort((a, b) => vmRank(a) - vmRank(b));
    return [...vm, ...ordered.filter((t) => !isVm(t))];
  }
}

module.exports = VmFirstSequencer;
