/**
 * Removes credentials from text that may end up in a log line or in a delivery's last_error:
 * the user name and password of any URL, Slack tokens, Standard Webhooks secrets, bearer tokens,
 * and each of `secrets` wherever it appears. Libraries quote URLs in their errors (fetch() does,
 * whole), so every message built from a third party's error goes through here.
 */
export function redact(text: string, secrets: ReadonlyArray<string | undefined> = []): string {
  let out = text;
  for (const secret of secrets) {
    if (secret && secret.length >= 4) out = out.split(secret).join('••••');
  }
  return out
    .replace(/([a-z][a-z0-9+.-]*:\/\/)[^\s/?#]*@/gi, '$1••••@')
    .replace(/\bxox[a-z]-[A-Za-z0-9-]+/g, 'xox•-••••')
    .replace(/\bwhsec_[A-Za-z0-9+/=]+/g, 'whsec_••••')
    .replace(/\b(bearer\s+)[^\s,;]+/gi, '$1••••');
}
