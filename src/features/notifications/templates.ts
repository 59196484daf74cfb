import Mustache from 'mustache';
import type { z } from 'zod';

/**
 * Per-group message templates: plain text with Mustache {{variables}}. A template only ever
 * produces plain text; each channel escapes the result for its own format (HTML, Slack mrkdwn),
 * so neither a variable's value nor the template itself can inject markup.
 */
export const TEMPLATE_VARIABLES = {
  name: "the reader's full name (in a shared chat message: everyone's names)",
  first_name: "the reader's first name (in a shared chat message: everyone's first names)",
  others: "the other participants' names, joined with “and”",
  names: "every participant's name, joined with “and”",
  group: "the mixer group's name (empty for other meetings)",
  title: "the meeting's title",
  time: "the meeting's start in the reader's timezone (empty when it has no time)",
  room_url: 'the video room link (empty when there is none)',
  meeting_url: "the meeting's page in Convene",
  lead_minutes: 'how many minutes before the start the reminder goes out',
} as const;

export type TemplateVariable = keyof typeof TEMPLATE_VARIABLES;
export type TemplateValues = Record<TemplateVariable, string>;

export const TEMPLATE_MAX_LENGTH = 2000;

/** Sections ({{#room_url}}…{{/room_url}}) and comments are fine; partials and raw HTML are not. */
const ALLOWED_TOKENS = new Set(['text', 'name', '#', '^', '!']);

type Token = [string, string, number, number, Token[]?];

/**
 * A template's text schema with the check of `templateProblem` on save, so a typo never reaches
 * anyone's inbox as blank text or a failed send. Each caller keeps its own length limit.
 */
export function checkedTemplate(text: z.ZodString) {
  return text.superRefine((value, ctx) => {
    const problem = templateProblem(value);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });
}

/** Why a template cannot be used, or null when it can. */
export function templateProblem(template: string): string | null {
  let tokens: Token[];
  try {
    tokens = Mustache.parse(template) as unknown as Token[];
  } catch (error) {
    return `is not a valid template: ${(error as Error).message}`;
  }
  const walk = (list: Token[]): string | null => {
    for (const token of list) {
      const [type, value] = token;
      if (!ALLOWED_TOKENS.has(type)) {
        return type === '&' || type === '{'
          ? `uses {{{${value}}}} or {{&${value}}}: write {{${value}}} (messages escape values themselves)`
          : `uses an unsupported tag ({{${type}${value}}})`;
      }
      if ((type === 'name' || type === '#' || type === '^') && !(value in TEMPLATE_VARIABLES)) {
        return `uses the unknown variable {{${value}}} (known: ${Object.keys(TEMPLATE_VARIABLES).join(', ')})`;
      }
      const nested = token[4] ? walk(token[4]) : null;
      if (nested) return nested;
    }
    return null;
  };
  return walk(tokens);
}

/** Renders to plain text: values are inserted as they are, the caller escapes for its medium. */
export function renderTemplate(template: string, values: TemplateValues): string {
  return Mustache.render(template, values, {}, { escape: (text: string) => text }).trim();
}

/** "Ada", "Ada and Bob", "Ada, Bob and Cyd". */
export function joinNames(names: string[]): string {
  if (names.length <= 1) return names[0] ?? '';
  return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}
