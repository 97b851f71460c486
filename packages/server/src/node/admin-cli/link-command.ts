import { writeFile } from 'node:fs/promises';
import { CliError, UsageError } from './cli-errors.js';
import type { CommandContext } from './command-context.js';
import { parseFlags } from './parse-flags.js';
import { baseUrl } from './proxy-connection.js';
import { toMinorUnits } from './to-minor-units.js';
import { ADMIN_USAGE } from './usage.js';

const LINK_FLAGS = {
  url: 'string',
  amount: 'string',
  quantity: 'string',
  wallet: 'string',
  lang: 'string',
  reference: 'string',
  out: 'string',
  help: 'boolean',
} as const;

/**
 * `link <item> [--amount 50.00] [--quantity N] [--wallet W] [--lang L] [--reference R]
 * [--out qr.svg|qr.png]`: prints the item's payment link (the hosted pay page) and writes its
 * QR code. The running proxy checks the parameters and draws the code (its public routes: no
 * admin token needed); `--amount` is in major units and fixes an open item's amount (without
 * it, the shopper types one within the item's bounds).
 */
export async function linkCommand(args: readonly string[], ctx: CommandContext): Promise<void> {
  const { io, print } = ctx;
  const { flags, positionals } = parseFlags(args, LINK_FLAGS, 1);
  if (flags.help) return io.stdout(ADMIN_USAGE);
  const item = positionals[0];
  if (item === undefined) throw new UsageError('link: name the item, e.g. link harbour-tee');
  const out = typeof flags.out === 'string' ? flags.out : undefined;
  const type = out === undefined ? 'svg' : /\.(svg|png)$/i.exec(out)?.[1]?.toLowerCase();
  if (type === undefined) throw new UsageError(`--out "${out}": a file ending in .svg or .png`);
  const base = baseUrl(io.env, flags);
  const get = (path: string) => fetchFrom(io.fetch ?? fetch, base, path, io.timeoutMs ?? 30_000);

  const query = new URLSearchParams();
  if (typeof flags.amount === 'string') {
    const itemAnswer = await get(`/items/${encodeURIComponent(item)}`);
    const facts = (await readJson(itemAnswer, base)) as { currency?: unknown; amount?: unknown };
    if (typeof facts.currency !== 'string')
      throw new CliError(`the proxy at ${base} answered oddly`);
    if (facts.amount !== undefined) {
      throw new UsageError(`--amount: "${item}" has a fixed price; drop --amount`);
    }
    query.set('amount', String(toMinorUnits(flags.amount, facts.currency)));
  }
  for (const key of ['quantity', 'wallet', 'reference', 'lang'] as const) {
    if (typeof flags[key] === 'string') query.set(key, flags[key]);
  }
  const search = query.size > 0 ? `?${query}` : '';
  const answer = await get(`/pay/${encodeURIComponent(item)}.${type}${search}`);
  if (!answer.ok) await readJson(answer, base);
  const link = /^<([^>]+)>/.exec(answer.headers.get('link') ?? '')?.[1];
  if (!link) {
    throw new CliError(`the proxy at ${base} has no payment links (is it this version or newer?)`);
  }
  const bytes = new Uint8Array(await answer.arrayBuffer());
  if (out !== undefined) {
    try {
      await writeFile(out, bytes);
    } catch (error) {
      throw new CliError(`cannot write ${out}: ${(error as Error).message}`);
    }
  }
  print(link);
  if (out !== undefined) io.stderr(`QR code of the link written to ${out}\n`);
}

async function fetchFrom(
  fetchFn: typeof fetch,
  base: string,
  path: string,
  timeoutMs: number,
): Promise<Response> {
  try {
    return await fetchFn(base + path, { signal: AbortSignal.timeout(timeoutMs) });
  } catch (error) {
    const code = ((error as Error).cause as { code?: unknown } | undefined)?.code;
    const reason = typeof code === 'string' ? code : (error as Error).message;
    throw new CliError(`cannot reach the proxy at ${base}: ${reason} (set --url or PROXY_URL)`);
  }
}

/** The JSON of a good answer; a problem answer becomes a `CliError` with its detail. */
async function readJson(response: Response, base: string): Promise<unknown> {
  let body: { detail?: unknown } | undefined;
  try {
    body = (await response.json()) as { detail?: unknown };
  } catch {
    throw new CliError(`the proxy at ${base} answered HTTP ${response.status} without JSON`);
  }
  if (response.ok) return body;
  const detail = typeof body?.detail === 'string' ? body.detail : `HTTP ${response.status}`;
  throw new CliError(detail);
}
