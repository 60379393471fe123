// What passed in which engine: reads the JSON report vitest wrote per engine
// (`test-results/<engine>.json`) and prints one line each, and the failed tests by name.
// Usage: node scripts/e2e-summary.mjs <dir> <engine>...
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const [dir, ...engines] = process.argv.slice(2);
console.log('60-e2e: per engine');
for (const engine of engines) {
  const file = join(dir, `${engine}.json`);
  if (!existsSync(file)) {
    console.log(`  ${engine.padEnd(9)} no report: the run did not get as far as its tests`);
    continue;
  }
  const report = JSON.parse(readFileSync(file, 'utf8'));
  const tests = report.testResults.flatMap((file) => file.assertionResults);
  const count = (status) => tests.filter((t) => t.status === status).length;
  const seconds = report.testResults.reduce((sum, file) => sum + (file.endTime - file.startTime), 0) / 1000;
  console.log(
    `  ${engine.padEnd(9)} ${count('passed')} passed, ${count('failed')} failed, ${tests.length - count('passed') - count('failed')} not run (${seconds.toFixed(1)} s)`,
  );
  for (const t of tests.filter((t) => t.status === 'failed')) console.log(`    failed: ${t.fullName}`);
  // A file that failed before its tests ran (a crash in beforeAll) has no failed test to name.
  for (const f of report.testResults.filter((f) => f.status === 'failed' && f.message)) {
    console.log(`    ${f.name.replace(/.*\/e2e\//, 'e2e/')}: ${f.message.split('\n')[0]}`);
  }
}
