// Prints one plain closing line that CI tooling reads: "tests: N passed, N failed, N skipped".
class SummaryReporter {
  onRunComplete(_contexts, r) {
    process.stdout.write(
      `\ntests: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numPendingTests + r.numTodoTests} skipped\n`,
    );
  }
}
module.exports = SummaryReporter;
