// The soak's report: one line per sample while it runs, then Markdown and JSON files.
import { writeFileSync } from 'node:fs';

const MiB = 1024 * 1024;
const mib = (n) => (Number.isFinite(n) ? (n / MiB).toFixed(1) : '–');
const num = (n) => (Number.isFinite(n) ? String(n) : '–');

const COLUMNS = [
  't (s)',
  'phase',
  'chaos',
  'orders',
  'requests',
  'RSS MiB',
  'heap MiB',
  'fds (sockets)',
  'handles',
  'DB MiB',
  'WAL MiB',
  'notifications (rejected)',
  'outbox waiting',
  'sandbox RSS MiB',
];

function cells(s) {
  const groups = s.db?.groups ?? {};
  return [
    s.t.toFixed(0),
    s.phase,
    s.chaos,
    num(s.db?.tables?.orders),
    num(s.traffic.sent),
    mib(s.proxy.rssBytes),
    mib(s.probe?.memory?.heapUsed),
    `${num(s.proxy.fds)} (${num(s.proxy.fdKinds?.socket ?? 0)})`,
    num(s.probe?.activeResources),
    mib(s.db?.totalBytes),
    s.db?.walBytes ? mib(s.db.walBytes) : '–',
    `${num(s.db?.tables?.notifications)} (${num(groups.notifications?.rejected ?? 0)})`,
    num(groups.outbox?.waiting ?? 0),
    mib(s.sandboxRssBytes),
  ];
}

export const SAMPLE_HEADER = COLUMNS.join(' | ');
export const sampleRow = (s) => cells(s).join(' | ');

function table(header, rows) {
  return [
    `| ${header.join(' | ')} |`,
    `| ${header.map(() => '---').join(' | ')} |`,
    ...rows.map((r) => `| ${r.join(' | ')} |`),
  ].join('\n');
}

export function writeReports(out, report) {
  writeFileSync(out.replace(/\.md$/, '') + '.json', `${JSON.stringify(report, null, 2)}\n`);
  const v = report.verdict;
  const routes = Object.entries(report.traffic.routes)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([route, statuses]) => [
      route,
      Object.entries(statuses)
        .map(([s, n]) => `${s}×${n}`)
        .join(' '),
    ]);
  const md = [
    `# Soak: ${v.pass ? 'PASS' : 'FAIL'}`,
    '',
    `\`${report.command}\` — started ${report.startedAt}, store ${report.options.store}, ${report.options.minutes} min of traffic, seed ${report.options.seed}.`,
    '',
    '## Verdict',
    '',
    table(
      ['check', 'measured', 'limit', ''],
      v.checks.map((c) => [c.name, c.value, c.limit, c.pass ? 'PASS' : '**FAIL**']),
    ),
    '',
    'Thresholds:',
    '',
    ...report.thresholds.map((t) => `- ${t}`),
    '',
    '## Samples',
    '',
    table(COLUMNS, report.samples.map(cells)),
    '',
    '## End state (gateway → proxy)',
    '',
    table(
      ['gateway → proxy', 'orders'],
      Object.entries(report.consistency.summary)
        .sort()
        .map(([k, n]) => [k, String(n)]),
    ),
    '',
    report.consistency.mismatchCount === 0
      ? 'No mismatch.'
      : [
          `${report.consistency.mismatchCount} mismatches (first ${report.consistency.mismatches.length} in the JSON):`,
          '',
          ...report.consistency.mismatches
            .slice(0, 30)
            .map(
              (m) =>
                `- ${m.kind}: \`${m.orderId}\` proxy ${JSON.stringify(m.proxy)} gateway ${JSON.stringify(m.gateway)}`,
            ),
        ].join('\n'),
    '',
    '## Traffic',
    '',
    table(['route', 'answers'], routes),
    '',
    table(
      ['counter', 'n'],
      Object.entries(report.traffic.counters)
        .sort()
        .map(([k, n]) => [k, String(n)]),
    ),
    '',
    `Webhook receiver: ${JSON.stringify(report.webhook)}`,
    '',
    `Unexpected answers: ${report.traffic.unexpectedCount}`,
    ...report.traffic.unexpected.slice(0, 30).map((u) => `- ${u.at} ${u.route}: ${u.detail}`),
    '',
    '## Proxy warnings and errors (by message)',
    '',
    table(
      ['line', 'n'],
      Object.entries(report.proxyLog)
        .sort((a, b) => b[1] - a[1])
        .map(([k, n]) => [k, String(n)]),
    ),
    '',
    `Proxy shutdown on SIGTERM: exit ${report.proxyShutdown.code} in ${report.proxyShutdown.ms} ms.`,
    '',
    '## Chaos timeline',
    '',
    ...report.chaos.map((c) => `- ${c.at} ${c.name} \`${JSON.stringify(c.chaos)}\``),
    '',
  ].join('\n');
  writeFileSync(out, md);
}
