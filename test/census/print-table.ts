/**
 * Runs the bad-input census (test/census/bad-inputs.ts) and prints the README's
 * troubleshooting table: where, what the user did, the first line they are told.
 *
 *   node --import tsx test/census/print-table.ts            # markdown
 *   node --import tsx test/census/print-table.ts --json     # what each case said now
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CASES, ROOT } from './bad-inputs.ts';

const json = process.argv.includes('--json');
const rows: { where: string; input: string; message: string }[] = [];
for (const c of CASES) {
  const dir = mkdtempSync(join(tmpdir(), 'tsapply-census-'));
  try {
    const said = await c.run(dir).catch((e: unknown) => `(case failed: ${(e as Error).message.split('\n')[0]})`);
    // The folders differ per run and per machine; the table shows them as the cases do.
    rows.push({ where: c.where, input: c.input, message: said.split(dir).join('{dir}').split(ROOT.replace(/\/$/, '')).join('{root}') });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
if (json) {
  console.log(JSON.stringify(rows, null, 1));
} else {
  const cell = (s: string) => s.replace(/\|/g, '\\|');
  console.log(`| where | what was wrong | what tsapply says (first line) |\n|---|---|---|`);
  for (const r of rows) console.log(`| ${r.where} | ${cell(r.input)} | ${cell('`' + r.message.replace(/`/g, "'") + '`')} |`);
  console.log(`\n${rows.length} bad inputs.`);
}
