import { z } from 'zod';

export interface UrlRule {
  /** Accepted schemes, with the colon: `['smtp:', 'smtps:']`. */
  protocols: string[];
  /**
   * Whether a user name and password may sit in the URL. fetch() refuses such a URL (and quotes it,
   * credentials included, in its error), so only SMTP takes them.
   */
  credentials: boolean;
}

/** What is wrong with a URL, without ever quoting it: it may carry a password. */
export interface UrlProblem {
  /** The part at fault, when there is one ("port"). */
  part?: string;
  message: string;
}

export const SMTP_URL: UrlRule = { protocols: ['smtp:', 'smtps:'], credentials: true };
export const HTTP_URL: UrlRule = { protocols: ['http:', 'https:'], credentials: false };

const schemes = (rule: UrlRule) => rule.protocols.map((p) => `${p}//`).join(' or ');

/**
 * Checks a channel's URL the way its client will read it, so a value that would throw at send
 * time (a port past 65535, no host) is refused where it is entered instead.
 */
export function urlProblem(value: string, rule: UrlRule): UrlProblem | null {
  if (/\s/.test(value)) return { message: 'must not contain spaces' };
  const scheme = /^([a-z][a-z0-9+.-]*:)\/\//i.exec(value)?.[1]?.toLowerCase();
  if (!scheme || !rule.protocols.includes(scheme)) return { message: `must start with ${schemes(rule)}` };
  // new URL() only says "Invalid URL" for a bad port; read it first to say which part is wrong.
  const port = /^[^:]+:\/\/(?:[^@/?#]*@)?(?:\[[^\]]*\]|[^:/?#]*)(?::([^/?#]*))?/.exec(value)?.[1];
  if (port !== undefined && port !== '') {
    if (!/^\d+$/.test(port) || Number(port) < 1 || Number(port) > 65535) {
      return { part: 'port', message: 'must be 1–65535' };
    }
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return { message: 'is not a valid URL' };
  }
  if (!url.hostname) return { message: 'must name a host' };
  if (url.username || url.password) {
    if (!rule.credentials) return { message: 'must not contain a user name or password' };
    try {
      decodeURIComponent(url.username);
      decodeURIComponent(url.password);
    } catch {
      return { part: 'user name or password', message: 'has a broken %-escape' };
    }
  }
  return null;
}

/** The problem as it follows a field's name: "smtpUrl: its port must be 1–65535". */
export const describeForField = (problem: UrlProblem) =>
  problem.part ? `its ${problem.part} ${problem.message}` : problem.message;

/** The problem as a sentence about a named URL: "the SMTP URL's port must be 1–65535". */
export const describeFor = (label: string, problem: UrlProblem) =>
  problem.part ? `the ${label}'s ${problem.part} ${problem.message}` : `the ${label} ${problem.message}`;

/** A zod string checked by `urlProblem`; its issues never echo the value. */
export const serviceUrl = (rule: UrlRule) =>
  z.string().superRefine((value, ctx) => {
    const problem = urlProblem(value, rule);
    if (problem) ctx.addIssue({ code: 'custom', message: describeForField(problem) });
  });
