// Every screen a test visits is photographed and checked with axe-core: no serious or critical
// accessibility violation is allowed.
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { repoRoot } from './host';

export const screenshotDir = join(repoRoot, 'test-results/screenshots');

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

interface AxeViolation {
  id: string;
  impact: 'minor' | 'moderate' | 'serious' | 'critical' | null;
  help: string;
  nodes: Array<{ target: unknown[]; failureSummary?: string }>;
}

let shotNumber = 0;

/** Runs axe-core in the page. Evaluated over CDP, so the page's CSP does not block it. */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  const loaded = await page.evaluate(() => 'axe' in globalThis);
  if (!loaded) await page.evaluate(axeSource);
  return page.evaluate(async () => {
    const axe = (
      globalThis as unknown as {
        axe: { run(options: object): Promise<{ violations: AxeViolation[] }> };
      }
    ).axe;
    const results = await axe.run({ resultTypes: ['violations'] });
    return results.violations.map((violation) => ({
      id: violation.id,
      impact: violation.impact,
      help: violation.help,
      nodes: violation.nodes.map((node) => ({
        target: node.target,
        failureSummary: node.failureSummary,
      })),
    }));
  });
}

/** Saves test-results/screenshots/NN-name.png and fails on a serious or critical axe finding. */
export async function snap(page: Page, name: string): Promise<void> {
  shotNumber += 1;
  mkdirSync(screenshotDir, { recursive: true });
  const file = join(screenshotDir, `${String(shotNumber).padStart(2, '0')}-${name}.png`);
  await page.screenshot({ path: file, fullPage: true, animations: 'disabled' });
  const violations = await axeViolations(page);
  const blocking = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  const report = violations
    .map(
      (v) =>
        `  [${v.impact}] ${v.id}: ${v.help}\n` +
        v.nodes
          .map((n) => `      ${JSON.stringify(n.target)} ${n.failureSummary ?? ''}`)
          .join('\n'),
    )
    .join('\n');
  if (violations.length > 0) console.log(`axe on ${name}:\n${report}`);
  if (blocking.length > 0) {
    throw new Error(`axe found serious or critical problems on "${name}":\n${report}`);
  }
}
