import { useId } from 'react';
import { type FormError, fieldMessage } from '../ui/formError';

export interface RadioOption<T extends string> {
  value: T;
  label: string;
  description?: string;
}

interface RadioGroupProps<T extends string> {
  legend: string;
  name: string;
  options: ReadonlyArray<RadioOption<T>>;
  value: T;
  onChange: (value: T) => void;
  error?: FormError | null;
  /** Lay the tiles out side by side when there is room. */
  inline?: boolean;
}

/** A labelled set of radio tiles (the settings page's look), with its error under the legend's group. */
export function RadioGroup<T extends string>({
  legend,
  name,
  options,
  value,
  onChange,
  error,
  inline = false,
}: RadioGroupProps<T>) {
  const baseId = useId();
  const errorId = `${baseId}-error`;
  return (
    <fieldset className={error ? 'fieldset has-error' : 'fieldset'} aria-describedby={error ? errorId : undefined}>
      <legend className="field-label">{legend}</legend>
      <div className={inline ? 'radio-group radio-group-inline' : 'radio-group'}>
        {options.map((option) => {
          const id = `${baseId}-${option.value}`;
          return (
            <div key={option.value} className="radio">
              <input
                type="radio"
                id={id}
                name={name}
                value={option.value}
                checked={value === option.value}
                onChange={() => onChange(option.value)}
                aria-describedby={option.description ? `${id}-description` : undefined}
              />
              <label htmlFor={id}>{option.label}</label>
              {option.description ? (
                <p className="radio-description" id={`${id}-description`}>
                  {option.description}
                </p>
              ) : null}
            </div>
          );
        })}
      </div>
      {error ? (
        <p className="field-error" id={errorId} role="alert">
          {fieldMessage(error.message, name, legend)}
        </p>
      ) : null}
    </fieldset>
  );
}
