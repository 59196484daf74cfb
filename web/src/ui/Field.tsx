import { type InputHTMLAttributes, type ReactNode, type TextareaHTMLAttributes, useId } from 'react';
import { type FormError, fieldMessage } from './formError';

export interface ControlProps {
  id: string;
  name: string;
  'aria-invalid': true | undefined;
  'aria-describedby': string | undefined;
}

interface FieldProps {
  label: string;
  name: string;
  hint?: ReactNode;
  /** The error for this field only (see `fieldError`). */
  error?: FormError | null;
  children: (control: ControlProps) => ReactNode;
}

/** A label, a control, an optional hint and this field's error message, wired together for assistive tech. */
export function Field({ label, name, hint, error, children }: FieldProps) {
  const id = useId();
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const describedBy = [hint ? hintId : '', error ? errorId : ''].filter(Boolean).join(' ') || undefined;
  return (
    <div className={error ? 'field has-error' : 'field'}>
      <label className="field-label" htmlFor={id}>
        {label}
      </label>
      {hint ? (
        <p className="field-hint" id={hintId}>
          {hint}
        </p>
      ) : null}
      {children({ id, name, 'aria-invalid': error ? true : undefined, 'aria-describedby': describedBy })}
      {error ? (
        <p className="field-error" id={errorId} role="alert">
          {fieldMessage(error.message, name, label)}
        </p>
      ) : null}
    </div>
  );
}

interface TextFieldProps extends Omit<InputHTMLAttributes<HTMLInputElement>, 'name' | 'id' | 'children'> {
  label: string;
  name: string;
  hint?: ReactNode;
  error?: FormError | null;
}

export function TextField({ label, name, hint, error, className, ...inputProps }: TextFieldProps) {
  return (
    <Field label={label} name={name} hint={hint} error={error}>
      {(control) => (
        <input {...inputProps} {...control} className={['input', className ?? ''].filter(Boolean).join(' ')} />
      )}
    </Field>
  );
}

interface TextAreaFieldProps extends Omit<TextareaHTMLAttributes<HTMLTextAreaElement>, 'name' | 'id' | 'children'> {
  label: string;
  name: string;
  hint?: ReactNode;
  error?: FormError | null;
}

export function TextAreaField({ label, name, hint, error, className, ...textareaProps }: TextAreaFieldProps) {
  return (
    <Field label={label} name={name} hint={hint} error={error}>
      {(control) => (
        <textarea
          {...textareaProps}
          {...control}
          className={['input textarea', className ?? ''].filter(Boolean).join(' ')}
        />
      )}
    </Field>
  );
}
