import type { ReactNode } from 'react';
import { Button } from '../ui/Button';

interface FormActionsProps {
  submitLabel: string;
  busy: boolean;
  /** Without it there is no Cancel button: the form is not one the page can close. */
  onCancel?: () => void;
  /** Anything after the buttons, such as a “Saved” status. */
  children?: ReactNode;
}

/** The submit and Cancel buttons at the foot of a talks form. */
export function FormActions({ submitLabel, busy, onCancel, children }: FormActionsProps) {
  return (
    <div className="form-actions">
      <Button type="submit" variant="primary" busy={busy}>
        {submitLabel}
      </Button>
      {onCancel ? (
        <Button variant="ghost" onClick={onCancel}>
          Cancel
        </Button>
      ) : null}
      {children}
    </div>
  );
}
