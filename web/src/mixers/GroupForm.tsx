import { type FormEvent, useMemo, useRef, useState } from 'react';
import type {
  Eligibility,
  GroupChanges,
  GroupInput,
  GroupSettings,
  GroupSize,
  MembershipMode,
  MixerGroup,
  OddPolicy,
} from '../api/mixers';
import { groupedTimeZones, timeZoneLabel } from '../profile/timezones';
import { ErrorAlert } from '../ui/Alert';
import { Button } from '../ui/Button';
import { Field, TextAreaField, TextField } from '../ui/Field';
import { type FormError, fieldError, formLevelError } from '../ui/formError';
import { StatusMessage } from '../ui/StatusMessage';
import { useAsyncAction } from '../ui/useAsyncAction';
import { useFocusOnFieldError } from '../ui/useFocusOnFieldError';
import { tidyFieldError } from './fieldErrors';
import { cadenceInWords, nextWeekday } from './format';
import { type MessageSettings, MessagesFieldset } from './MessagesFieldset';
import { RadioGroup } from './RadioGroup';

interface Preset {
  id: string;
  label: string;
  cron: string;
  everyWeeks: number;
}

const PRESETS: readonly Preset[] = [
  { id: 'weekly-mon', label: 'Weekly on Monday at 10:00', cron: '0 10 * * MON', everyWeeks: 1 },
  { id: 'weekly-wed', label: 'Weekly on Wednesday at 12:30', cron: '30 12 * * WED', everyWeeks: 1 },
  { id: 'weekly-fri', label: 'Weekly on Friday at 15:00', cron: '0 15 * * FRI', everyWeeks: 1 },
  { id: 'fortnightly-mon', label: 'Every 2 weeks on Monday at 10:00', cron: '0 10 * * MON', everyWeeks: 2 },
  { id: 'monthly-mon', label: 'First Monday of the month at 10:00', cron: '0 10 * * MON#1', everyWeeks: 1 },
];
const CUSTOM = 'custom';

function presetFor(cron: string, everyWeeks: number): string {
  return PRESETS.find((p) => p.cron === cron.trim() && p.everyWeeks === everyWeeks)?.id ?? CUSTOM;
}

const FIELDS = [
  'name',
  'description',
  'cron',
  'timezone',
  'everyWeeks',
  'anchorDate',
  'size',
  'oddPolicy',
  'eligibility',
  'eligibility.teams',
  'membership',
  'introTemplate',
  'reminderTemplate',
  'followUpTemplate',
  'reminderMinutes',
  'followUpDays',
  'chatChannel',
] as const;

/** Server errors about one team ("eligibility.teams[2]") belong under the teams field. */
function normalise(raw: FormError | null): FormError | null {
  const error = tidyFieldError(raw);
  if (!error?.field) return error;
  if (error.field === 'cron') {
    // "cron: is not a cron expression (CronPattern: invalid …)" reads better without the jargon.
    const detail = /^cron: is not a cron expression \((?:CronPattern: )?(.*)\)$/s.exec(error.message)?.[1];
    if (detail) return { ...error, message: `This isn’t a cron expression we can read: ${detail}` };
  }
  if (error.field.startsWith('eligibility.teams')) return { ...error, field: 'eligibility.teams' };
  if (error.field.startsWith('eligibility')) return { ...error, field: 'eligibility' };
  return error;
}

interface GroupFormProps {
  /** The group being edited; a new group when absent. */
  initial?: MixerGroup;
  defaultTimeZone: string;
  submitLabel: string;
  /** Creating gets the whole input; editing only what changed. */
  onSubmit: (input: GroupInput | GroupChanges) => Promise<void>;
  onCancel?: () => void;
  title: string;
  titleId: string;
}

export function GroupForm({
  initial,
  defaultTimeZone,
  submitLabel,
  onSubmit,
  onCancel,
  title,
  titleId,
}: GroupFormProps) {
  const initialEligibility = useMemo(
    () => (initial ? initial.eligibilityRule : ({ kind: 'everyone' } as Eligibility)),
    [initial],
  );
  const [name, setName] = useState(initial?.name ?? '');
  const [description, setDescription] = useState(initial?.description ?? '');
  const [cron, setCron] = useState(initial?.cron ?? PRESETS[0]?.cron ?? '');
  const [timezone, setTimezone] = useState(initial?.timezone ?? defaultTimeZone);
  const [everyWeeks, setEveryWeeks] = useState(String(initial?.everyWeeks ?? 1));
  const [anchorDate, setAnchorDate] = useState(initial?.anchorDate ?? '');
  const [preset, setPreset] = useState(() =>
    presetFor(initial?.cron ?? PRESETS[0]?.cron ?? '', initial?.everyWeeks ?? 1),
  );
  const [size, setSize] = useState<GroupSize>(initial?.size ?? 2);
  const [oddPolicy, setOddPolicy] = useState<OddPolicy>(initial?.oddPolicy ?? 'trio');
  const [eligibilityKind, setEligibilityKind] = useState<Eligibility['kind']>(initialEligibility.kind);
  const [teams, setTeams] = useState(initialEligibility.kind === 'teams' ? initialEligibility.teams.join(', ') : '');
  const [membership, setMembership] = useState<MembershipMode>(initial?.membership ?? 'open');
  const [introTemplate, setIntroTemplate] = useState('');
  const [messages, setMessages] = useState<MessageSettings>({
    reminderMinutes: String(initial?.reminderMinutes ?? 15),
    followUpDays: initial?.followUpDays == null ? '' : String(initial.followUpDays),
    reminderTemplate: initial?.reminderTemplate ?? '',
    followUpTemplate: initial?.followUpTemplate ?? '',
    chatChannel: initial?.chatChannel ?? '',
  });
  const [saved, setSaved] = useState<string | null>(null);
  const action = useAsyncAction();
  const error = normalise(action.error);
  const formRef = useRef<HTMLFormElement>(null);
  useFocusOnFieldError(formRef, error);
  const zones = useMemo(() => groupedTimeZones([timezone, defaultTimeZone]), [timezone, defaultTimeZone]);

  const weeks = Number(everyWeeks);

  function edited<T>(setter: (value: T) => void) {
    return (value: T) => {
      setter(value);
      setSaved(null);
    };
  }

  function choosePreset(id: string) {
    setPreset(id);
    setSaved(null);
    const chosen = PRESETS.find((p) => p.id === id);
    if (!chosen) return;
    setCron(chosen.cron);
    setEveryWeeks(String(chosen.everyWeeks));
    if (chosen.everyWeeks > 1 && !anchorDate) setAnchorDate(nextWeekday(1));
  }

  function buildInput(): GroupSettings | FormError {
    if (name.trim() === '') return { message: 'Give the group a name.', field: 'name' };
    if (cron.trim() === '') return { message: 'Enter when rounds happen, as a cron expression.', field: 'cron' };
    if (!Number.isInteger(weeks) || weeks < 1 || weeks > 52)
      return { message: 'Enter a whole number of weeks from 1 to 52.', field: 'everyWeeks' };
    if (weeks > 1 && !anchorDate)
      return { message: 'Choose a date in the first week of the cycle.', field: 'anchorDate' };
    const teamList = teams
      .split(',')
      .map((t) => t.trim())
      .filter(Boolean);
    if (eligibilityKind === 'teams' && teamList.length === 0)
      return { message: 'Name at least one team.', field: 'eligibility.teams' };
    const eligibility: Eligibility =
      eligibilityKind === 'teams' ? { kind: 'teams', teams: teamList } : { kind: eligibilityKind };
    const reminderMinutes = Number(messages.reminderMinutes);
    if (
      messages.reminderMinutes.trim() === '' ||
      !Number.isInteger(reminderMinutes) ||
      reminderMinutes < 0 ||
      reminderMinutes > 1440
    )
      return { message: 'Enter whole minutes from 0 to 1440.', field: 'reminderMinutes' };
    const followUpDays = messages.followUpDays.trim() === '' ? null : Number(messages.followUpDays);
    if (followUpDays !== null && (!Number.isInteger(followUpDays) || followUpDays < 1 || followUpDays > 60))
      return { message: 'Enter whole days from 1 to 60, or leave it blank.', field: 'followUpDays' };
    const orNull = (text: string) => (text.trim() === '' ? null : text);
    return {
      name: name.trim(),
      description: description.trim(),
      cron: cron.trim(),
      timezone,
      everyWeeks: weeks,
      anchorDate: weeks > 1 ? anchorDate : null,
      size,
      oddPolicy,
      eligibility,
      membership,
      introTemplate: introTemplate.trim() === '' ? null : introTemplate,
      reminderMinutes,
      followUpDays,
      reminderTemplate: orNull(messages.reminderTemplate),
      followUpTemplate: orNull(messages.followUpTemplate),
      chatChannel: orNull(messages.chatChannel.trim()),
    };
  }

  function changesFrom(input: GroupSettings, group: MixerGroup): GroupChanges {
    const changes: GroupChanges = {};
    if (input.name !== group.name) changes.name = input.name;
    if (input.description !== group.description) changes.description = input.description;
    if (input.cron !== group.cron) changes.cron = input.cron;
    if (input.timezone !== group.timezone) changes.timezone = input.timezone;
    if (input.everyWeeks !== group.everyWeeks) changes.everyWeeks = input.everyWeeks;
    if (input.anchorDate !== group.anchorDate && (input.everyWeeks > 1 || group.everyWeeks > 1))
      changes.anchorDate = input.anchorDate;
    if (input.size !== group.size) changes.size = input.size;
    if (input.oddPolicy !== group.oddPolicy) changes.oddPolicy = input.oddPolicy;
    if (JSON.stringify(input.eligibility) !== JSON.stringify(initialEligibility))
      changes.eligibility = input.eligibility;
    if (input.membership !== group.membership) changes.membership = input.membership;
    // The intro field starts blank and means "keep the current one" (see MessagesFieldset): only a new one is sent.
    if (input.introTemplate !== null) changes.introTemplate = input.introTemplate;
    if (input.reminderMinutes !== group.reminderMinutes) changes.reminderMinutes = input.reminderMinutes;
    if (input.followUpDays !== group.followUpDays) changes.followUpDays = input.followUpDays;
    if (input.reminderTemplate !== group.reminderTemplate) changes.reminderTemplate = input.reminderTemplate;
    if (input.followUpTemplate !== group.followUpTemplate) changes.followUpTemplate = input.followUpTemplate;
    if (input.chatChannel !== group.chatChannel) changes.chatChannel = input.chatChannel;
    return changes;
  }

  function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setSaved(null);
    const input = buildInput();
    if (!('cron' in input)) {
      action.setError(input);
      return;
    }
    if (initial) {
      const changes = changesFrom(input, initial);
      if (Object.keys(changes).length === 0) {
        action.setError(null);
        setSaved('Nothing to save: no changes.');
        return;
      }
      void action.run(async () => {
        await onSubmit(changes);
        setIntroTemplate('');
        setSaved('Saved');
      });
      return;
    }
    void action.run(() => onSubmit(input));
  }

  const formError = formLevelError(error, FIELDS);

  return (
    <form ref={formRef} className="form group-form" onSubmit={handleSubmit} noValidate aria-labelledby={titleId}>
      <h2 id={titleId} className="card-title">
        {title}
      </h2>
      {formError ? <ErrorAlert>{formError.message}</ErrorAlert> : null}

      <div className="form-section">
        <TextField
          label="Name"
          name="name"
          autoComplete="off"
          maxLength={80}
          value={name}
          onChange={(e) => edited(setName)(e.target.value)}
          error={fieldError(error, 'name')}
        />
        <TextAreaField
          label="Description"
          name="description"
          hint="Shown to members: what the group is for and who it brings together."
          error={fieldError(error, 'description')}
          rows={3}
          maxLength={2000}
          value={description}
          onChange={(e) => edited(setDescription)(e.target.value)}
        />
      </div>

      <div className="form-section">
        <h3 className="form-section-title">When it meets</h3>
        <Field
          label="Schedule"
          name="preset"
          hint="Pick a common schedule, or write a cron expression (minute hour day month weekday) below."
        >
          {(control) => (
            <select {...control} className="input select" value={preset} onChange={(e) => choosePreset(e.target.value)}>
              {PRESETS.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.label}
                </option>
              ))}
              <option value={CUSTOM}>Custom</option>
            </select>
          )}
        </Field>
        <div className="form-row">
          <TextField
            label="Cron expression"
            name="cron"
            className="input-code"
            autoComplete="off"
            spellCheck={false}
            value={cron}
            hint={
              <>
                For example <code>0 10 * * MON</code>
              </>
            }
            onChange={(e) => {
              edited(setCron)(e.target.value);
              setPreset(presetFor(e.target.value, weeks));
            }}
            error={fieldError(error, 'cron')}
          />
          <Field
            label="Timezone"
            name="timezone"
            hint="Rounds run at this local time."
            error={fieldError(error, 'timezone')}
          >
            {(control) => (
              <select
                {...control}
                className="input select"
                value={timezone}
                onChange={(e) => edited(setTimezone)(e.target.value)}
              >
                {zones.map((group) => (
                  <optgroup key={group.region} label={group.region}>
                    {group.zones.map((zone) => (
                      <option key={zone} value={zone}>
                        {timeZoneLabel(zone)}
                      </option>
                    ))}
                  </optgroup>
                ))}
              </select>
            )}
          </Field>
        </div>
        <div className="form-row">
          <TextField
            label="Every how many weeks"
            name="everyWeeks"
            type="number"
            inputMode="numeric"
            min={1}
            max={52}
            value={everyWeeks}
            hint="1 is every week, 2 every other week."
            onChange={(e) => {
              edited(setEveryWeeks)(e.target.value);
              const n = Number(e.target.value);
              setPreset(presetFor(cron, n));
              if (n > 1 && !anchorDate) setAnchorDate(nextWeekday(1));
            }}
            error={fieldError(error, 'everyWeeks')}
          />
          {weeks > 1 ? (
            <TextField
              label="Starting week"
              name="anchorDate"
              type="date"
              value={anchorDate}
              hint="A day in the first week of the cycle."
              onChange={(e) => edited(setAnchorDate)(e.target.value)}
              error={fieldError(error, 'anchorDate')}
            />
          ) : null}
        </div>
        <p className="cadence-preview">
          <span className="muted">Members will see:</span>{' '}
          <strong>
            {cadenceInWords({ cron, timezone, everyWeeks: Number.isInteger(weeks) && weeks > 0 ? weeks : 1 })}
          </strong>
        </p>
      </div>

      <div className="form-section">
        <h3 className="form-section-title">Pairing</h3>
        <RadioGroup
          legend="Meeting size"
          name="size"
          inline
          value={String(size) as '2' | '3'}
          onChange={(value) => edited(setSize)(Number(value) as GroupSize)}
          options={[
            { value: '2', label: 'Pairs', description: 'Two people per meeting.' },
            { value: '3', label: 'Trios', description: 'Three people per meeting.' },
          ]}
          error={fieldError(error, 'size')}
        />
        <RadioGroup
          legend="When numbers don’t divide evenly"
          name="oddPolicy"
          inline
          value={oddPolicy}
          onChange={edited(setOddPolicy)}
          options={[
            { value: 'trio', label: 'Make a bigger group', description: 'The odd person joins another meeting.' },
            {
              value: 'sit_out',
              label: 'One sits out',
              description: 'Someone sits out; a different person each time.',
            },
          ]}
          error={fieldError(error, 'oddPolicy')}
        />
      </div>

      <div className="form-section">
        <h3 className="form-section-title">Who takes part</h3>
        <RadioGroup
          legend="Eligibility"
          name="eligibility"
          inline
          value={eligibilityKind}
          onChange={edited(setEligibilityKind)}
          options={[
            { value: 'everyone', label: 'Everyone' },
            { value: 'managers', label: 'Managers only' },
            { value: 'teams', label: 'Some teams' },
          ]}
          error={fieldError(error, 'eligibility')}
        />
        {eligibilityKind === 'teams' ? (
          <TextField
            label="Teams"
            name="eligibility.teams"
            autoComplete="off"
            placeholder="Design, Platform"
            hint="Team names as in the directory, separated by commas."
            value={teams}
            onChange={(e) => edited(setTeams)(e.target.value)}
            error={fieldError(error, 'eligibility.teams')}
          />
        ) : null}
        <RadioGroup
          legend="Membership"
          name="membership"
          value={membership}
          onChange={edited(setMembership)}
          options={[
            { value: 'open', label: 'Open', description: 'Eligible people join and leave by themselves.' },
            { value: 'admin', label: 'Admins add people', description: 'Only admins add members.' },
            {
              value: 'auto',
              label: 'Automatic',
              description: 'Everyone eligible is included; people may still leave.',
            },
          ]}
          error={fieldError(error, 'membership')}
        />
      </div>

      <MessagesFieldset
        values={messages}
        onChange={(field, value) => {
          setMessages((current) => ({ ...current, [field]: value }));
          setSaved(null);
        }}
        error={error}
        introTemplate={introTemplate}
        onIntroChange={edited(setIntroTemplate)}
        editing={Boolean(initial)}
      />

      <div className="form-actions">
        <Button type="submit" variant="primary" busy={action.busy}>
          {submitLabel}
        </Button>
        {onCancel ? (
          <Button variant="ghost" disabled={action.busy} onClick={onCancel}>
            Cancel
          </Button>
        ) : null}
        <StatusMessage>{saved}</StatusMessage>
      </div>
    </form>
  );
}
