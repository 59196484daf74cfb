import { TextAreaField, TextField } from '../ui/Field';
import { type FormError, fieldError } from '../ui/formError';

/** Kept in step with TEMPLATE_VARIABLES in src/features/meetings/templates.ts and docs/templates.md. */
export const TEMPLATE_VARIABLES: Array<[string, string]> = [
  ['name', 'the reader’s full name'],
  ['first_name', 'the reader’s first name'],
  ['others', 'the other participants, joined with “and”'],
  ['names', 'everyone in the meeting'],
  ['group', 'this group’s name'],
  ['title', 'the meeting’s title'],
  ['time', 'the start, in the reader’s timezone'],
  ['room_url', 'the video room link'],
  ['meeting_url', 'the meeting’s page'],
  ['lead_minutes', 'minutes before the start (reminders)'],
];

export interface MessageSettings {
  reminderMinutes: string;
  followUpDays: string;
  reminderTemplate: string;
  followUpTemplate: string;
  chatChannel: string;
}

interface Props {
  values: MessageSettings;
  onChange: (field: keyof MessageSettings, value: string) => void;
  error: FormError | null;
  introTemplate: string;
  onIntroChange: (value: string) => void;
  editing: boolean;
}

/** The group's messages: when reminders and follow-ups go out, and the words they open with. */
export function MessagesFieldset({ values, onChange, error, introTemplate, onIntroChange, editing }: Props) {
  const template = (name: string, label: string, value: string, change: (v: string) => void, hint: string) => (
    <TextAreaField
      label={label}
      name={name}
      hint={hint}
      error={fieldError(error, name)}
      rows={3}
      maxLength={2000}
      value={value}
      onChange={(e) => change(e.target.value)}
    />
  );
  const count = (name: 'reminderMinutes' | 'followUpDays', label: string, min: number, max: number, hint: string) => (
    <TextField
      label={label}
      name={name}
      type="number"
      inputMode="numeric"
      min={min}
      max={max}
      value={values[name]}
      hint={hint}
      onChange={(e) => onChange(name, e.target.value)}
      error={fieldError(error, name)}
    />
  );
  return (
    <fieldset className="form-section messages-fieldset">
      <legend className="form-section-title">Messages</legend>
      <div className="form-row">
        {count(
          'reminderMinutes',
          'Reminder, minutes before',
          0,
          1440,
          'Sent before a meeting with a time starts. 0: no reminder.',
        )}
        {count(
          'followUpDays',
          'Ask “Did you meet?” after (days)',
          1,
          60,
          'Blank: never ask. Answers show in the group’s stats.',
        )}
      </div>
      <TextField
        label="Chat channel"
        name="chatChannel"
        autoComplete="off"
        spellCheck={false}
        placeholder="slack:C0123ABC"
        value={values.chatChannel}
        hint="slack:<channel id> or mattermost:<channel id>; blank for none."
        onChange={(e) => onChange('chatChannel', e.target.value)}
        error={fieldError(error, 'chatChannel')}
      />
      <details className="template-help">
        <summary>Template variables</summary>
        <p className="muted">
          Templates are plain text. Write a variable in double braces, e.g. <code>{'Hi {{first_name}}!'}</code>; show a
          part only when a value exists with <code>{'{{#room_url}}…{{/room_url}}'}</code>. Who, when and the buttons are
          always added below your words.
        </p>
        <dl className="template-variables">
          {TEMPLATE_VARIABLES.map(([variable, meaning]) => (
            <div key={variable}>
              <dt>
                <code>{`{{${variable}}}`}</code>
              </dt>
              <dd>{meaning}</dd>
            </div>
          ))}
        </dl>
      </details>
      {template(
        'introTemplate',
        'Intro',
        introTemplate,
        onIntroChange,
        editing
          ? 'Sent to each new match. Leave blank to keep the current message; type a new one to replace it.'
          : 'Sent to each new match. Leave blank for the standard introduction.',
      )}
      {template(
        'reminderTemplate',
        'Reminder',
        values.reminderTemplate,
        (v) => onChange('reminderTemplate', v),
        'Blank for the standard reminder.',
      )}
      {template(
        'followUpTemplate',
        'Did you meet?',
        values.followUpTemplate,
        (v) => onChange('followUpTemplate', v),
        'Blank for the standard question. Yes and No buttons are added.',
      )}
    </fieldset>
  );
}
