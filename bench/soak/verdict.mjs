// The verdict "no growth without bound": slopes over the second half of the traffic phase
// against stated thresholds, database growth per created order (orders must grow; bytes and
// rows per order must not), bounded tables that must plateau, idle-before vs idle-after
// descriptors and handles, the end-state consistency with the gateway and unexpected answers.

const MiB = 1024 * 1024;

/** Least-squares slope of ys over xs (per x unit); NaN with fewer than 3 points. */
export function slope(xs, ys) {
  const pts = xs
    .map((x, i) => [x, ys[i]])
    .filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y));
  if (pts.length < 3) return NaN;
  const n = pts.length;
  const mx = pts.reduce((a, [x]) => a + x, 0) / n;
  const my = pts.reduce((a, [, y]) => a + y, 0) / n;
  let num = 0;
  let den = 0;
  for (const [x, y] of pts) {
    num += (x - mx) * (y - my);
    den += (x - mx) ** 2;
  }
  return den === 0 ? NaN : num / den;
}

export const THRESHOLDS = {
  rssMiBPerMin: 1,
  rssFloorMiB: 16,
  heapMiBPerMin: 0.5,
  heapFloorMiB: 4,
  fdsPerMin: 2,
  fdsFloor: 10,
  handlesPerMin: 2,
  handlesFloor: 10,
  idleExtraFds: 10,
  idleExtraHandles: 10,
  dbKiBPerOrder: 16,
  dbPerOrderVsFirstHalf: 2,
  walMaxMiB: 64,
  rejectedPerForged: 0.5,
  rowsPerOrder: 20,
};

/** The thresholds as the report states them. */
export function describeThresholds(t = THRESHOLDS) {
  return [
    `proxy RSS: second-half slope ≤ ${t.rssMiBPerMin} MiB/min, or its fitted growth over the second half ≤ ${t.rssFloorMiB} MiB (noise floor for short runs)`,
    `proxy heap after a full GC: slope ≤ ${t.heapMiBPerMin} MiB/min, or fitted growth ≤ ${t.heapFloorMiB} MiB`,
    `proxy file descriptors (/proc/<pid>/fd): slope ≤ ${t.fdsPerMin}/min, or fitted growth ≤ ${t.fdsFloor}; after traffic and settling, ≤ idle-before + ${t.idleExtraFds} (+ 1 per Postgres pool connection)`,
    `proxy active resources (process.getActiveResourcesInfo): slope ≤ ${t.handlesPerMin}/min, or fitted growth ≤ ${t.handlesFloor}; after settling ≤ idle-before + ${t.idleExtraHandles} (+ 3 per Postgres pool connection)`,
    `database bytes per created order in the second half (slope of size / slope of orders; SQLite: file + WAL, Postgres: pg_database_size) ≤ ${t.dbKiBPerOrder} KiB and ≤ ${t.dbPerOrderVsFirstHalf} × the first half's figure + 4 KiB`,
    `SQLite WAL ≤ ${t.walMaxMiB} MiB at every sample`,
    `bounded tables must plateau: rejected notifications stored in the second half ≤ ${t.rejectedPerForged} × forged notifications sent in it`,
    `per-order tables (every table but rejected notifications): rows added per created order in the second half ≤ ${t.rowsPerOrder}`,
    `end state: no gateway/proxy mismatch after settling; no unexpected answer during traffic`,
  ];
}

/**
 * @param {any[]} samples
 * @param {{ trafficMs: number, consistency: {mismatches: any[]}, unexpected: number, proxyExited?: string }} run
 */
export function judge(samples, run, t = THRESHOLDS) {
  const traffic = samples.filter((s) => s.phase === 'traffic');
  const half = run.trafficMs / 2000;
  const second = traffic.filter((s) => s.t >= half);
  const first = traffic.filter((s) => s.t <= half);
  const mins = (ss) => ss.map((s) => s.t / 60);
  const span = second.length > 1 ? (second.at(-1).t - second[0].t) / 60 : NaN;
  const checks = [];
  const add = (name, value, limit, pass, note = '') =>
    checks.push({ name, value, limit, pass, note });

  const growthCheck = (name, get, perMin, floor, unit, scale = 1) => {
    const s = slope(
      mins(second),
      second.map((x) => get(x) / scale),
    );
    const growth = s * span;
    const pass = Number.isFinite(s) ? s <= perMin || growth <= floor : false;
    add(
      name,
      Number.isFinite(s)
        ? `${s.toFixed(2)} ${unit}/min (fitted +${growth.toFixed(1)} ${unit} over ${span.toFixed(1)} min)`
        : 'too few samples',
      `≤ ${perMin} ${unit}/min or ≤ ${floor} ${unit}`,
      pass,
    );
  };
  growthCheck('proxy RSS', (s) => s.proxy.rssBytes, t.rssMiBPerMin, t.rssFloorMiB, 'MiB', MiB);
  growthCheck(
    'proxy heap after GC',
    (s) => s.probe?.memory?.heapUsed ?? NaN,
    t.heapMiBPerMin,
    t.heapFloorMiB,
    'MiB',
    MiB,
  );
  growthCheck('proxy fds', (s) => s.proxy.fds, t.fdsPerMin, t.fdsFloor, 'fds');
  growthCheck(
    'proxy active resources',
    (s) => s.probe?.activeResources ?? NaN,
    t.handlesPerMin,
    t.handlesFloor,
    'handles',
  );

  const idleBefore = samples.find((s) => s.phase === 'idle-before');
  const idleAfter = samples.filter((s) => s.phase === 'idle-after').at(-1);
  if (idleBefore && idleAfter) {
    // A database pool (Postgres: 10 connections) stays open when idle: a socket and up to 3
    // timers per connection are allowed on top.
    const pool = run.poolConnections ?? 0;
    const extraFds = t.idleExtraFds + pool;
    const extraHandles = t.idleExtraHandles + 3 * pool;
    add(
      'proxy fds, idle after vs before',
      `${idleAfter.proxy.fds} vs ${idleBefore.proxy.fds}`,
      `≤ before + ${extraFds}`,
      idleAfter.proxy.fds <= idleBefore.proxy.fds + extraFds,
    );
    const hb = idleBefore.probe?.activeResources;
    const ha = idleAfter.probe?.activeResources;
    add(
      'proxy active resources, idle after vs before',
      `${ha} vs ${hb}`,
      `≤ before + ${extraHandles}`,
      Number.isFinite(ha) && Number.isFinite(hb) && ha <= hb + extraHandles,
    );
  }

  const perOrder = (ss, get) => {
    const o = slope(
      mins(ss),
      ss.map((s) => s.db?.tables?.orders ?? NaN),
    );
    const y = slope(mins(ss), ss.map(get));
    return o > 0 ? y / o : NaN;
  };
  const bytes2 = perOrder(second, (s) => s.db?.totalBytes ?? NaN);
  const bytes1 = perOrder(first, (s) => s.db?.totalBytes ?? NaN);
  const ordersSlope = slope(
    mins(second),
    second.map((s) => s.db?.tables?.orders ?? NaN),
  );
  add(
    'orders keep being created (second half)',
    `${Number.isFinite(ordersSlope) ? ordersSlope.toFixed(0) : '–'} orders/min`,
    '> 0',
    ordersSlope > 0,
  );
  const limit = Math.min(
    t.dbKiBPerOrder * 1024,
    Number.isFinite(bytes1) ? t.dbPerOrderVsFirstHalf * Math.max(bytes1, 0) + 4096 : Infinity,
  );
  add(
    'database bytes per created order (second half)',
    `${(bytes2 / 1024).toFixed(2)} KiB (first half ${(bytes1 / 1024).toFixed(2)} KiB)`,
    `≤ ${(limit / 1024).toFixed(1)} KiB`,
    Number.isFinite(bytes2) && bytes2 <= limit,
  );
  const walMax = Math.max(...samples.map((s) => s.db?.walBytes ?? 0));
  if (samples.some((s) => s.db?.walBytes > 0)) {
    add(
      'SQLite WAL size (max)',
      `${(walMax / MiB).toFixed(1)} MiB`,
      `≤ ${t.walMaxMiB} MiB`,
      walMax <= t.walMaxMiB * MiB,
    );
  }

  if (second.length >= 2) {
    const a = second[0];
    const b = second.at(-1);
    const rejected = (s) => s.db?.groups?.notifications?.rejected ?? 0;
    const dRejected = rejected(b) - rejected(a);
    const dForged = (b.traffic.forged ?? 0) - (a.traffic.forged ?? 0);
    add(
      'rejected notifications plateau (second half)',
      `+${dRejected} rows for ${dForged} forged sent (${dForged > 0 ? (dRejected / dForged).toFixed(2) : '–'} per forged); ${rejected(b)} in all`,
      `≤ ${t.rejectedPerForged} per forged`,
      dForged > 0 ? dRejected / dForged <= t.rejectedPerForged : dRejected === 0,
      'a proxy that keeps every refused body grows with unauthenticated traffic, not with orders',
    );
    const dOrders = (b.db?.tables?.orders ?? 0) - (a.db?.tables?.orders ?? 0);
    const worst = Object.keys(b.db?.tables ?? {})
      .map((table) => {
        let d = (b.db.tables[table] ?? 0) - (a.db?.tables?.[table] ?? 0);
        if (table === 'notifications') d -= dRejected;
        return { table, perOrder: dOrders > 0 ? d / dOrders : NaN };
      })
      .sort((x, y) => (y.perOrder || 0) - (x.perOrder || 0));
    add(
      'rows per created order, per table (second half)',
      worst
        .map((w) => `${w.table} ${Number.isFinite(w.perOrder) ? w.perOrder.toFixed(2) : '–'}`)
        .join(', '),
      `each ≤ ${t.rowsPerOrder}`,
      dOrders > 0 && worst.every((w) => !(w.perOrder > t.rowsPerOrder)),
    );
  }

  add(
    'gateway vs proxy after settling',
    `${run.consistency.mismatches.length} mismatches of ${run.consistency.checked} orders`,
    '0',
    run.consistency.mismatches.length === 0,
  );
  add('unexpected answers during traffic', String(run.unexpected), '0', run.unexpected === 0);
  if (run.proxyExited) add('proxy process alive', run.proxyExited, 'alive', false);
  return { checks, pass: checks.every((c) => c.pass) };
}
