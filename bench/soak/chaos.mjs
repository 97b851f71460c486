/* global AbortSignal */
// Sandbox chaos toggled over time through its control API (POST /__sandbox/chaos replaces the
// whole setting; {} clears it). Phases cycle in this order, so a short run still meets notify
// chaos (wrong key: every attempt refused) and gateway chaos (hangs, 503s) early.
import { setTimeout as sleep } from 'node:timers/promises';

export const PHASES = [
  { name: 'calm', chaos: {} },
  { name: 'wrong-key notifies', chaos: { wrongKey: true } },
  { name: 'gateway hangs 6 s', chaos: { apiHangMs: 6000, apiTimes: 6 } },
  { name: 'duplicate + reorder', chaos: { duplicate: 2, reorder: true } },
  { name: 'dropped notifies', chaos: { dropFirst: 25 } },
  { name: 'gateway 503', chaos: { apiStatus: 503, apiTimes: 20, duplicate: 1 } },
  { name: 'delayed notifies', chaos: { delayMs: 4000 } },
  { name: 'gateway code 1099', chaos: { apiCode: 1099, apiMsg: 'soak chaos', apiTimes: 15 } },
  { name: 'mixed', chaos: { dropFirst: 5, delayMs: 1500, apiStatus: 500, apiTimes: 8 } },
];

async function setChaos(sandboxUrl, chaos) {
  const res = await fetch(`${sandboxUrl}/__sandbox/chaos`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(chaos),
    signal: AbortSignal.timeout(5000),
  });
  if (!res.ok) throw new Error(`POST /__sandbox/chaos ${res.status}: ${await res.text()}`);
}

/**
 * Runs the phases, `phaseMs` each, until `deadline`, then clears the chaos.
 * @returns {{ done: Promise<void>, current: () => string, timeline: Array<{at: number, name: string, chaos: object}> }}
 */
export function conductChaos({ sandboxUrl, phaseMs, deadline, log = () => {} }) {
  const timeline = [];
  let current = 'calm';
  const done = (async () => {
    for (let i = 0; i < 100_000 && Date.now() < deadline; i++) {
      const phase = PHASES[i % PHASES.length];
      try {
        await setChaos(sandboxUrl, phase.chaos);
        current = phase.name;
        timeline.push({ at: Date.now(), name: phase.name, chaos: phase.chaos });
        log(`chaos: ${phase.name} ${JSON.stringify(phase.chaos)}`);
      } catch (error) {
        log(`chaos: could not set ${phase.name}: ${error.message}`);
      }
      await sleep(Math.max(0, Math.min(phaseMs, deadline - Date.now())));
    }
    await setChaos(sandboxUrl, {});
    current = 'off';
    timeline.push({ at: Date.now(), name: 'off', chaos: {} });
  })();
  return { done, current: () => current, timeline };
}
