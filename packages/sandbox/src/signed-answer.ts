import { formatTime, signResponse } from '@scanforpay/protocol';
import type { Sandbox } from './sandbox.js';

/**
 * Builds a gateway answer exactly as §4.5 of the API notes requires, so the production
 * plugin's split-based check passes: compact, `response` first, `signature` last, lowercase
 * hex, no trailing newline, and neither word anywhere in a value the sandbox writes.
 */
export async function signedAnswer(
  sandbox: Sandbox,
  partnerNo: string,
  signKey: string,
  body: Record<string, unknown>,
): Promise<string> {
  const header = {
    version: '1.0',
    partnerNo,
    respMsgId: sandbox.random(16),
    respTime: formatTime(sandbox.now()),
    signType: 'SHA256',
  };
  const safe = typeof body.msg === 'string' ? { ...body, msg: cleanMsg(body.msg) } : body;
  return (await signResponse({ header, body: safe }, signKey, sandbox.hash)).body;
}

/** Keeps `msg` within its documented 100 characters and free of the two split words. */
export function cleanMsg(msg: string): string {
  const clean = msg.replace(/response/gi, 'answer').replace(/signature/gi, 'sign');
  return clean.length > 100 ? `${clean.slice(0, 99)}…` : clean;
}

export const JSON_HEADERS = { 'content-type': 'application/json; charset=utf-8' } as const;
