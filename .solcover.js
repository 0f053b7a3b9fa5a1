// Test-only mocks (benchmark baselines, the batch reader) are not the ledger: leave them out of coverage.
module.exports = {
  skipFiles: ["mocks/"],
};
