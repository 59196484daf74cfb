/**
 * The HTML frame of every e-mail: nested tables and inline styles, because Outlook's Word engine
 * ignores most CSS and Gmail drops <style> in many clients. One column of at most 600px that
 * shrinks to the screen on a phone; no images or web fonts, so nothing is blocked or fetched.
 */

export const escapeHtml = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string,
  );

const FONT = 'font-family:Arial,Helvetica,sans-serif;';
const TEXT = `${FONT}font-size:16px;line-height:24px;color:#1f2933;`;
const SMALL = `${FONT}font-size:13px;line-height:20px;color:#616e7c;`;

/** A row of the message card; `html` is already escaped. */
export const row = (html: string, padding = '8px 24px') =>
  `<tr><td style="padding:${padding};${TEXT}">${html}</td></tr>`;

/** A link drawn as a button that survives Outlook (the colour sits on the cell, not only the link). */
export function button(href: string, label: string, primary = true): string {
  const background = primary ? '#1d4ed8' : '#e4e7eb';
  const color = primary ? '#ffffff' : '#1f2933';
  return (
    '<table role="presentation" cellpadding="0" cellspacing="0" border="0" style="display:inline-table;margin:4px 8px 4px 0;"><tr>' +
    `<td style="border-radius:4px;background-color:${background};">` +
    `<a href="${escapeHtml(href)}" style="display:inline-block;padding:10px 18px;${FONT}font-size:15px;font-weight:bold;color:${color};text-decoration:none;border-radius:4px;">${escapeHtml(label)}</a>` +
    '</td></tr></table>'
  );
}

export const link = (href: string, label: string) =>
  `<a href="${escapeHtml(href)}" style="color:#1d4ed8;text-decoration:underline;">${escapeHtml(label)}</a>`;

/** The whole document: `title` (plain text) heads the card, `rows` fill it, `footer` sits under it. */
export function emailDocument(props: { title: string; rows: string[]; footer: string }): string {
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="x-apple-disable-message-reformatting">',
    `<title>${escapeHtml(props.title)}</title>`,
    '</head>',
    '<body style="margin:0;padding:0;background-color:#f0f2f5;">',
    '<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="background-color:#f0f2f5;">',
    '<tr><td align="center" style="padding:24px 12px;">',
    // Outlook on Windows does not know max-width: a fixed 600px table stands in for it there.
    '<!--[if mso]><table role="presentation" width="600" cellpadding="0" cellspacing="0" border="0"><tr><td><![endif]-->',
    '<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="max-width:600px;background-color:#ffffff;border:1px solid #e4e7eb;border-radius:6px;">',
    `<tr><td style="padding:24px 24px 8px;${FONT}font-size:20px;line-height:28px;font-weight:bold;color:#1f2933;">${escapeHtml(props.title)}</td></tr>`,
    ...props.rows,
    '<tr><td style="padding:0 0 16px;"></td></tr>',
    '</table>',
    `<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="max-width:600px;"><tr><td style="padding:16px 24px;${SMALL}">${props.footer}</td></tr></table>`,
    '<!--[if mso]></td></tr></table><![endif]-->',
    '</td></tr>',
    '</table>',
    '</body>',
    '</html>',
  ].join('\n');
}
