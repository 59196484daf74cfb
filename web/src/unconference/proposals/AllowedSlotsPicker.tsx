import { useState } from 'react';
import type { TimetableView } from '../../api/unconference';
import { Button } from '../../ui/Button';
import { calendarDay } from '../../ui/dates';

/** "any slot", or how many of the event's non-break slots are ticked and which. */
export function availabilitySummary(timetable: TimetableView, allowed: string[]): string {
  if (!allowed.length) return 'Available: any slot';
  const chosen = new Set(allowed);
  const total = timetable.days.reduce((n, day) => n + day.slots.filter((s) => !s.isBreak).length, 0);
  const parts = timetable.days
    .map((day) => {
      const times = day.slots.filter((s) => chosen.has(s.id)).map((s) => s.start);
      return times.length ? `${calendarDay(day.date)} ${times.join(', ')}` : '';
    })
    .filter(Boolean);
  return `Available: ${allowed.length} of ${total} slots (${parts.join('; ')})`;
}

/**
 * Speaker availability: the slots a proposal may be placed in, ticked day by day (breaks are not
 * offered). Nothing ticked means any slot; saving sends the whole choice at once.
 */
export function AllowedSlotsPicker({
  title,
  timetable,
  allowed,
  busy,
  onSave,
  onCancel,
}: {
  title: string;
  timetable: TimetableView;
  allowed: string[];
  busy: boolean;
  onSave: (slotIds: string[]) => void;
  onCancel: () => void;
}) {
  const [chosen, setChosen] = useState(() => new Set(allowed));
  const toggle = (ids: string[], on: boolean) =>
    setChosen((current) => {
      const next = new Set(current);
      for (const id of ids) {
        if (on) next.add(id);
        else next.delete(id);
      }
      return next;
    });
  const days = timetable.days.filter((day) => day.slots.some((s) => !s.isBreak));
  return (
    <section className="unconf-picker" aria-label={`Available slots for ${title}`}>
      <p className="card-meta">
        Tick the slots its owners can make; the scheduler places it only there.{' '}
        {chosen.size ? `${chosen.size} ticked.` : 'Nothing ticked: any slot.'}
      </p>
      {days.length ? null : <p className="card-meta">The timetable has no slots yet.</p>}
      {days.map((day) => {
        const ids = day.slots.filter((s) => !s.isBreak).map((s) => s.id);
        const all = ids.every((id) => chosen.has(id));
        return (
          <fieldset key={day.id} className="unconf-picker-day">
            <legend>
              {calendarDay(day.date)}
              {day.label ? ` · ${day.label}` : ''}
            </legend>
            <div className="unconf-picker-slots">
              {day.slots
                .filter((s) => !s.isBreak)
                .map((slot) => (
                  <label key={slot.id} className={chosen.has(slot.id) ? 'unconf-chip is-on' : 'unconf-chip'}>
                    <input
                      type="checkbox"
                      aria-label={`${slot.start}–${slot.end} on ${day.date}`}
                      checked={chosen.has(slot.id)}
                      onChange={(e) => toggle([slot.id], e.target.checked)}
                    />
                    {slot.start}–{slot.end}
                  </label>
                ))}
              <Button
                size="sm"
                variant="ghost"
                aria-label={`${all ? 'Untick' : 'Tick'} all of ${day.date}`}
                onClick={() => toggle(ids, !all)}
              >
                {all ? 'None this day' : 'All this day'}
              </Button>
            </div>
          </fieldset>
        );
      })}
      <div className="unconf-edit-actions">
        <Button variant="primary" size="sm" busy={busy} onClick={() => onSave([...chosen])}>
          Save availability
        </Button>
        <Button size="sm" variant="ghost" disabled={!chosen.size} onClick={() => setChosen(new Set())}>
          Any slot
        </Button>
        <Button size="sm" variant="ghost" onClick={onCancel}>
          Cancel
        </Button>
      </div>
    </section>
  );
}
