// The VM files start first: they are the run's long lanes (tens of minutes each under
// emulation), and the other levels (about five minutes) fit beside them. Jest's own order would
// start them by file size among the others; on a fresh machine, with no timings cached, a short
// file could then hold a worker while a VM file waits. Among the VM files the order is fixed:
// local-host (which also bakes the image, once its cold host is up) and strict-host start
// together, and the swarm fleet (two guests from that baked image) takes the first lane that
// frees; it waits on the bake's lock if the bake is still running. The engine level comes next:
// its cold build (scripts/engine.sh, minutes of both cores) fills the first lane a VM file frees.
const path = require("node:path");
const Sequencer = require("@jest/test-sequencer").default;

const VM_ORDER = ["local-host", "strict-host", "swarm-fleet", "edge-host"];

const levelOf = (test) => test.context.config.displayName?.name;
const isVm = (test) => levelOf(test) === "vm";
const isEngine = (test) => levelOf(test) === "engine";
const vmRank = (test) => {
  const rank = VM_ORDER.indexOf(path.basename(test.path, ".test.ts"));
  return rank < 0 ? VM_ORDER.length : rank;
};

class VmFirstSequencer extends Sequencer {
  async sort(tests) {
    const ordered = await super.sort(tests);
    const vm = ordered.filter(isVm).sort((a, b) => vmRank(a) - vmRank(b));
    const engine = ordered.filter(isEngine);
    return [...vm, ...engine, ...ordered.filter((t) => !isVm(t) && !isEngine(t))];
  }
}

module.exports = VmFirstSequencer;
