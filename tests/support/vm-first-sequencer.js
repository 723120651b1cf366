// The VM files start first, one per worker: they are the run's two long lanes (tens of minutes
// each under emulation), and the other levels (about five minutes) fit beside them. Jest's own
// order would start them by file size among the others; on a fresh machine, with no timings
// cached, a short file could then hold a worker while a VM file waits.
const Sequencer = require("@jest/test-sequencer").default;

const isVm = (test) => test.context.config.displayName?.name === "vm";

class VmFirstSequencer extends Sequencer {
  async sort(tests) {
    const ordered = await super.sort(tests);
    return [...ordered.filter(isVm), ...ordered.filter((t) => !isVm(t))];
  }
}

module.exports = VmFirstSequencer;
